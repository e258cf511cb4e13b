import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  currentUpdateInfo,
  defineSignal,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ProcessActivities, ProcessStepInput, StepActor } from '../src/processes/process-step.contract';
import type { CaseSearchFacts } from '../src/domain/search-attributes';
import { caseSearchAttributePairs, SEARCH_ATTRIBUTES } from '../src/domain/search-attributes';
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
 * The patch that makes a process's opening entry the first it writes. An update that reaches a workflow with its start
 * (the first workflow task carries both) runs as soon as its handler is set, before the workflow's own code reaches
 * its opening write: its step was written first, and the opening's status then overwrote the step's (a referral
 * approved at once read AWAITING_APPROVAL in the database). Histories recorded before it replay as they ran.
 */
export const OPENING_FIRST_PATCH = 'process-opening-first';

/** A step as a workflow writes it: the writer adds the case, the process and (unless given) the instant. */
type StepCall = Omit<ProcessStepInput, 'caseId' | 'processId' | 'at'> & { at?: string };

/**
 * Writes process steps one at a time, in the order the workflow took them: an escalation and an
 * acknowledgement that cross never land in the wrong order. A refusal from the database side (the case no longer
 * allows the step) comes back as the ApplicationFailure with the API's code, so an update fails with it.
 *
 * A process's writer (`opensWith: true`) holds every write until the workflow has issued its opening entry (`open`):
 * steps taken before it wait for it, then go in the order they were taken.
 */
export class StepWriter {
  private chain: Promise<unknown> = Promise.resolve();
  private release?: (opened: Promise<unknown>) => void;

  constructor(
    private readonly base: { caseId: string; processId?: string },
    options: { opensWith?: boolean } = {},
  ) {
    if (options.opensWith && patched(OPENING_FIRST_PATCH)) this.chain = new Promise((resolve) => (this.release = resolve));
  }

  /** The process's opening entry: written before any step that reached the workflow with its start. */
  open(step: StepCall): Promise<void> {
    const release = this.release;
    if (!release) return this.write(step);
    this.release = undefined;
    const run = Promise.resolve().then(() => this.record(this.input(step)));
    release(run.catch(() => undefined));
    return run;
  }

