import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExecutionContext } from '../core/execution-context';
import { regionCodesUnder } from '../regions/region-scope';
import { badUserInput, conflict, notFound } from '../domain/errors';
import { Agency } from '../agencies/agency.entity';
import { Employer } from '../employers/employer.entity';
import { Region } from '../regions/region.entity';
import { Project, type ProjectStatus, type TeamMember } from './project.entity';
import { authorizeRegistry, projectFilter } from '../auth/access';
import { signedIn } from '../policy/signed-in';

export interface ProjectFields {
  name?: string | null;
  regionCode?: string | null;
  constructionUnitUscc?: string | null;
  generalContractorUscc?: string | null;
  labourSubcontractorUsccs?: string[] | null;
  regulatorAgencyId?: string | null;
  team?: TeamMember[] | null;
  wageAccountBalanceFen?: number | null;
  wageDepositFen?: number | null;
  workerCount?: number | null;
  status?: ProjectStatus | null;
}

/** Construction projects: registration, changes under optimistic locking, lookup. */
export class ProjectService {
  async register(ctx: ExecutionContext, input: ProjectFields & { code: string; name: string; regionCode: string }): Promise<Project> {
    authorizeRegistry(ctx);
    return this.write(ctx, async (em) => {
      const project = em.create(Project, { code: input.code, name: input.name, region: input.regionCode });
      await this.apply(em, project, input);
      em.persist(project);
      return project;
    });
  }

  async update(ctx: ExecutionContext, input: ProjectFields & { id: string; expectedVersion: number }): Promise<Project> {
    const actor = authorizeRegistry(ctx);
    // A regulator changes only the projects it regulates; labour inspection, those in its area.
    if (!(await ctx.em.findOne(Project, { $and: [{ id: input.id }, await projectFilter(ctx.em, actor)] })))
      throw notFound('project', input.id);
    return this.write(ctx, async (em) => {
      const project = await em.findOne(Project, { id: input.id });
      if (!project) throw notFound('project', input.id);
      if (project.version !== input.expectedVersion) {
        throw conflict(`project ${project.code} is at version ${project.version}, not ${input.expectedVersion}: reload it`, {
          field: 'input.expectedVersion',
          rule: 'version.current',
          currentVersion: project.version,
        });
      }
      await this.apply(em, project, input);
      return project;
    });
  }

  async byId(ctx: ExecutionContext, id: string): Promise<Project> {
    const p = await ctx.em.findOne(Project, { $and: [{ id }, await projectFilter(ctx.em, signedIn(ctx))] });
    if (!p) throw notFound('project', id);
    return p;
  }

  async byCode(ctx: ExecutionContext, code: string): Promise<Project> {
    const p = await ctx.em.findOne(Project, { $and: [{ code }, await projectFilter(ctx.em, signedIn(ctx))] });
    if (!p) throw notFound('project', code);
    return p;
  }

  async list(
    ctx: ExecutionContext,
    opts: { regionCode?: string | null; generalContractorId?: string | null; first: number },
  ): Promise<Project[]> {
    const where: Record<string, unknown> = {};
    if (opts.regionCode) where.region = { $in: await regionCodesUnder(ctx.em, opts.regionCode) };
    if (opts.generalContractorId) where.generalContractor = opts.generalContractorId;
    return ctx.em.find(
      Project,
      { $and: [where, await projectFilter(ctx.em, signedIn(ctx))] },
      { orderBy: { code: 'asc' }, limit: opts.first },
    );
  }

  private async write(ctx: ExecutionContext, work: (em: EntityManager) => Promise<Project>): Promise<Project> {
    try {
      const project = await ctx.em.transactional(work);
      ctx.log.info({ projectId: project.id, code: project.code, version: project.version }, 'project saved');
      return project;
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException)
        throw conflict('a project with this code is already registered', { field: 'input.code', rule: 'project-code.unique' });
      if (err instanceof OptimisticLockError)
        throw conflict('the project was changed by someone else meanwhile: reload it', { rule: 'version.current' });
      throw err;
    }
  }

  /** Resolves codes to ids and checks every reference exists, naming the field of the first that does not. */
  private async apply(em: EntityManager, p: Project, f: ProjectFields): Promise<void> {
    const employerId = async (uscc: string, field: string) => {
      const e = await em.findOne(Employer, { uscc });
      if (!e) throw badUserInput(field, 'employer.registered', `no employer with code ${uscc} is registered`);
      return e.id;
    };
    if (f.name != null) p.name = f.name;
    if (f.regionCode != null) {
      if (!(await em.count(Region, { code: f.regionCode })))
        throw badUserInput('input.regionCode', 'region.known', `unknown region ${f.regionCode}`);
      p.region = f.regionCode;
    }
    if (f.constructionUnitUscc != null) p.constructionUnit = await employerId(f.constructionUnitUscc, 'input.constructionUnitUscc');
    if (f.generalContractorUscc != null) p.generalContractor = await employerId(f.generalContractorUscc, 'input.generalContractorUscc');
    if (f.labourSubcontractorUsccs != null) {
      const ids: string[] = [];
      for (const [i, uscc] of f.labourSubcontractorUsccs.entries()) ids.push(await employerId(uscc, `input.labourSubcontractorUsccs.${i}`));
      p.labourSubcontractors = ids;
    }
    if (f.regulatorAgencyId != null) {
      const regulator = await em.findOne(Agency, { id: f.regulatorAgencyId });
      if (!regulator || regulator.kind !== 'INDUSTRY_REGULATOR')
        throw badUserInput('input.regulatorAgencyId', 'agency.industry-regulator', 'must be an industry regulator');
      p.regulator = regulator.id;
    }
    if (f.team != null) {
      const roles = f.team.map((m) => m.role);
      const repeated = roles.find((r, i) => roles.indexOf(r) !== i);
      if (repeated) throw badUserInput('input.team', 'team.one-per-role', `the five-member team has one ${repeated}, not several`);
      p.team = f.team.map((m) => ({
        role: m.role,
        name: m.name,
        ...(m.mobile ? { mobile: m.mobile } : {}),
        ...(m.userId ? { userId: m.userId } : {}),
      }));
    }
    if (f.wageAccountBalanceFen != null) p.wageAccountBalanceFen = f.wageAccountBalanceFen;
    if (f.wageDepositFen != null) p.wageDepositFen = f.wageDepositFen;
    if (f.workerCount != null) p.workerCount = f.workerCount;
    if (f.status != null) p.status = f.status;
  }
}
