import type { UpdateDefinition } from '@temporalio/common';
import type { StepActor } from './process-step.contract';

/** A deadline of a process with where it comes from (a law and article, a city's rule, or "local practice"). */
export interface ProcessClock {
  source: string;
}

/** A step an agency takes on a running process: its Workflow Update, and who may take it (the validator's rule). */
export interface ProcessStepRule {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each step has its own arguments
  update: UpdateDefinition<any, [any & { actor: StepActor }]>;
  who: string;
  /** When a running process waits on this step, and whose task it then is (the dashboard's "my tasks"). */
  awaited?: AwaitedStep;
}

/**
 * When a step is awaited: the process is open, in one of `status` (if given) and waiting on one of `waitingOn` (if
 * given). `OWNER`: the task of the case's owning inspection agency. `PARTY`: the task of each agency that is a party
 * to the process (a recipient, an invitee, the police) whose own row is at `party` (if given): `unacknowledged` (no
 * acknowledgement yet), `unreported` (acknowledged, no report yet), or one of the listed party statuses.
 */
export interface AwaitedStep {
  /** The step's name in Chinese, as the dashboard shows it. */
  label: string;
  by: 'OWNER' | 'PARTY';
  status?: readonly string[];
  waitingOn?: readonly string[];
  party?: 'unacknowledged' | 'unreported' | readonly string[];
  /** The step's deadline: the process's `dueAt` (the default) or the party's own. */
  due?: 'process' | 'acknowledgeDue' | 'reportDue';
  /**
   * The roles that may take it (the same constants from src/policy/ the workflow's validator checks): only their
   * holders in the agency get the task. Absent: any member of the agency.
   */
  roles?: readonly string[];
}

/**
 * What a cross-agency process is, in one place: its kind (as stored and as the API's `ProcessKind`), its workflow
 * (the function itself: its name is the workflow type, its parameter the typed input), the id scheme of its
 * workflows, its facts, its clocks with their legal sources and who may take each step. The registry
 * (`src/processes/registry.ts`) lists every process; the worker bundles their workflows from it.
 */
export interface ProcessDefinition<TInput = never> {
  kind: string;
  /** The Chinese name shown with the kind (the GraphQL enum value's description). */
  label: string;
  workflow: (input: TInput) => Promise<unknown>;
  /** The module that exports `workflow` (absolute path): bundled into the worker's workflow code. */
  workflowModule: string;
  /** Workflow ids are `<idPrefix>-<process id>`. */
  idPrefix: string;
  /** What the process records in `case_process.facts`, in words. */
  facts: string;
  clocks: Record<string, ProcessClock>;
  steps: Record<string, ProcessStepRule>;
}

export type AnyProcessDefinition = ProcessDefinition<never> | ProcessDefinition<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Checks a definition's shape where it is written (and keeps its input type). */
export function defineProcess<TInput>(definition: ProcessDefinition<TInput>): ProcessDefinition<TInput> {
  return definition;
}

export function processWorkflowId(definition: { idPrefix: string }, processId: string): string {
  return `${definition.idPrefix}-${processId}`;
}
