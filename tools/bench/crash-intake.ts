import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Client as WorkflowClient } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { freePort } from '../../src/infra/free-port';
import { Tokens, type Principal } from '../../src/auth/tokens';
import { caseWorkflowId } from '../../src/cases/case-workflow';
import { openDatabase } from '../../src/db/database';
import type { Logger } from '../../src/logger';
import { OutboxRelay } from '../../src/outbox/outbox-relay';

/**
 * Kill -9 of the API in the middle of a stream of intakes (issue 12): concurrent clients send `intakeComplaint`
 * with distinct idempotency keys, the API process is killed with SIGKILL part-way and started again on the same
 * database, and every client retries what failed or went unanswered with the same key, as a well-behaved
 * integrator does. Then the outbox is delivered (the worker's part) and everything is counted: cases per key,
 * START rows per case, lifecycle workflows per case in Temporal. Used by test/intake-crash.test.ts (2,000
 * intakes) and `npm run bench:crash-intake` (10,000).
 */
export interface CrashIntakeOptions {
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string; client: WorkflowClient };
  /** One caller for every intake: a labour-inspection intake clerk or inspector. */
  caller: Principal;
  /** Where the complaints are located (a region a labour-inspection agency covers). */
  regionCode: string;
  intakes: number;
  clients: number;
  /** The API is killed once this many intakes have been answered. */
  killAfter: number;
  log: Logger;
}

export interface CrashIntakeReport {
  intakes: number;
  clients: number;
  killedAfter: number;
  /** Requests that failed or went unanswered (the crash) and were sent again with the same key. */
  retries: number;
  /** Retries answered DUPLICATE: the first try had committed, its answer was lost with the process. */
  replays: number;
  cases: number;
  /** Cases beyond the first of an intake. */
  duplicateCases: number;
  /** Intakes without a case. */
  missingCases: number;
  /** Answers that did not name the one case of their intake. */
  wrongAnswers: number;
  outboxStarts: number;
  /** Cases whose START row count in the outbox is not exactly one. */
  casesWithoutOneStart: number;
  workflowsStarted: number;
  /** Cases whose lifecycle workflow was started other than exactly once. */
  casesWithoutOneWorkflow: number;
  /**
   * apiStartMs: the API's first start; streamMs: first request to last answer (with the kill and restartMs, the restart, inside it); deliveryMs: from
   * then until every workflow start was delivered and seen in Temporal's visibility.
   */
  timings: { apiStartMs: number; streamMs: number; restartMs: number; deliveryMs: number; totalMs: number };
}

const INTAKE = `mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { outcome case { id number } } }`;
// Run from dist/tools/bench when compiled, from tools/bench under ts-jest: the API process is always the compiled one.
const apiScript =
  path.basename(path.resolve(__dirname, '..', '..')) === 'dist'
    ? path.resolve(__dirname, '..', '..', 'src', 'api-main.js')
    : path.resolve(__dirname, '..', '..', 'dist', 'src', 'api-main.js');

