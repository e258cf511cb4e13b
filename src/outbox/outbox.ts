import type { EntityManager } from '@mikro-orm/postgresql';
import type { SignalDefinition } from '@temporalio/common';

/** A workflow function: its name is the workflow type, its parameters the start arguments (typed handles, no strings). */
type WorkflowFunction<A extends unknown[]> = (...args: A) => Promise<unknown>;
/** What a signal carries besides the `deliveryId` the relay adds. */
type SignalPayload<S> = S extends { deliveryId: number } ? Omit<S, 'deliveryId'> : S;

/**
 * Writes to the workflow outbox, always inside the caller's transaction, so the workflow start or signal
 * exists exactly when the database change that needs it was committed. Every row goes through the database's
 * `outbox_append` (migrations/sql/080_outbox_append.sql), which the database functions call too.
 */
export async function enqueueWorkflowStart<A extends unknown[]>(
  em: EntityManager,
  opts: { workflow: WorkflowFunction<A>; workflowId: string; args: A },
): Promise<void> {
  await em
    .getConnection()
    .execute(
      `select outbox_append('START', ?, ?, null, ?::jsonb)`,
      [opts.workflow.name, opts.workflowId, JSON.stringify(opts.args)],
      'run',
      em.getTransactionContext(),
    );
}

/**
 * The relay adds the outbox row id to the payload as `deliveryId`: it may deliver a signal twice (a crash after
 * the signal, before it is marked delivered), and the workflow ignores a delivery id it has already seen.
 */
export async function enqueueWorkflowSignal<S>(
  em: EntityManager,
  opts: { workflowId: string; signal: SignalDefinition<[S]>; payload: SignalPayload<S> },
): Promise<void> {
  await em
    .getConnection()
    .execute(
      `select outbox_append('SIGNAL', null, ?, ?, ?::jsonb)`,
      [opts.workflowId, opts.signal.name, JSON.stringify([opts.payload])],
      'run',
      em.getTransactionContext(),
    );
}

/** Signals a workflow, starting it first if it is not running (the relay's signalWithStart). */
export async function enqueueWorkflowSignalWithStart<A extends unknown[]>(
  em: EntityManager,
  opts: { workflow: WorkflowFunction<A>; workflowId: string; signal: SignalDefinition<[]>; args: A },
): Promise<void> {
  await em
    .getConnection()
    .execute(
      `select outbox_append('SIGNAL_WITH_START', ?, ?, ?, ?::jsonb)`,
      [opts.workflow.name, opts.workflowId, opts.signal.name, JSON.stringify(opts.args)],
      'run',
      em.getTransactionContext(),
    );
}

/**
 * A signal whose handler takes no arguments and only reads the facts again (`caseFactsChanged`), so a repeated
 * delivery changes nothing: the relay still hands it the row id as `deliveryId`, which the handler ignores.
 */
export async function enqueueWorkflowRefresh(em: EntityManager, opts: { workflowId: string; signal: SignalDefinition<[]> }): Promise<void> {
  await em
    .getConnection()
    .execute(
      `select outbox_append('SIGNAL', null, ?, ?, ?::jsonb)`,
      [opts.workflowId, opts.signal.name, JSON.stringify([{}])],
      'run',
      em.getTransactionContext(),
    );
}