  write(step: StepCall): Promise<void> {
    const input = this.input(step); // now: an update's name is known only inside its handler's synchronous part
    const run = this.chain.then(() => this.record(input));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private input(step: StepCall): ProcessStepInput {
    const update = currentUpdateInfo();
    return {
      ...this.base,
      at: step.at ?? new Date().toISOString(),
      operation: `workflow:${update ? update.name : workflowInfo().workflowType}`,
      ...step,
    };
  }

  private async record(input: ProcessStepInput): Promise<void> {
    let written: Awaited<ReturnType<ProcessActivities['recordProcessStep']>>;
    try {
      written = await recordProcessStep(input);
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) throw err.cause;
      throw err;
    }
    await caseFactsMayHaveChanged(input, written.facts);
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

/** Sent to a case's lifecycle when a process changed the case's owner: its search attributes are read again. */
export const caseFactsChangedSignal = defineSignal('caseFactsChanged');

/** The patch that added search attributes: histories recorded before it replay without them. */
export const SEARCH_ATTRIBUTES_PATCH = 'search-attributes';

const { caseSearchFacts } = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '30 seconds',
  // A worker or server that cannot answer leaves the attributes unset: the workflow never waits on them.
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/**
 * The patch that lets a workflow started with its search attributes (the outbox relay passes them in the start options,
 * src/outbox/outbox-relay.ts `workflowStartOptions`) skip its first `caseSearchFacts` read: histories recorded before it
 * replay with that read.
 */
export const SEARCH_ATTRIBUTES_AT_START_PATCH = 'search-attributes-at-start';

/** Whether this workflow was started with all five of its search attributes (what the relay's start options carry). */
function startedWithCaseTags(): boolean {
  const attrs = workflowInfo().typedSearchAttributes;
  return Object.values(SEARCH_ATTRIBUTES).every((key) => attrs.get(key) !== undefined);
}

/** This workflow's search-attribute tagger (a workflow's module state is its own). */
let tagger: { caseId: string; dirty: boolean; busy: boolean } | undefined;

/**
 * Sets this workflow's search attributes (src/domain/search-attributes.ts) from its case, now and again after each
 * step it writes (and on `refreshCaseTags`): case number, region, owning agency, status, and its own type as the
 * process kind. A workflow the outbox relay started with the five attributes already set skips the first read (patch
 * `search-attributes-at-start`). Runs beside the workflow (a written step brings its own facts back, see StepWriter): a namespace without
 * the attributes (the activity answers null) or an activity that fails leaves them unset, and the workflow carries on. Guarded by a patch, so
 * histories recorded before it replay unchanged.
 */
export function tagWithCase(caseId: string): void {
  if (!patched(SEARCH_ATTRIBUTES_PATCH)) return;
  // Started with its attributes (the relay read them with its batch): no read now; steps and signals refresh them.
  const startedTagged = patched(SEARCH_ATTRIBUTES_AT_START_PATCH) && startedWithCaseTags();
  const t = { caseId, dirty: !startedTagged, busy: false };
  tagger = t;
  void (async () => {
    for (;;) {
      await condition(() => t.dirty);
      t.dirty = false;
      t.busy = true;
      let facts: Awaited<ReturnType<ProcessActivities['caseSearchFacts']>>;
      try {
        facts = await caseSearchFacts({ caseId });
      } catch {
        facts = null;
      }
      t.busy = false;
      if (!facts) {
        tagger = undefined; // not registered here (or no such case): stop asking
        return;
      }
      upsertCaseTags(facts);
    }
  })();
}

function upsertCaseTags(facts: CaseSearchFacts): void {
  upsertSearchAttributes(caseSearchAttributePairs(workflowInfo().workflowType, facts));
}

/** The case may have changed (a step, a status signal): read its search attributes again. */
export function refreshCaseTags(): void {
  if (tagger) tagger.dirty = true;
}

/**
 * The patch after which a workflow lets its last tag read finish before it ends: histories recorded before it ended
 * with the read in flight, and replay so.
 */
export const TAGS_SETTLE_PATCH = 'case-tags-settle-before-end';

/**
 * Waits until no read of the case's search attributes is in flight or asked for; every workflow that tags itself
 * calls it just before it returns. The step that ends a workflow (a case resolved, a process closed) is often the
 * one that moved the case's status: a workflow that completed with its read still running kept the status from
 * before (AnxinCaseStatus IN_PROGRESS on a lifecycle that ended RESOLVED), and its activity was left pending on a
 * completed workflow, which on the time-skipping test server (1.38) also holds time skipping locked for good.
 * Asks the patch only when there is something to wait for, so most endings carry no marker.
 */
export async function caseTagsSettled(): Promise<void> {
  const t = tagger;
  if (!t || !(t.busy || t.dirty) || !patched(TAGS_SETTLE_PATCH)) return;
  // A read that answers null stops the tagger (tagger is cleared): nothing more will be read.
  await condition(() => tagger !== t || (!t.busy && !t.dirty));
}

/**
 * After a step: the tags follow the case as the step left it (`facts`, from the step's own activity), and a change of
 * owner is told to the case's lifecycle (`case-<case id>`) before the step returns — a process often ends with its
 * last step, and what is left running when a workflow completes (a signal to another workflow) is dropped with it.
 */
async function caseFactsMayHaveChanged(step: ProcessStepInput, facts: CaseSearchFacts | undefined): Promise<void> {
  const t = tagger;
  if (!t) return;
  if (step.effects.some((e) => e.kind === 'owner') && workflowInfo().workflowId !== `case-${step.caseId}`) {
    await getExternalWorkflowHandle(`case-${step.caseId}`)
      .signal(caseFactsChangedSignal)
      .catch(() => undefined);
  }
  if (!facts) return;
  upsertCaseTags(facts);
  // A read of the tagger's still under way holds older facts: it reads again after, so the last word is fresh.
  if (t.busy) t.dirty = true;
}
