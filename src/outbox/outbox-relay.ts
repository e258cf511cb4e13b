import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import { Pool, type PoolClient } from 'pg';
import type { Orm } from '../db/database';
import { caseSearchAttributePairs, type CaseSearchFacts } from '../domain/search-attributes';
import type { Logger } from '../logger';
import { inSpanContinuing } from '../observability/tracing';
import { searchAttributesRegistered } from '../worker/search-attributes-registered';

interface OutboxRow {
  id: string;
  action: 'START' | 'SIGNAL' | 'SIGNAL_WITH_START';
  workflow_type: string | null;
  workflow_id: string;
  signal_name: string | null;
  args: unknown[];
  /** The started case's facts for its search attributes, read with the batch (START rows, registered namespaces). */
  case_number: string | null;
  region_code: string | null;
  owning_agency_id: string | null;
  case_status: string | null;
  /** The W3C traceparent of the transaction that wrote the row (tracing on), continued by its delivery. */
  traceparent: string | null;
}

/**
 * How the relay delivers. Tuning, not law: local practice on this machine (issue 16's bench, `npm run
 * bench:intake-e2e`). A start costs one round trip to Temporal (≈ 8–10 ms on the dev server), so one row at a time
 * caps the relay at ≈ 100 starts/s whatever the server could take; 32 in flight is what a bare start loop needs to
 * reach the dev server's own rate. More rows per batch keep more workflows in flight between two commits.
 */
export interface OutboxRelayOptions {
  /** Rows read and marked per transaction (`OUTBOX_RELAY_BATCH_SIZE`, default 500). */
  batchSize: number;
  /** Workflows delivered to at the same time within a batch (`OUTBOX_RELAY_CONCURRENCY`, default 32). */
  concurrency: number;
  /**
   * Batches on a database connection of the relay's own (`OUTBOX_RELAY_OWN_CONNECTION`, default true where the
   * composition root builds the relay), not one taken from the MikroORM pool that concurrent requests queue for; the
   * connection is held for a batch's transaction, Temporal calls included. False here: a relay built bare (tests)
   * uses the pool.
   */
  ownConnection: boolean;
  /**
   * Whether the client's namespace has Anxin's search attributes (cached by the function, not asked per start); by
   * default asked of the client's own connection (src/worker/search-attributes-registered.ts).
   */
  searchAttributesRegistered?: (namespace: string) => Promise<boolean>;
  /**
   * How long `stop` waits for the batch in hand (5 s). Past it the batch is left: its transaction rolls back with the
   * process and its rows stay pending for the next relay (at-least-once). A Temporal server or database already gone
   * (an outage, or servers stopped before this process) otherwise holds the shutdown while the client retries.
   */
  stopWaitMs: number;
}

export const defaultOutboxRelayOptions: OutboxRelayOptions = { batchSize: 500, concurrency: 32, ownConnection: false, stopWaitMs: 5_000 };

/**
 * The options of a workflow start, built in this one place (a start and a signal-with-start alike): what every
 * workflow the outbox starts has in common goes here. With `facts` (the case the workflow runs for, where the
 * namespace has the attributes registered), the workflow starts with its five search attributes
 * (src/domain/search-attributes.ts) and skips reading them through an activity (workflows/process-kit.ts
 * `tagWithCase`).
 */
export function workflowStartOptions(
  row: Pick<OutboxRow, 'workflow_id' | 'workflow_type' | 'args'>,
  taskQueue: string,
  facts?: CaseSearchFacts | null,
): WorkflowStartOptions {
  return {
    workflowId: row.workflow_id,
    taskQueue,
    args: row.args,
    ...(facts && row.workflow_type ? { typedSearchAttributes: caseSearchAttributePairs(row.workflow_type, facts) } : {}),
  };
}

/** A row's case facts, when the batch's query found them (all four or none). */
function rowFacts(row: OutboxRow): CaseSearchFacts | null {
  if (row.case_number === null || row.region_code === null || row.owning_agency_id === null || row.case_status === null) return null;
  return { caseNumber: row.case_number, region: row.region_code, owningAgency: row.owning_agency_id, caseStatus: row.case_status };
}

