import {
  ActivityFailure,
  ApplicationFailure,
  currentUpdateInfo,
  defineSignal,
  proxyActivities,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { ProcessActivities, ProcessStepInput, StepActor } from '../src/processes/process-step.contract';
import { isMemberWithRole } from '../src/policy/roles';

/** What the processes share: refusing a step with a code, writing steps in order, and deadlines. */
export type { StepActor };

/** Sent by the case lifecycle to its processes when the case ends: wages paid, closed, transferred, rejected. */
export const caseEndedSignal = defineSignal<[{ reason: string }]>('caseEnded');

const { recordProcessStep } = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** The codes a refused step carries to the API caller (the API's own error codes). */
export type RefusalCode = 'FORBIDDEN' | 'CONFLICT' | 'BAD_USER_INPUT';

/** Refuses a step: thrown in an update validator, the caller gets it synchronously and nothing is written. */
export function refuse(code: RefusalCode, message: string, field?: string): never {
  throw ApplicationFailure.create({ type: code, message, nonRetryable: true, details: field ? [{ field }] : [] });
}

export function requireActor(actor: StepActor | undefined): StepActor {
  if (!actor) refuse('FORBIDDEN', 'this step needs a signed-in user');
  return actor;
}

/** The actor must belong to `agencyId` and hold one of `roles` (any role when none is named). */
export function requireMember(actor: StepActor | undefined, agencyId: string, roles: readonly string[], doing: string): StepActor {
  const a = requireActor(actor);
  if (a.agencyId !== agencyId) refuse('FORBIDDEN', `only the agency this is addressed to may ${doing}`);
  if (!isMemberWithRole(a, agencyId, roles)) refuse('FORBIDDEN', `to ${doing} takes the role ${roles.join(' or ')}`);
  return a;
}

/**
 * The operation recorded for a deadline's escalation. Named explicitly: a timer started inside an update handler
 * would otherwise inherit that update's name.
 */
export function deadlineOperation(): string {
  return `workflow:${workflowInfo().workflowType}:deadline`;
}

/** A step's idempotency key: the update id inside an update (retried updates share it), else a fixed name. */
export function stepKey(processId: string, name: string): string {
  const update = currentUpdateInfo();
  return `${processId}:${name}:${update ? update.id : 'main'}`;
}

/**
 * Writes process steps one at a time, in the order the workflow took them: an escalation and an
 * acknowledgement that cross never land in the wrong order. A refusal from the database side (the case no longer
 * allows the step) comes back as the ApplicationFailure with the API's code, so an update fails with it.
 */
export class StepWriter {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly base: { caseId: string; processId?: string }) {}

  write(step: Omit<ProcessStepInput, 'caseId' | 'processId' | 'at'> & { at?: string }): Promise<void> {
    const update = currentUpdateInfo();
    const input: ProcessStepInput = {
      ...this.base,
      at: step.at ?? new Date().toISOString(),
      operation: `workflow:${update ? update.name : workflowInfo().workflowType}`,
      ...step,
    };
    const run = this.chain.then(async () => {
      try {
        await recordProcessStep(input);
      } catch (err) {
        if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) throw err.cause;
        throw err;
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/**
 * Deadlines as timers that are left to run out rather than cancelled: Temporal's time-skipping test server
 * (1.38) rejects a workflow task that cancels one timer and starts another, and a timer that fires with nothing
 * left to do costs one history event. `idle` tells the workflow no deadline handler is mid-flight, so it can end.
 */
export class Deadlines {
  private firing = 0;

  at(due: string | number, onDue: () => Promise<void> | void): void {
    const ms = (typeof due === 'number' ? due : Date.parse(due)) - Date.now();
    void sleep(Math.max(1, ms)).then(async () => {
      this.firing++;
      try {
        await onDue();
      } finally {
        this.firing--;
      }
    });
  }

  get idle(): boolean {
    return this.firing === 0;
  }
}

/** The end of a Beijing calendar day (dates are Beijing's; instants are UTC). */
export function endOfBeijingDay(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00+08:00`) + 24 * 3600 * 1000;
}

export function beijingToday(): string {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
