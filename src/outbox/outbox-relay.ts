import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Orm } from '../db/database';
import type { Logger } from '../logger';

interface OutboxRow {
  id: string;
  action: 'START' | 'SIGNAL' | 'SIGNAL_WITH_START';
  workflow_type: string | null;
  workflow_id: string;
  signal_name: string | null;
  args: unknown[];
}

/**
 * Delivers the workflow outbox to Temporal in order. Several relays may run (API and worker processes); they
 * take turns under one advisory lock, so rows go out in the order they were written. Delivery is at-least-once and made idempotent at the receiver:
 * a start uses the case's fixed workflow id (a second start is "already started"), a signal carries its
 * delivery id.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<number> | undefined;
  private followUp: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly orm: Orm,
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly log: Logger,
  ) {}

  /**
   * Delivers what is pending now; returns how many rows were delivered. A call made while a pass runs gets one
   * more pass after it (the running pass may have read the outbox before the caller's commit); calls made
   * meanwhile share that follow-up pass.
   */
  drain(): Promise<number> {
    if (this.draining) {
      this.followUp ??= this.draining
        .catch(() => 0)
        .then(() => {
          this.followUp = undefined;
          return this.drain();
        });
      return this.followUp;
    }
    this.draining = this.drainPass().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async drainPass(): Promise<number> {
    let delivered = 0;
    // A stop waits for the batch in hand only: what is left stays in the outbox for the next relay.
    while (!this.stopped) {
      const n = await this.deliverBatch(100);
      delivered += n;
      if (n < 100) break;
    }
    return delivered;
  }

  private async deliverBatch(limit: number): Promise<number> {
    const em = this.orm.em.fork();
    return em.transactional(async (tem) => {
      const conn = tem.getConnection();
      const trx = tem.getTransactionContext();
      // One relay delivers at a time (API and worker processes each run one): with two, one could skip a row
      // the other holds and deliver the next first — a signal overtaking the start of its own workflow.
      await conn.execute(`select pg_advisory_xact_lock(hashtext('anxin:workflow-outbox'))`, [], 'all', trx);
      const rows = await conn.execute<OutboxRow[]>(
        `select id, action, workflow_type, workflow_id, signal_name, args from workflow_outbox
          where delivered_at is null order by id limit ? for update skip locked`,
        [limit],
        'all',
        trx,
      );
      let delivered = 0;
      for (const row of rows) {
        try {
          await this.deliver(row);
        } catch (err) {
          // Keep the order: a failed row blocks the ones after it until the next pass.
          await conn.execute(
            `update workflow_outbox set attempts = attempts + 1, last_error = ? where id = ?`,
            [String((err as Error).message).slice(0, 2000), row.id],
            'run',
            trx,
          );
          this.log.warn({ err, outboxId: row.id, workflowId: row.workflow_id }, 'outbox delivery failed; will retry');
          break;
        }
        await conn.execute(`update workflow_outbox set delivered_at = now(), attempts = attempts + 1 where id = ?`, [row.id], 'run', trx);
        delivered++;
      }
      return delivered;
    });
  }

  private async deliver(row: OutboxRow): Promise<void> {
    if (row.action === 'START') {
      try {
        await this.client.workflow.start(row.workflow_type!, { workflowId: row.workflow_id, taskQueue: this.taskQueue, args: row.args });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      return;
    }
    if (row.action === 'SIGNAL_WITH_START') {
      // Wakes the workflow, starting it first if it is not running (a webhook delivery workflow that went idle).
      await this.client.workflow.signalWithStart(row.workflow_type!, {
        workflowId: row.workflow_id,
        taskQueue: this.taskQueue,
        args: row.args,
        signal: row.signal_name!,
        signalArgs: [],
      });
      return;
    }
    const [payload] = row.args as [Record<string, unknown>];
    try {
      await this.client.workflow.getHandle(row.workflow_id).signal(row.signal_name!, { ...payload, deliveryId: Number(row.id) });
    } catch (err) {
      // A workflow that has already finished (the case ended) has nothing left to hear; holding the row would
      // block every row behind it. A workflow that never started is different: its START row comes first.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      this.log.warn({ outboxId: row.id, workflowId: row.workflow_id, signal: row.signal_name }, 'signal for a finished workflow dropped');
    }
  }

  /** Polls every `intervalMs` until stopped (the safety net behind the immediate nudges after a commit). */
  start(intervalMs = 1000): void {
    const tick = () => {
      this.drain()
        .catch((err: unknown) => this.log.warn({ err }, 'outbox relay pass failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const t = this.timer;
    this.timer = undefined;
    if (t) clearTimeout(t);
    await this.draining?.catch(() => undefined);
  }
}