/** A statement inside the batch's transaction (`?` placeholders, in order). */
type Exec = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/**
 * Delivers the workflow outbox to Temporal, each workflow's rows in the order they were written. Delivery is
 * at-least-once and made idempotent at the receiver: a start uses the case's fixed workflow id (a second start is
 * "already started"), a signal carries its delivery id (the row id).
 *
 * A batch is the oldest pending rows, taken under one advisory lock held for the batch's transaction. Inside it the
 * rows are split by workflow id: each workflow's rows go out one after another in id order, different workflows at
 * the same time (at most `concurrency` in flight). That order is all Temporal can observe: a start and the signals
 * of one workflow arrive in the order written; two different workflows never depended on each other's order (a
 * child process is started by its parent's workflow, not by the outbox).
 *
 * Why several relays (API and worker processes each run one) cannot reorder a workflow's rows: only the relay that
 * holds the lock reads and delivers, and it marks what it delivered before it lets go (the commit releases the lock).
 * The next relay's batch starts with the oldest row still pending, so a workflow's earlier row is always in the same
 * batch as its later ones and is delivered before them. A row that fails (Temporal down, a non-retryable error)
 * stops the rest of its own workflow's rows in that batch — they stay pending behind it, and the next batch finds
 * it first again — while the other workflows' rows go out. A crash after a Temporal call and before the commit
 * leaves the batch pending: the next relay delivers it again, and the receivers ignore what they already have.
 * A START row of a case (its first argument's `caseId`) is read with that case's number, region, owner and status in
 * the batch's one query (a lateral join on the case's primary key, only where the namespace has the search
 * attributes), so the workflow starts with its search attributes (`workflowStartOptions`).
 *
 * (Locking per workflow instead, `pg_try_advisory_xact_lock(hashtext(workflow_id))`, would let two relays deliver
 * side by side; one relay already reaches the Temporal server's own start rate, so the simpler lock stays.)
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<number> | undefined;
  private followUp: Promise<number> | undefined;
  private stopped = false;
  private readonly opts: OutboxRelayOptions;
  private readonly registered: (namespace: string) => Promise<boolean>;
  /** The relay's own connection (a pool of one), opened at its first batch when `ownConnection`. */
  private pool: Pool | undefined;

  constructor(
    private readonly orm: Orm,
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly log: Logger,
    opts: Partial<OutboxRelayOptions> = {},
  ) {
    this.opts = { ...defaultOutboxRelayOptions, ...opts };
    this.registered = this.opts.searchAttributesRegistered ?? searchAttributesRegistered(client.connection);
  }

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
      const batch = await this.deliverBatch(this.opts.batchSize);
      delivered += batch.delivered;
      // A short batch was everything pending; one that delivered nothing is stuck on failures (the next pass, a
      // second later, tries again rather than spinning on them now).
      if (batch.read < this.opts.batchSize || batch.delivered === 0) break;
    }
    return delivered;
  }

  /** Runs `fn` in one transaction: on the relay's own connection, or on one of the MikroORM pool's. */
  private async inTransaction<T>(fn: (exec: Exec) => Promise<T>): Promise<T> {
    if (!this.opts.ownConnection) {
      return this.orm.em.fork().transactional(async (tem) => {
        const conn = tem.getConnection();
        const trx = tem.getTransactionContext();
        return fn((sql, params) => conn.execute(sql, params, 'all', trx));
      });
    }
    this.pool ??= this.openPool();
    const client: PoolClient = await this.pool.connect();
    let broken: Error | undefined;
    // The pool listens for errors only on idle connections; this one is held across the batch's Temporal calls, and
    // PostgreSQL ending it then (a shutdown, Ctrl-C under npm start) is an 'error' event that would end the process.
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      await client.query('begin');
      const result = await fn(async <R>(sql: string, params: unknown[]) => {
        let n = 0;
        const res = await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        );
        return res.rows as R[];
      });
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch((e: unknown) => (broken = e as Error));
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  private openPool(): Pool {
    const pool = new Pool({
      connectionString: this.orm.config.get('clientUrl'),
      max: 1,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
      application_name: 'anxin-outbox-relay',
    });
    // A connection the server ends (a restart, a dropped test database) is replaced at the next batch.
    pool.on('error', (err) => this.log.warn({ err }, 'outbox relay connection lost'));
    return pool;
  }

  /** Whether this batch's starts carry search attributes: the namespace has them (a failed answer: no). */
  private async tagsStarts(): Promise<boolean> {
    try {
      return await this.registered(this.client.options.namespace);
    } catch {
      return false;
    }
  }

  private async deliverBatch(limit: number): Promise<{ read: number; delivered: number }> {
    // Asked before the lock, and cached: not a call per start.
    const tag = await this.tagsStarts();
    return this.inTransaction(async (exec) => {
      // One relay reads and delivers at a time (see the class comment for why this keeps each workflow's order).
      await exec(`select pg_advisory_xact_lock(hashtext('anxin:workflow-outbox'))`, []);
      const rows = await exec<OutboxRow>(
        `select o.id, o.action, o.workflow_type, o.workflow_id, o.signal_name, o.args, o.traceparent,
                c.number as case_number, c.region_code, c.owning_agency_id, c.status as case_status
           from workflow_outbox o
           left join lateral (
             select w.number, w.region_code, w.owning_agency_id, w.status from wage_case w
              where ?::boolean and o.action = 'START'
                and w.id = case when o.args->0->>'caseId' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                                then (o.args->0->>'caseId')::uuid end
           ) c on true
          where o.delivered_at is null order by o.id limit ? for update of o skip locked`,
        [tag, limit],
      );
      if (rows.length === 0) return { read: 0, delivered: 0 };

      // Each workflow's rows, in id order (the rows came sorted; a Map keeps its first-seen order).
      const byWorkflow = new Map<string, OutboxRow[]>();
      for (const row of rows) {
        const list = byWorkflow.get(row.workflow_id);
        if (list) list.push(row);
        else byWorkflow.set(row.workflow_id, [row]);
      }
      const delivered: string[] = [];
      const failed: Array<{ row: OutboxRow; err: unknown }> = [];
      await forEachLimited([...byWorkflow.values()], this.opts.concurrency, async (list) => {
        for (const row of list) {
          try {
            await inSpanContinuing(row.traceparent, 'outbox.relay.deliver', () => this.deliver(row), {
              'anxin.outbox.id': row.id,
              'anxin.outbox.action': row.action,
            });
          } catch (err) {
            // The rest of this workflow's rows wait behind the failed one, for the next batch.
            failed.push({ row, err });
            return;
          }
          delivered.push(row.id);
        }
      });

      // One statement for what went out, one for what failed.
      if (delivered.length > 0)
        await exec(
          `update workflow_outbox set delivered_at = now(), attempts = attempts + 1
            where id in (select jsonb_array_elements_text(?::jsonb)::bigint)`,
          [JSON.stringify(delivered)],
        );
      if (failed.length > 0) {
        await exec(
          `update workflow_outbox o set attempts = o.attempts + 1, last_error = f.error
             from jsonb_to_recordset(?::jsonb) as f(id bigint, error text) where o.id = f.id`,
          [JSON.stringify(failed.map((f) => ({ id: f.row.id, error: String((f.err as Error)?.message ?? f.err).slice(0, 2000) })))],
        );
        const first = failed[0]!;
        this.log.warn(
          { err: first.err, outboxId: first.row.id, workflowId: first.row.workflow_id, failedWorkflows: failed.length },
          'outbox delivery failed; will retry',
        );
      }
      return { read: rows.length, delivered: delivered.length };
    });
  }

  private async deliver(row: OutboxRow): Promise<void> {
    if (row.action === 'START') {
      try {
        await this.client.workflow.start(row.workflow_type!, workflowStartOptions(row, this.taskQueue, rowFacts(row)));
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      return;
    }
    if (row.action === 'SIGNAL_WITH_START') {
      // Wakes the workflow, starting it first if it is not running (a webhook delivery workflow that went idle).
      await this.client.workflow.signalWithStart(row.workflow_type!, {
        ...workflowStartOptions(row, this.taskQueue),
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
    const inHand = this.draining?.then(
      () => true,
      () => true,
    );
    let timer: NodeJS.Timeout | undefined;
    const finished =
      !inHand || (await Promise.race([inHand, new Promise<false>((r) => (timer = setTimeout(() => r(false), this.opts.stopWaitMs)))]));
    clearTimeout(timer);
    if (!finished) this.log.warn({ waitedMs: this.opts.stopWaitMs }, 'outbox relay stopped with a batch in hand; its rows stay pending');
    const pool = this.pool;
    this.pool = undefined;
    // A pool ends once its connection is back; a batch left in hand still holds it, and goes with the process.
    const ended = pool?.end().catch(() => undefined);
    if (finished) await ended;
  }
}

/** Runs `fn` over `items` with at most `limit` running at once; resolves when all have settled. */
async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
