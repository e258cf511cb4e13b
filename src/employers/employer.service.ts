import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { ExecutionContext } from '../core/execution-context';
import { regionCodesUnder } from '../regions/region-scope';
import { conflict, notFound } from '../domain/errors';
import { decodeCursor, encodeCursor } from '../db/cursor';
import type { Sector } from '../agencies/agency.entity';
import { Employer, type CreditGrade } from './employer.entity';
import { authorizeRegistry, employerFilter } from '../auth/access';
import { signedIn } from '../policy/signed-in';

export interface RegisterEmployerInput {
  uscc: string;
  name: string;
  legalRepresentative?: string | null;
  industry?: Sector | null;
  regionCode?: string | null;
  creditGrade?: CreditGrade | null;
}

/** Employers: registration and lookup. Knows nothing of GraphQL beyond the error codes it raises. */
export class EmployerService {
  /**
   * An employer is on file once, by its USCC, and its registry facts (name, legal representative) are public
   * (国家企业信用信息公示系统). The registrar keeps it in view whatever its region. A code already on file answers
   * the same CONFLICT whether or not the caller could see it, and brings it into the caller's view: the answer
   * then says nothing the caller cannot read next, and the registrar is not left unable to use the employer.
   */
  async register(ctx: ExecutionContext, input: RegisterEmployerInput): Promise<Employer> {
    const actor = authorizeRegistry(ctx);
    const employer = ctx.em.create(Employer, {
      uscc: input.uscc,
      name: input.name.trim(),
      legalRepresentative: input.legalRepresentative?.trim() || undefined,
      industry: input.industry ?? undefined,
      region: input.regionCode ?? undefined,
      creditGrade: input.creditGrade ?? undefined,
    });
    try {
      await ctx.em.persistAndFlush(employer);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        await this.keepInView(ctx, actor.agencyId, { uscc: input.uscc });
        throw conflict(`an employer with unified social credit code ${input.uscc} is already on file: look it up with employer(uscc:)`, {
          field: 'input.uscc',
          rule: 'uscc.unique',
        });
      }
      throw err;
    }
    await this.keepInView(ctx, actor.agencyId, { id: employer.id });
    ctx.log.info({ employerId: employer.id, uscc: employer.uscc }, 'employer registered');
    return employer;
  }

  /** Records the agency as a registrant of the employer (an agency not on file, as in a bare test token, records nothing). */
  private async keepInView(ctx: ExecutionContext, agencyId: string, usccOrId: { uscc: string } | { id: string }): Promise<void> {
    const [column, key] = 'uscc' in usccOrId ? ['uscc', usccOrId.uscc] : ['id', usccOrId.id];
    await ctx.em
      .getConnection()
      .execute(
        `insert into employer_registrant (employer_id, agency_id) select e.id, a.id from employer e join agency a on a.id = ? where e.${column} = ? on conflict do nothing`,
        [agencyId, key],
      );
  }

  async byUscc(ctx: ExecutionContext, uscc: string): Promise<Employer> {
    const employer = await ctx.em.findOne(Employer, { $and: [{ uscc }, await employerFilter(ctx.em, signedIn(ctx))] });
    if (!employer) throw notFound('employer', uscc);
    return employer;
  }

  async byId(ctx: ExecutionContext, id: string): Promise<Employer> {
    const employer = await ctx.em.findOne(Employer, { $and: [{ id }, await employerFilter(ctx.em, signedIn(ctx))] });
    if (!employer) throw notFound('employer', id);
    return employer;
  }

  /** A page of employers by name, optionally in a region (and below) or matching a name fragment. */
  async list(
    ctx: ExecutionContext,
    opts: { regionCode?: string | null; nameContains?: string | null; first: number; after?: string | null },
  ) {
    const where: Record<string, unknown> = {};
    if (opts.regionCode) where.region = { $in: await regionCodesUnder(ctx.em, opts.regionCode) };
    if (opts.nameContains) where.name = { $ilike: `%${opts.nameContains.replace(/[%_\\]/g, '\\$&')}%` };
    if (opts.after) {
      const [name, id] = decodeCursor(opts.after, ['string', 'uuid']);
      where.$or = [{ name: { $gt: name } }, { name, id: { $gt: id } }];
    }
    const rows = await ctx.em.find(
      Employer,
      { $and: [where, await employerFilter(ctx.em, signedIn(ctx))] },
      { orderBy: { name: 'asc', id: 'asc' }, limit: opts.first + 1 },
    );
    const page = rows.slice(0, opts.first);
    const cursors = page.map((e) => encodeCursor([e.name, e.id]));
    return { nodes: page, cursors, hasNextPage: rows.length > opts.first, endCursor: cursors.at(-1) ?? null };
  }
}
