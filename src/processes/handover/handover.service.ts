import { Agency } from '../../agencies/agency.entity';
import { regionAndHolding } from '../../auth/access';
import type { ExecutionContext } from '../../core/execution-context';
import { OPEN_CASE_STATUSES } from '../../domain/case-status';
import { badUserInput } from '../../domain/errors';
import { addWorkingDays } from '../../domain/working-days';
import { handoverRules } from '../../rules/handover-rules';
import { acceptHandoverUpdate, returnHandoverUpdate, type HandoverInput } from '../../../workflows/handover';
import { CaseProcess, ProcessParty } from '../process.entity';
import type { ProcessService } from '../process.service';
import { handoverProcess } from './handover.definition';

type StepRef = { processId: string; idempotencyKey?: string | null };

export class HandoverService {
  constructor(private readonly processes: ProcessService) {}

  /**
   * 移交: a caseworker of the owning agency hands an open case to another inspection agency. The owner does not
   * change until the receiver accepts; the answer is due at the end of the configured working day.
   */
  handOver(ctx: ExecutionContext, input: { caseId: string; toAgencyId: string; reason: string }): Promise<CaseProcess> {
    return this.processes.start(ctx, handoverProcess, input.caseId, OPEN_CASE_STATUSES, async (c, em, { processId, workflowId, actor }) => {
      const to = await em.findOne(Agency, { id: input.toAgencyId });
      if (!to || to.kind !== 'HRSS_INSPECTION')
        throw badUserInput('input.toAgencyId', 'agency.inspection', 'a case is handed over to another labour inspection agency');
      if (to.id === c.owningAgency) throw badUserInput('input.toAgencyId', 'agency.other', 'the case is already owned by that agency');
      if (!input.reason.trim()) throw badUserInput('input.reason', 'required', 'say why the case is handed over');
      // Labour inspection sees by region: a receiver whose region does not cover the case's (another city's brigade,
      // 协查) is granted access to it while the handover waits (its supervisors and directors, who answer), and as
      // owner once it accepts (src/policy/case-grants.ts).
      const crossRegion = !(await regionAndHolding(em, to.id, c.id)).inRegionOfActor;
      const answerDue = addWorkingDays(ctx.clock.now(), handoverRules.answer.workingDays);
      em.create(CaseProcess, {
        id: processId,
        case: c.id,
        kind: handoverProcess.kind,
        workflowId,
        status: 'REQUESTED',
        startedBy: actor.userId,
        dueAt: answerDue,
        waitingOn: 'RECEIVER',
        facts: { fromAgencyId: c.owningAgency, toAgencyId: to.id, reason: input.reason } as CaseProcess['facts'],
      });
      const party = em.create(ProcessParty, {
        process: processId,
        role: 'RECEIVER',
        agency: to.id,
        name: to.name,
        status: 'SENT',
        acknowledgeDue: answerDue,
      });
      await em.flush();
      if (crossRegion)
        await em.getConnection().execute(
          `insert into case_access (case_id, agency_id, access, process_id, granted_at) values (?, ?, 'HANDOVER_PENDING', ?, ?)
             on conflict (agency_id, case_id) do nothing`,
          [c.id, to.id, processId, ctx.clock.now()],
          'all',
          em.getTransactionContext(),
        );
      const wf: HandoverInput = {
        caseId: c.id,
        processId,
        fromAgencyId: c.owningAgency,
        toAgencyId: to.id,
        partyId: party.id,
        answerDue: answerDue.toISOString(),
      };
      return {
        type: 'HANDOVER_REQUESTED',
        payload: {
          processId,
          fromAgencyId: c.owningAgency,
          toAgencyId: to.id,
          reason: input.reason,
          answerDue: wf.answerDue,
          ...(crossRegion ? { crossRegion: true } : {}),
        },
        input: wf,
      };
    });
  }

  accept(ctx: ExecutionContext, input: StepRef & { note: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: acceptHandoverUpdate,
      args: { note: input.note },
      idempotencyKey: input.idempotencyKey,
    });
  }

  returnCase(ctx: ExecutionContext, input: StepRef & { reason: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: returnHandoverUpdate,
      args: { reason: input.reason },
      idempotencyKey: input.idempotencyKey,
    });
  }
}
