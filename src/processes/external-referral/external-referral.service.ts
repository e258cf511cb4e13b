import { Agency } from '../../agencies/agency.entity';
import type { ExecutionContext } from '../../core/execution-context';
import { OPEN_CASE_STATUSES } from '../../domain/case-status';
import { badUserInput } from '../../domain/errors';
import { addWorkingDays } from '../../domain/working-days';
import { EXTERNAL_REFERRAL_RECEIVER_KINDS } from '../../policy/roles';
import { handoverRules } from '../../rules/handover-rules';
import { acknowledgeExternalReferralUpdate, type ExternalReferralInput } from '../../../workflows/handover';
import { CaseProcess, ProcessParty } from '../process.entity';
import type { ProcessService } from '../process.service';
import { externalReferralProcess } from './external-referral.definition';

export class ExternalReferralService {
  constructor(private readonly processes: ProcessService) {}

  /**
   * 转介: a caseworker of the owning agency refers an open case to a court, a justice bureau, the labour dispute
   * arbitration commission or the work-injury office, and waits for its acknowledgement.
   */
  refer(ctx: ExecutionContext, input: { caseId: string; receiverAgencyId: string; grounds: string }): Promise<CaseProcess> {
    return this.processes.start(
      ctx,
      externalReferralProcess,
      input.caseId,
      OPEN_CASE_STATUSES,
      async (c, em, { processId, workflowId, actor }) => {
        const receiver = await em.findOne(Agency, { id: input.receiverAgencyId });
        if (!receiver || !(EXTERNAL_REFERRAL_RECEIVER_KINDS as readonly string[]).includes(receiver.kind))
          throw badUserInput(
            'input.receiverAgencyId',
            'agency.referral-receiver',
            `a referral outside inspection goes to an agency of kind ${EXTERNAL_REFERRAL_RECEIVER_KINDS.join(' or ')}`,
          );
        if (!input.grounds.trim()) throw badUserInput('input.grounds', 'required', 'say why the case is referred');
        const acknowledgeDue = addWorkingDays(ctx.clock.now(), handoverRules.referralAcknowledgement.workingDays);
        em.create(CaseProcess, {
          id: processId,
          case: c.id,
          kind: externalReferralProcess.kind,
          workflowId,
          status: 'REQUESTED',
          startedBy: actor.userId,
          dueAt: acknowledgeDue,
          waitingOn: 'RECEIVER',
          facts: { receiverAgencyId: receiver.id, grounds: input.grounds } as CaseProcess['facts'],
        });
        const party = em.create(ProcessParty, {
          process: processId,
          role: receiver.kind,
          agency: receiver.id,
          name: receiver.name,
          status: 'SENT',
          acknowledgeDue,
        });
        await em.flush();
        const wf: ExternalReferralInput = {
          caseId: c.id,
          processId,
          fromAgencyId: c.owningAgency,
          receiverAgencyId: receiver.id,
          partyId: party.id,
          acknowledgeDue: acknowledgeDue.toISOString(),
        };
        return {
          type: 'EXTERNAL_REFERRAL_REQUESTED',
          payload: { processId, receiverAgencyId: receiver.id, grounds: input.grounds, acknowledgeDue: wf.acknowledgeDue },
          input: wf,
        };
      },
    );
  }

  acknowledge(
    ctx: ExecutionContext,
    input: { processId: string; note: string; reference?: string | null; idempotencyKey?: string | null },
  ): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: acknowledgeExternalReferralUpdate,
      args: { note: input.note, reference: input.reference ?? null },
      idempotencyKey: input.idempotencyKey,
    });
  }
}
