import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Writes to the workflow outbox, always inside the caller's transaction, so the workflow start or signal
 * exists exactly when the database change that needs it was committed.
 */
export async function enqueueWorkflowStart(em: EntityManager, opts: { workflowType: string; workflowId: string; args: unknown[] }): Promise<void> {
  await em.getConnection().execute(
    `insert into workflow_outbox (action, workflow_type, workflow_id, args) values ('START', ?, ?, ?::jsonb)`,
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
    `insert into workflow_outbox (action, workflow_id, signal_name, args) values ('SIGNAL', ?, ?, ?::jsonb)`,
    [opts.workflowId, opts.signal, JSON.stringify([opts.payload])],
    'run',
    em.getTransactionContext(),
  );
}
