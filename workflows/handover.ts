import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import { EXTERNAL_REFERRAL_ACKNOWLEDGERS, HANDOVER_ANSWERERS } from '../src/policy/roles';
import {
  caseTagsSettled,
  caseEndedSignal,
  deadlineOperation,
  Deadlines,
  refuse,
  requireMember,
  StepWriter,
  stepKey,
  type StepActor,
  tagWithCase,
} from './process-kit';

/**
 * 移交 (首问负责): a case handed by its owning inspection agency to another (the city corps to a district brigade;
 * another city's brigade for a cross-region employer, 协查). The receiver's supervisor or director accepts it, and
 * the case changes owner, or returns it with a reason; until then the sender owns it. An answer missed by its
 * deadline (working days, computed by the API) is escalated once to the sender's supervisor; the receiver may
 * still answer after. The case ending (paid, closed, transferred) ends a handover still waiting.
 */
export interface HandoverInput {
  caseId: string;
  processId: string;
  fromAgencyId: string;
  toAgencyId: string;
  /** The receiver's `process_party` row. */
  partyId: string;
  /** The end of the answer's last working day (Beijing), as an instant. */
  answerDue: string;
}

export type HandoverStatus = 'WAITING' | 'ACCEPTED' | 'RETURNED';

export const acceptHandoverUpdate = defineUpdate<{ status: HandoverStatus }, [{ actor: StepActor; note: string }]>('acceptHandover');
export const returnHandoverUpdate = defineUpdate<{ status: HandoverStatus }, [{ actor: StepActor; reason: string }]>('returnHandover');

export async function handover(input: HandoverInput): Promise<{ status: HandoverStatus | 'CASE_ENDED' }> {
  const steps = new StepWriter({ caseId: input.caseId, processId: input.processId }, { opensWith: true });
  tagWithCase(input.caseId);
  const deadlines = new Deadlines();
  let status: HandoverStatus = 'WAITING';
  let caseEnded: string | undefined;
  setHandler(caseEndedSignal, ({ reason }) => void (caseEnded ??= reason));

  const validate = (actor: StepActor) => {
    requireMember(actor, input.toAgencyId, HANDOVER_ANSWERERS, 'answer a handover');
    if (caseEnded) refuse('CONFLICT', `the case has ended (${caseEnded}): the handover is over`);
    if (status !== 'WAITING') refuse('CONFLICT', `this handover was already answered: ${status}`);
  };
  /** Taken once: a write refused by the database (the owner changed meanwhile) leaves the handover waiting. */
  const answer = async (next: HandoverStatus, write: () => Promise<void>) => {
    status = next;
    try {
      await write();
    } catch (err) {
      status = 'WAITING';
      throw err;
    }
    return { status };
  };

  setHandler(
    acceptHandoverUpdate,
    ({ actor, note }) =>
      answer('ACCEPTED', () =>
        steps.write({
          stepKey: stepKey(input.processId, 'accept'),
          actor,
          event: {
            type: 'HANDOVER_ACCEPTED',
            payload: { note, owningAgency: { before: input.fromAgencyId, after: input.toAgencyId } },
          },
          effects: [
            { kind: 'owner', fromAgencyId: input.fromAgencyId, toAgencyId: input.toAgencyId },
            { kind: 'party', partyId: input.partyId, status: 'ACKNOWLEDGED', acknowledged: true, report: note },
            { kind: 'process', status: 'ACCEPTED', end: { outcome: 'ACCEPTED' }, facts: { answeredBy: actor.userId } },
          ],
        }),
      ),
    {
      validator: ({ actor, note }) => {
        validate(actor);
        if (typeof note !== 'string') refuse('BAD_USER_INPUT', 'say who takes the case up', 'input.note');
      },
    },
  );
  setHandler(
    returnHandoverUpdate,
    ({ actor, reason }) =>
      answer('RETURNED', () =>
        steps.write({
          stepKey: stepKey(input.processId, 'return'),
          actor,
          event: { type: 'HANDOVER_RETURNED', payload: { reason } },
          effects: [
            { kind: 'party', partyId: input.partyId, status: 'ACKNOWLEDGED', acknowledged: true, report: reason },
            {
              kind: 'process',
              status: 'RETURNED',
              end: { outcome: 'RETURNED' },
              facts: { answeredBy: actor.userId, returnReason: reason },
            },
          ],
        }),
      ),
    {
      validator: ({ actor, reason }) => {
        validate(actor);
        if (!reason?.trim()) refuse('BAD_USER_INPUT', 'a returned handover gives its reason', 'input.reason');
      },
    },
  );

  await steps.open({
    stepKey: `${input.processId}:sent`,
    event: { type: 'HANDOVER_SENT', payload: { toAgencyId: input.toAgencyId, answerDue: input.answerDue } },
    effects: [{ kind: 'process', status: 'WAITING', dueAt: input.answerDue, waitingOn: 'RECEIVER' }],
  });
  deadlines.at(input.answerDue, async () => {
    if (status !== 'WAITING' || caseEnded) return;
    await steps.write({
      operation: deadlineOperation(),
      stepKey: `${input.processId}:answer-overdue`,
      event: {
        type: 'ESCALATED',
        payload: {
          kind: 'HANDOVER_ANSWER_OVERDUE',
          deadline: input.answerDue,
          escalateTo: 'SUPERVISOR',
          agencyId: input.fromAgencyId,
          partyId: input.partyId,
        },
      },
      effects: [
        { kind: 'process', status: 'OVERDUE' },
        { kind: 'party', partyId: input.partyId, status: 'OVERDUE', escalationLevel: 'SUPERVISOR' },
      ],
    });
  });

  await condition(() => status !== 'WAITING' || caseEnded !== undefined);
  await condition(() => deadlines.idle && allHandlersFinished());
  if (status !== 'WAITING') {
    await caseTagsSettled();
    return { status };
  }
  await steps.write({
    stepKey: `${input.processId}:case-ended`,
    event: { type: 'HANDOVER_ENDED', payload: { reason: caseEnded } },
    effects: [{ kind: 'process', status: 'ENDED', end: { outcome: 'CASE_ENDED' } }],
  });
  await caseTagsSettled();
  return { status: 'CASE_ENDED' };
}