export async function runCrashIntake(opts: CrashIntakeOptions): Promise<CrashIntakeReport> {
  const startedAt = Date.now();
  const run = randomBytes(4).toString('hex');
  const keyOf = (i: number) => `crash-${run}-${i}`;
  // A distinct mobile per intake, so none joins another as a repeat complaint.
  const phoneBase = randomBytes(4).readUInt32BE() % 50_000_000;
  const phoneOf = (i: number) => `139${String((phoneBase + i) % 100_000_000).padStart(8, '0')}`;

  const secret = randomBytes(32).toString('hex');
  const token = new Tokens([{ kid: `crash-${run}`, secret }], '2h').issue(opts.caller);
  const api = new ApiProcess({
    DATABASE_URL: opts.databaseUrl,
    TEMPORAL_ADDRESS: opts.temporal.address,
    TEMPORAL_NAMESPACE: opts.temporal.namespace,
    TEMPORAL_TASK_QUEUE: opts.temporal.taskQueue,
    AUTH_JWT_KEYS: `crash-${run}=${secret}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'info', // the ready line is at info
    LOG_FORMAT: 'json',
  });
  await api.start(await freePort());

  const answers = new Map<number, { outcome: string; caseId: string }>();
  let next = 0;
  let retries = 0;
  let replays = 0;
  let restartMs = 0;
  let crash: Promise<void> | undefined;
  let crashFailed: unknown;
  const crashNow = async () => {
    const t = Date.now();
    opts.log.info({ answered: answers.size }, 'killing the API with SIGKILL');
    await api.kill();
    await api.start(api.port);
    restartMs = Date.now() - t;
    opts.log.info({ restartMs }, 'API started again on the same database');
  };

  const streamStarted = Date.now();
  const apiStartMs = streamStarted - startedAt;
  const deadline = streamStarted + Math.max(300_000, opts.intakes * 100);
  const client = async () => {
    for (let i = next++; i < opts.intakes; i = next++) {
      const input = {
        channel: 'WALK_IN',
        idempotencyKey: keyOf(i),
        contactPhone: phoneOf(i),
        description: `crash-intake ${run} #${i}: 拖欠工资`,
        regionCode: opts.regionCode,
      };
      for (let attempt = 0; ; attempt++) {
        if (crashFailed) throw crashFailed;
        if (Date.now() > deadline) throw new Error(`intake ${i} still unanswered at the deadline (${attempt} attempts)`);
        const answer = await api.intake(token, input);
        if (answer) {
          answers.set(i, answer);
          if (attempt > 0 && answer.outcome === 'DUPLICATE') replays++;
          break;
        }
        retries++;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!crash && answers.size >= opts.killAfter) crash = crashNow().catch((err: unknown) => void (crashFailed = err));
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.clients }, client));
    await crash;
    if (crashFailed) throw crashFailed;
  } catch (err) {
    crashFailed ??= err; // the other clients stop at their next attempt
    await api.kill();
    throw err;
  }
  const streamEnded = Date.now();
  const streamMs = streamEnded - streamStarted;
  // A clean stop: the API's own relay first finishes the workflow starts it has fallen behind on.
  await api.stop();

  // Count what the database holds for this run.
  const db = new PgClient({ connectionString: opts.databaseUrl });
  await db.connect();
  const orm = await openDatabase({ url: opts.databaseUrl, log: opts.log, migrate: false });
  // Cases by the intake they came from, told by their description (not their key), so a retry that slipped past
  // the key would be counted too.
  const perIntake = new Map<number, string[]>();
  let startsPerWorkflow: Map<string, number>;
  try {
    const rows = (
      await db.query<{ id: string; description: string }>(`select id, description from wage_case where description like $1`, [
        `crash-intake ${run} #%`,
      ])
    ).rows;
    for (const r of rows) {
      const i = Number(/#(\d+):/.exec(r.description)![1]);
      perIntake.set(i, [...(perIntake.get(i) ?? []), r.id]);
    }
    const workflowIds = rows.map((r) => caseWorkflowId(r.id));
    startsPerWorkflow = new Map(
      (
        await db.query<{ workflow_id: string; n: string }>(
          `select workflow_id, count(*) as n from workflow_outbox where action = 'START' and workflow_id = any($1) group by 1`,
          [workflowIds],
        )
      ).rows.map((r) => [r.workflow_id, Number(r.n)]),
    );

    // The worker's part: deliver whatever the killed API left in the outbox.
    const relay = new OutboxRelay(orm, opts.temporal.client, opts.temporal.taskQueue, opts.log);
    for (;;) {
      await relay.drain();
      const pending = Number(
        (
          await db.query<{ n: string }>(`select count(*) as n from workflow_outbox where delivered_at is null and workflow_id = any($1)`, [
            workflowIds,
          ])
        ).rows[0]!.n,
      );
      if (pending === 0) break;
      if (Date.now() > deadline) throw new Error(`${pending} outbox rows of this run still undelivered at the deadline`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await orm.close();
    await db.end();
  }
  const caseIds = [...perIntake.values()].flat();
  let wrongAnswers = 0;
  for (const [i, a] of answers) if (perIntake.get(i)?.length !== 1 || perIntake.get(i)![0] !== a.caseId) wrongAnswers++;
  const runsPerWorkflow = await lifecycleRuns(opts.temporal.client, new Set(caseIds.map(caseWorkflowId)), deadline);
  const deliveryMs = Date.now() - streamEnded;

  return {
    intakes: opts.intakes,
    clients: opts.clients,
    killedAfter: opts.killAfter,
    retries,
    replays,
    cases: caseIds.length,
    duplicateCases: [...perIntake.values()].reduce((n, ids) => n + ids.length - 1, 0),
    missingCases: Array.from({ length: opts.intakes }, (_, i) => i).filter((i) => !perIntake.has(i)).length,
    wrongAnswers,
    outboxStarts: [...startsPerWorkflow.values()].reduce((a, b) => a + b, 0),
    casesWithoutOneStart: caseIds.filter((id) => startsPerWorkflow.get(caseWorkflowId(id)) !== 1).length,
    workflowsStarted: [...runsPerWorkflow.values()].reduce((a, b) => a + b, 0),
    casesWithoutOneWorkflow: caseIds.filter((id) => runsPerWorkflow.get(caseWorkflowId(id)) !== 1).length,
    timings: { apiStartMs, streamMs, restartMs, deliveryMs, totalMs: Date.now() - startedAt },
  };
}

/**
 * How many caseLifecycle executions Temporal has for each of the expected workflow ids (every run, open or
 * closed). Visibility is eventually consistent: it is read until every expected id shows up, or the deadline.
 */
async function lifecycleRuns(client: WorkflowClient, expected: Set<string>, deadline: number): Promise<Map<string, number>> {
  for (;;) {
    const runs = new Map<string, number>();
    for await (const wf of client.workflow.list({ query: `WorkflowType = 'caseLifecycle'` })) {
      if (expected.has(wf.workflowId)) runs.set(wf.workflowId, (runs.get(wf.workflowId) ?? 0) + 1);
    }
    if (runs.size >= expected.size || Date.now() > deadline) return runs;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** `npm run api` as its own process, on a fixed port once chosen, so it can be killed and started again. */
class ApiProcess {
  port = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private output: string[] = [];

  constructor(private readonly env: Record<string, string>) {}

  /** Starts it on `port` and waits for its ready line. */
  async start(port: number): Promise<void> {
    const child = spawn(process.execPath, ['--enable-source-maps', apiScript], {
      env: { ...process.env, ...this.env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let announced: () => void;
    const ready = new Promise<void>((resolve) => (announced = resolve));
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output = [...this.output, text].slice(-50);
      if (text.includes('Anxin API ready')) announced();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const failed = this.exited.then(() => {
      throw new Error(`the API process exited before it was ready:\n${this.output.join('').slice(-3000)}`);
    });
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the API was not ready within 60 s')), 60_000).unref(),
    );
    try {
      await Promise.race([ready, failed, timeout]);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    this.port = port;
  }

  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    this.child?.kill('SIGTERM');
    await this.exited;
  }

  /**
   * One intake; undefined when it failed or went unanswered (the caller retries it with the same key). A refusal
   * that a retry cannot change (bad input, forbidden) throws.
   */
  async intake(token: string, input: Record<string, unknown>): Promise<{ outcome: string; caseId: string } | undefined> {
    let body: {
      data?: { intakeComplaint?: { outcome: string; case: { id: string } } | null } | null;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    };
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: INTAKE, variables: { i: input } }),
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status >= 500 || res.status === 429) return undefined;
      body = (await res.json()) as typeof body;
    } catch {
      return undefined; // refused, reset or timed out: the process is down or being killed
    }
    const permanent = body.errors?.find((e) => e.extensions?.code !== 'INTERNAL_SERVER_ERROR');
    if (permanent) throw new Error(`intake refused: ${permanent.message} (${permanent.extensions?.code ?? 'no code'})`);
    const answer = body.data?.intakeComplaint;
    return answer ? { outcome: answer.outcome, caseId: answer.case.id } : undefined;
  }
}
