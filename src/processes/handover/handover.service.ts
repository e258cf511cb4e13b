import { Agency } from '../../agencies/agency.entity';
import { canSeeCase } from '../../auth/access';
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
      // The receiver must see the case by the case scope (labour inspection sees by region): a handover it could not
      // read would wait unanswered. A cross-region 协查 needs the scope widened first (see the README).
      if (!(await canSeeCase(em, { userId: actor.userId, agencyId: to.id, agencyKind: to.kind }, c.id)))
        throw badUserInput(
          'input.toAgencyId',
          'handover.jurisdiction',
          'the receiving agency’s jurisdiction does not cover the case’s region, so it could not see the case',
        );
      if (!input.reason.trim()) throw badUserInput('input.reason', 'required', 'say why the case is handed over');
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
        payload: { processId, fromAgencyId: c.owningAgency, toAgencyId: to.id, reason: input.reason, answerDue: wf.answerDue },
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
