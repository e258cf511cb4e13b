import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExecutionContext } from '../../core/execution-context';
import { addWorkingDays } from '../../domain/working-days';
import type { Case } from '../../cases/case.entity';
import { enqueueWorkflowStart } from '../../outbox/outbox';
import { callbackRules, sampledForCallback } from '../../rules/closure-callback';
import {
  callback,
  recordCallbackUpdate,
  reviewCallbackUpdate,
  type CallbackInput,
  type ReviewDecision,
  type Satisfaction,
} from '../../../workflows/callback';
import { processWorkflowId } from '../process-definition';
import { CaseProcess } from '../process.entity';
import type { ProcessService } from '../process.service';
import { callbackProcess } from './callback.definition';

type StepRef = { processId: string; idempotencyKey?: string | null };

/**
 * Schedules the callback of a case being closed, in the closing's transaction: the process row and the outbox
 * START of its workflow (the case's lifecycle has ended, so the callback is not its child). Returns the process id,
 * or undefined when the case is not in the city's sample.
 */
export async function scheduleCallback(
  ctx: ExecutionContext,
  em: EntityManager,
  c: Case,
  startedBy: string,
  rate: number = callbackRules.samplingRate.rate,
): Promise<{ processId: string; callbackDue: Date } | undefined> {
  if (!sampledForCallback(c.id, rate)) return undefined;
  const processId = randomUUID();
  const workflowId = processWorkflowId(callbackProcess, processId);
  const callbackDue = addWorkingDays(ctx.clock.now(), callbackRules.callbackWithin.workingDays);
  em.create(CaseProcess, {
    id: processId,
    case: c.id,
    kind: callbackProcess.kind,
    workflowId,
    status: 'REQUESTED',
    startedBy,
    dueAt: callbackDue,
    waitingOn: 'INSPECTION',
  });
  await em.flush();
  const input: CallbackInput = {
    caseId: c.id,
    caseNumber: c.number,
    processId,
    hrssAgencyId: c.owningAgency,
    callbackDue: callbackDue.toISOString(),
  };
  await enqueueWorkflowStart(em, { workflow: callback, workflowId, args: [input] });
  return { processId, callbackDue };
}

export class CallbackService {
  constructor(private readonly processes: ProcessService) {}

  /** 回访: the call made (reached or not) and, when reached, what the complainant said. */
  recordCallback(
    ctx: ExecutionContext,
    input: StepRef & {
      reached: boolean;
      wagesReceivedInFull?: boolean | null;
      satisfaction?: Satisfaction | null;
      notes?: string | null;
    },
  ): Promise<CaseProcess> {
    // The review's clock, should this callback open one: working days from now, on the calendar the API holds.
    const reviewDue = addWorkingDays(ctx.clock.now(), callbackRules.reviewWithin.workingDays).toISOString();
    return this.processes.step(ctx, {
      processId: input.processId,
      update: recordCallbackUpdate,
      args: {
        reached: input.reached,
        wagesReceivedInFull: input.wagesReceivedInFull ?? null,
        satisfaction: input.satisfaction ?? null,
        notes: input.notes ?? null,
        reviewDue,
      },
      idempotencyKey: input.idempotencyKey,
    });
  }

  /** The supervisor's review of a callback that found wages unpaid or the complainant dissatisfied. */
  reviewCallback(ctx: ExecutionContext, input: StepRef & { decision: ReviewDecision; findings: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: reviewCallbackUpdate,
      args: { decision: input.decision, findings: input.findings },
      idempotencyKey: input.idempotencyKey,
    });
  }
}
