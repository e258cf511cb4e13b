import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Writes to the workflow outbox, always inside the caller's transaction, so the workflow start or signal
 * exists exactly when the database change that needs it was committed. Every row goes through the database's
 * `outbox_append` (migrations/sql/080_outbox_append.sql), which the database functions call too.
 */
export async function enqueueWorkflowStart(em: EntityManager, opts: { workflowType: string; workflowId: string; args: unknown[] }): Promise<void> {
  await em.getConnection().execute(
    `select outbox_append('START', ?, ?, null, ?::jsonb)`,
    [opts.workflowType, opts.workflowId, JSON.stringify(opts.args)],
    'run',
    em.getTransactionContext(),
  );
}

/**
 * The relay adds the outbox row id to the payload as `deliveryId`: it may deliver a signal twice (a crash after
 * the signal, before it is marked delivered), and the workflow ignores a delivery id it has already seen.
 */
export async function enqueueWorkflowSignal(em: EntityManager, opts: { workflowId: string; signal: string; payload: Record<string, unknown> }): Promise<void> {
  await em.getConnection().execute(
    `select outbox_append('SIGNAL', null, ?, ?, ?::jsonb)`,
    [opts.workflowId, opts.signal, JSON.stringify([opts.payload])],
    'run',
    em.getTransactionContext(),
  );
}

/** Signals a workflow, starting it first if it is not running (the relay's signalWithStart). */
export async function enqueueWorkflowSignalWithStart(
  em: EntityManager,
  opts: { workflowType: string; workflowId: string; signal: string; args: unknown[] },
): Promise<void> {
  await em.getConnection().execute(
    `select outbox_append('SIGNAL_WITH_START', ?, ?, ?, ?::jsonb)`,
    [opts.workflowType, opts.workflowId, opts.signal, JSON.stringify(opts.args)],
    'run',
    em.getTransactionContext(),
  );
}
