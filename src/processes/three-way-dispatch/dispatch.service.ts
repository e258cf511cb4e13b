import type { ExecutionContext } from '../../core/execution-context';
import { Agency } from '../../agencies/agency.entity';
import { badUserInput } from '../../domain/errors';
import { OPEN_CASE_STATUSES } from '../../domain/case-status';
import { Project } from '../../projects/project.entity';
import { dispatchRules } from '../../rules/process-rules';
import type { DispatchPayment, DispatchRecipient, DispatchRole, ThreeWayDispatchInput } from '../../../workflows/three-way-dispatch';
import { acknowledgeDispatchUpdate, reportDispatchUpdate } from '../../../workflows/three-way-dispatch';
import { CaseProcess, ProcessParty } from '../process.entity';
import type { ProcessService } from '../process.service';
import { dispatchDeadlines } from './dispatch-deadlines';
import { threeWayDispatchProcess } from './dispatch.definition';

export class DispatchService {
  constructor(private readonly processes: ProcessService) {}

  /** 三交办: to the district government, the project's regulator and the general contractor's HQ, at once. */
  dispatchCase(ctx: ExecutionContext, input: { caseId: string }): Promise<CaseProcess> {
    return this.processes.start(
      ctx,
      threeWayDispatchProcess,
      input.caseId,
      OPEN_CASE_STATUSES,
      async (c, em, { processId, workflowId, actor }) => {
        if (!c.project)
          throw badUserInput(
            'input.caseId',
            'case.project-known',
            'a three-way dispatch needs the case’s project (its regulator and general contractor)',
          );
        const project = await em.findOneOrFail(Project, { id: c.project });
        const recipients: Array<{ role: DispatchRole; agency: Agency | null; rule: string }> = [
          { role: 'DISTRICT_GOVERNMENT', agency: await this.districtGovernment(ctx, c.region), rule: 'recipient.district-government' },
          {
            role: 'INDUSTRY_REGULATOR',
            agency: project.regulator ? await em.findOne(Agency, { id: project.regulator }) : null,
            rule: 'recipient.industry-regulator',
          },
          {
            role: 'CONTRACTOR_HQ',
            agency: project.generalContractor
              ? await em.findOne(Agency, { kind: 'CONTRACTOR_HQ', employerId: project.generalContractor })
              : null,
            rule: 'recipient.contractor-hq',
          },
        ];
        const missing = recipients.find((r) => !r.agency);
        if (missing)
          throw badUserInput(
            'input.caseId',
            missing.rule,
            `no ${missing.role.toLowerCase().replace(/_/g, ' ')} account is on record for this case’s ${missing.role === 'DISTRICT_GOVERNMENT' ? 'district' : 'project'}`,
          );

        const { acknowledgeDue, reportDue, ladder } = dispatchDeadlines(ctx.clock.now());
        em.create(CaseProcess, {
          id: processId,
          case: c.id,
          kind: threeWayDispatchProcess.kind,
          workflowId,
          status: 'REQUESTED',
          startedBy: actor.userId,
          dueAt: acknowledgeDue,
          waitingOn: 'RECIPIENTS',
        });
        const parties: DispatchRecipient[] = recipients.map(({ role, agency }) => {
          const party = em.create(ProcessParty, {
            process: processId,
            role,
            agency: agency!.id,
            name: agency!.name,
            status: 'SENT',
            acknowledgeDue,
            reportDue,
          });
          return {
            partyId: party.id,
            role,
            agencyId: agency!.id,
            name: agency!.name,
            acknowledgeDue: acknowledgeDue.toISOString(),
            reportDue: reportDue.toISOString(),
            ladder: ladder.map((r) => ({
              level: r.level,
              acknowledgeAt: r.acknowledgeAt.toISOString(),
              reportAt: r.reportAt.toISOString(),
            })),
          };
        });
        await em.flush();
        const input: ThreeWayDispatchInput = { caseId: c.id, caseNumber: c.number, processId, recipients: parties };
        return {
          type: 'DISPATCH_REQUESTED',
          payload: {
            processId,
            recipients: parties.map((p) => ({ role: p.role, agencyId: p.agencyId })),
            rules: [dispatchRules.acknowledge.source, dispatchRules.firstReport.source],
          },
          input,
        };
      },
    );
  }

  acknowledge(ctx: ExecutionContext, input: { processId: string; idempotencyKey?: string | null }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: acknowledgeDispatchUpdate,
      args: {},
      idempotencyKey: input.idempotencyKey,
    });
  }

  report(
    ctx: ExecutionContext,
    input: { processId: string; idempotencyKey?: string | null; report: string; payment?: DispatchPayment },
  ): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: reportDispatchUpdate,
      args: { report: input.report, ...(input.payment ? { payment: input.payment } : {}) },
      idempotencyKey: input.idempotencyKey,
    });
  }

  /** The district government over the case's region: the deepest DISTRICT_GOVERNMENT on its path. */
  private async districtGovernment(ctx: ExecutionContext, regionCode: string): Promise<Agency | null> {
    const rows = await ctx.em.getConnection().execute<Array<{ id: string }>>(
      `select a.id from agency a join region r on r.code = ?
        where a.kind = 'DISTRICT_GOVERNMENT' and a.region_code = any(string_to_array(r.path, '/'))
        order by length(a.region_code) desc limit 1`,
      [regionCode],
      'all',
      ctx.em.getTransactionContext(),
    );
    return rows[0] ? ctx.em.findOne(Agency, { id: rows[0].id }) : null;
  }
}
