import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import {
  caseEndedSignal,
  deadlineOperation,
  Deadlines,
  refuse,
  requireMember,
  StepWriter,
  stepKey,
  type StepActor,
} from '../../../workflows/process-kit';

/** A test-only process: the union is told of a case and acknowledges it; silence past the deadline escalates once. */
export interface UnionAcknowledgementInput {
  caseId: string;
  processId: string;
  unionAgencyId: string;
  acknowledgeDue: string;
}

export type UnionAcknowledgementStatus = 'WAITING' | 'ACKNOWLEDGED' | 'OVERDUE';

export const acknowledgeAsUnionUpdate = defineUpdate<{ status: UnionAcknowledgementStatus }, [{ actor: StepActor; note: string }]>(
  'acknowledgeAsUnion',
);

export async function unionAcknowledgement(input: UnionAcknowledgementInput): Promise<{ status: UnionAcknowledgementStatus }> {
  const steps = new StepWriter({ caseId: input.caseId, processId: input.processId });
  const deadlines = new Deadlines();
  let status: UnionAcknowledgementStatus = 'WAITING';
  let caseEnded = false;
  setHandler(caseEndedSignal, () => void (caseEnded = true));
  setHandler(
    acknowledgeAsUnionUpdate,
    async ({ actor, note }) => {
      status = 'ACKNOWLEDGED';
      await steps.write({
        stepKey: stepKey(input.processId, 'acknowledge'),
        actor,
        event: { type: 'UNION_ACKNOWLEDGED', payload: { note } },
        effects: [{ kind: 'process', status, end: { outcome: status } }],
      });
      return { status };
    },
    {
      validator: ({ actor, note }) => {
        requireMember(actor, input.unionAgencyId, ['MEDIATOR', 'OFFICER'], 'acknowledge for the union');
        if (status !== 'WAITING') refuse('CONFLICT', `the union's acknowledgement is ${status}`);
        if (!note.trim()) refuse('BAD_USER_INPUT', 'say what the union will do', 'input.note');
      },
    },
  );
  await steps.write({
    stepKey: `${input.processId}:notified`,
    event: { type: 'UNION_NOTIFIED', payload: { acknowledgeDue: input.acknowledgeDue } },
    effects: [{ kind: 'process', status: 'WAITING', dueAt: input.acknowledgeDue, waitingOn: 'UNION' }],
  });
  deadlines.at(input.acknowledgeDue, async () => {
    if (status !== 'WAITING' || caseEnded) return;
    status = 'OVERDUE';
    await steps.write({
      operation: deadlineOperation(),
      stepKey: `${input.processId}:overdue`,
      event: {
        type: 'ESCALATED',
        payload: { kind: 'UNION_ACKNOWLEDGEMENT_OVERDUE', deadline: input.acknowledgeDue, escalateTo: 'SUPERVISOR' },
      },
      effects: [{ kind: 'process', status, end: { outcome: status } }],
    });
  });
  await condition(() => status !== 'WAITING' || caseEnded);
  await condition(() => deadlines.idle && allHandlersFinished());
  return { status };
}