/**
 * 转介: a case referred to a body outside inspection (a court; the justice bureau for legal aid), tracked until that
 * body acknowledges it (with its own file reference), not as free text. Silence past the deadline (working days,
 * computed by the API) is escalated once to the sender's supervisor. It outlives the case: a referral usually goes
 * with the case's transfer, and the acknowledgement is still awaited after it.
 */
export interface ExternalReferralInput {
  caseId: string;
  processId: string;
  fromAgencyId: string;
  receiverAgencyId: string;
  partyId: string;
  acknowledgeDue: string;
}

export type ExternalReferralStatus = 'WAITING' | 'ACKNOWLEDGED';

export const acknowledgeExternalReferralUpdate = defineUpdate<
  { status: ExternalReferralStatus },
  [{ actor: StepActor; note: string; reference?: string | null }]
>('acknowledgeExternalReferral');

export async function externalReferral(input: ExternalReferralInput): Promise<{ status: ExternalReferralStatus }> {
  const steps = new StepWriter({ caseId: input.caseId, processId: input.processId }, { opensWith: true });
  tagWithCase(input.caseId);
  const deadlines = new Deadlines();
  let status: ExternalReferralStatus = 'WAITING';
  // The case ending does not end the referral: the receiving body still owes its acknowledgement.
  setHandler(caseEndedSignal, () => undefined);
  setHandler(
    acknowledgeExternalReferralUpdate,
    async ({ actor, note, reference }) => {
      status = 'ACKNOWLEDGED';
      await steps.write({
        stepKey: stepKey(input.processId, 'acknowledge'),
        actor,
        event: { type: 'EXTERNAL_REFERRAL_ACKNOWLEDGED', payload: { note, reference: reference ?? null } },
        effects: [
          { kind: 'party', partyId: input.partyId, status: 'ACKNOWLEDGED', acknowledged: true, report: note },
          { kind: 'process', status, end: { outcome: status }, facts: { receiverReference: reference ?? null } },
        ],
      });
      return { status };
    },
    {
      validator: ({ actor, note }) => {
        requireMember(actor, input.receiverAgencyId, EXTERNAL_REFERRAL_ACKNOWLEDGERS, 'acknowledge this referral');
        if (status !== 'WAITING') refuse('CONFLICT', `this referral was already ${status.toLowerCase()}`);
        if (!note?.trim()) refuse('BAD_USER_INPUT', 'say what your body does with the referral', 'input.note');
      },
    },
  );
  await steps.open({
    stepKey: `${input.processId}:sent`,
    event: { type: 'EXTERNAL_REFERRAL_SENT', payload: { receiverAgencyId: input.receiverAgencyId, acknowledgeDue: input.acknowledgeDue } },
    effects: [{ kind: 'process', status: 'WAITING', dueAt: input.acknowledgeDue, waitingOn: 'RECEIVER' }],
  });
  deadlines.at(input.acknowledgeDue, async () => {
    if (status !== 'WAITING') return;
    await steps.write({
      operation: deadlineOperation(),
      stepKey: `${input.processId}:acknowledgement-overdue`,
      event: {
        type: 'ESCALATED',
        payload: {
          kind: 'EXTERNAL_REFERRAL_ACKNOWLEDGEMENT_OVERDUE',
          deadline: input.acknowledgeDue,
          escalateTo: 'SUPERVISOR',
          agencyId: input.fromAgencyId,
          partyId: input.partyId,
        },
      },
      effects: [
        { kind: 'process', status: 'OVERDUE' },
        { kind: 'party', partyId: input.partyId, status: 'OVERDUE', escalationLevel: 'SUPERVISOR' },
      ],
    });
  });
  await condition(() => status !== 'WAITING');
  await condition(() => deadlines.idle && allHandlersFinished());
  await caseTagsSettled();
  return { status };
}
