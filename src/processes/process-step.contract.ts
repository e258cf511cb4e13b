import type { PaymentSource } from '../cases/case.entity';
import type { InstalmentStatus, PartyStatus, ProcessFacts } from './process.entity';
import type { CaseSearchFacts } from '../domain/search-attributes';

/**
 * What the workflows and the worker agree on: the activities a process workflow calls and their inputs. Types only,
 * so workflow code (in Temporal's sandbox) imports it without pulling in a service, and the activities implement it.
 */

/** Who takes a step, as the API verified it; workflows check it against the process's parties. */
export interface StepActor {
  userId: string;
  agencyId: string;
  roles: string[];
}

/** A change to the process's rows, applied with the step's case-file entry in one transaction. */
export type ProcessEffect =
  | {
      kind: 'process';
      status?: string;
      dueAt?: string | null;
      waitingOn?: string | null;
      end?: { outcome: string };
      facts?: ProcessFacts & Record<string, unknown>;
    }
  | {
      kind: 'party';
      partyId: string;
      status?: PartyStatus;
      acknowledged?: boolean;
      reported?: boolean;
      report?: string;
      escalationLevel?: string;
    }
  | { kind: 'instalments'; plan: Array<{ seq: number; dueOn: string; amountFen: number }> }
  | { kind: 'instalment'; seq: number; status: InstalmentStatus; paidOn?: string }
  | {
      kind: 'payment';
      amountFen: number;
      workersPaid: number;
      paidOn: string;
      payer: string;
      source: PaymentSource;
      /** 工资发放到人: the parts per worker of the case's roster, checked as the API's recordPayment checks them. */
      allocations?: Array<{ owedWorkerId: string; amountFen: number }>;
      /** Where the payment was in the step's input (errors name its fields under it); `input` unless given. */
      inputField?: string;
    }
  | { kind: 'extension'; resolutionExtendedDue: string }
  /** 移交 accepted: the case changes owner (首问负责 until then); the sender's lead stops being the case's lead. */
  | { kind: 'owner'; fromAgencyId: string; toAgencyId: string };

export interface ProcessStepInput {
  caseId: string;
  processId?: string;
  /** Unique within the case: a retried activity finds it in the case file and writes nothing. */
  stepKey: string;
  /** The workflow's time of the step (deterministic, and the time the step was accepted). */
  at: string;
  /** What took the step: `workflow:<update>` for an agency's step, `workflow:<workflow type>` for a deadline. */
  operation?: string;
  actor?: StepActor;
  /** The case-file entry: a process names its own entry types (DISPATCH_ACKNOWLEDGED, ESCALATED …). */
  event: { type: string; payload: Record<string, unknown> };
  /** Further entries that go with the step (a filed referral opens the blacklist path). */
  alsoEvents?: Array<{ type: string; payload: Record<string, unknown> }>;
  effects: ProcessEffect[];
}

export interface EscalationInput {
  caseId: string;
  /** SAME_DAY_CONTACT_MISSED, ACCEPTANCE_OVERDUE, RESOLUTION_OVERDUE … */
  kind: string;
  deadline: string;
  escalateTo: string;
}

/** The activities the case and process workflows call (names are part of their histories: never rename). */
export interface ProcessActivities {
  /**
   * One step of a cross-agency process (or one of its escalations), written once. `facts`: the case as the step left
   * it, for the workflow's search attributes, where the namespace has them (else absent).
   */
  recordProcessStep(input: ProcessStepInput): Promise<{ recorded: boolean; facts?: CaseSearchFacts }>;
  /**
   * A lifecycle clock's own timer ran out (or its step was heard of only after the deadline): escalates it into the
   * case file once if the clock was still open as the case stood at the deadline (escalate_clock_at). `recorded`:
   * written by this call; `escalated`: on record now (this call or an earlier attempt), false when the case file
   * shows the step taken by the instant. Histories recorded before `escalated` existed read it as absent.
   */
  recordEscalation(input: EscalationInput): Promise<{ recorded: boolean; escalated?: boolean }>;
  /**
   * Every lifecycle clock of every case that runs out at `due` and was still open at that instant, escalated into
   * its case file once (escalate_due_clocks, in batches): what a deadline group (workflows/deadline-group.ts) does
   * when its one timer fires. Answers how many it escalated, and how many it could not write (each logged).
   */
  escalateDueClocks(input: { due: string }): Promise<{ escalated: number; failed: number }>;
  /** Makes sure the deadline group of the instant `due` runs (starts it unless it is already running). */
  joinDeadlineGroup(input: { due: string }): Promise<void>;
  /**
   * The case's facts for the calling workflow's search attributes, or null when the namespace does not have them
   * registered (the time-skipping test server, a cluster not yet set up) or the case is not found.
   */
  caseSearchFacts(input: { caseId: string }): Promise<CaseSearchFacts | null>;
}
