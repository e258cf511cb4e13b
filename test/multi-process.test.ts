import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Agency, User } from '../src/agencies/agency.entity';
import { caseWorkflowId } from '../src/cases/case-workflow';
import { freePorts } from '../src/infra/free-port';
import { caseLifecycleStateQuery } from '../workflows';
import { testTokens, type GraphQLResponse } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { addProject, loadTestCity } from './support/fixtures';
import { startDevServer } from './support/temporal';

/**
 * The production layout in miniature: PostgreSQL and a Temporal dev server started here "as if external", then two
 * API processes (`node dist/src/api-main.js`) and one worker process (`node dist/src/worker-main.js`) given nothing
 * but DATABASE_URL and TEMPORAL_ADDRESS (and the signing keys). A case taken in through one API and accepted
 * through the other is run by the worker process; an operator finds its workflows in Temporal by the case's search
 * attributes (AnxinCaseNumber …), which follow its status; an anonymous caller's rate limit counts across both APIs;
 * SIGTERM stops each process with exit code 0.
 */
describe('the API and the worker as separate processes against DATABASE_URL and TEMPORAL_ADDRESS', () => {
  let db: TestDatabase;
  let temporal: TestWorkflowEnvironment;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  const taskQueue = 'multi-process';
  const children: ChildProcess[] = [];
  let apis: string[] = [];
  let worker: ChildProcess;
  let apiProcesses: ChildProcess[] = [];
  const ANONYMOUS_PER_MINUTE = 12;

  function spawnProcess(entry: 'api-main' | 'worker-main', env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'src', `${entry}.js`)], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  }
  const exited = (child: ChildProcess) =>
    new Promise<number | string | null>((resolve) =>
      child.exitCode !== null || child.signalCode !== null
        ? resolve(child.exitCode ?? child.signalCode)
        : child.once('exit', (code, signal) => resolve(code ?? signal)),
    );

  const inspector = () => ({ authorization: `Bearer ${tokenFor(city.inspector, city.xichengHrss)}` });
  const tokenFor = (user: User, agency: Agency) =>
    testTokens.issue({ userId: user.id, agencyId: agency.id, agencyKind: agency.kind, roles: user.roles });

  async function gql<T>(url: string, query: string, variables?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { ...((await res.json()) as GraphQLResponse<T>), status: res.status };
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The workflow ids Temporal's visibility lists for a query on the search attributes. */
  async function listed(query: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const w of temporal.client.workflow.list({ query })) ids.push(w.workflowId);
    return ids;
  }

  beforeAll(async () => {
    [db, temporal] = await Promise.all([createTestDatabase(), startDevServer({ searchAttributes: true })]);
    city = await loadTestCity(db.orm.em.fork());
    const ports = await freePorts(2);
    const keys = 'test-2=test-secret-two-0123456789abcdefghijklmnop,test-1=test-secret-one-0123456789abcdefghijklmnop';
    apiProcesses = ports.map((port) =>
      spawnProcess('api-main', {
        HOST: '127.0.0.1',
        PORT: String(port),
        AUTH_JWT_KEYS: keys,
        ANONYMOUS_RATE_LIMIT_PER_MINUTE: String(ANONYMOUS_PER_MINUTE),
      }),
    );
    apis = ports.map((p) => `http://127.0.0.1:${p}/graphql`);
    worker = spawnProcess('worker-main', {});
    // Ready when the GraphQL health query answers (signed in: anonymous calls are what the rate-limit test counts).
    for (const url of apis) {
      await until(`the API at ${url}`, async () => {
        const r = await gql<{ health: { database: boolean } }>(url, '{ health { database } }', undefined, inspector());
        return r.data?.health.database ? true : undefined;
      });
    }
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await temporal?.teardown();
    await db?.drop();
  });

  it('takes a case in through one API and accepts it through the other; the worker runs its workflows, found by case number', async () => {
    const project = await addProject(db.orm.em.fork(), city.project);
    const intake = await gql<{ intakeComplaint: { case: { id: string; number: string } } }>(
      apis[0]!,
      `mutation($input: IntakeComplaintInput!) { intakeComplaint(input: $input) { case { id number } } }`,
      {
        input: {
          channel: 'HOTLINE_12345',
          contactPhone: '13800007001',
          description: '工地拖欠49名农民工工资',
          projectCode: project.code,
          amountClaimed: 63_713_000,
          workersAffected: 49,
        },
      },
      { authorization: `Bearer ${tokenFor(city.hotline, city.integrator)}` },
    );
    expect(intake.errors).toBeUndefined();
    const { id: caseId, number } = intake.data!.intakeComplaint.case;

    // The worker process started the lifecycle and tagged it: an operator finds it by the case number.
    const lifecycle = await until('the lifecycle workflow listed by case number', async () => {
      const ids = await listed(`AnxinCaseNumber = '${number}' AND AnxinProcessKind = 'caseLifecycle' AND AnxinCaseStatus = 'RECEIVED'`);
      return ids.length ? ids : undefined;
    });
    expect(lifecycle).toEqual([caseWorkflowId(caseId)]);
    const described = await temporal.client.workflow.getHandle(caseWorkflowId(caseId)).describe();
    expect(described.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toEqual(
      expect.arrayContaining([
        ['AnxinCaseNumber', number],
        ['AnxinRegion', '110102003'], // the street (街道) the case was taken in for
        ['AnxinOwningAgency', city.xichengHrss.id],
      ]),
    );

    const accepted = await gql(
      apis[1]!,
      `mutation($input: AcceptCaseInput!) { acceptCase(input: $input) { id } }`,
      { input: { caseId } },
      inspector(),
    );
    expect(accepted.errors).toBeUndefined();
    // The signal went through the outbox to the worker's workflow: its phase and its status attribute follow.
    await until('the lifecycle in handling', async () => {
      const state = await temporal.client.workflow.getHandle(caseWorkflowId(caseId)).query(caseLifecycleStateQuery);
      return state.phase === 'IN_HANDLING' ? true : undefined;
    });
    await until('the status attribute ACCEPTED', async () =>
      (await listed(`AnxinCaseNumber = '${number}' AND AnxinCaseStatus = 'ACCEPTED'`)).includes(caseWorkflowId(caseId)) ? true : undefined,
    );

    // A process of the case, found by case number and kind.
    const dispatch = await gql<{ dispatchCase: { workflowId: string } }>(
      apis[0]!,
      `mutation($input: StartProcessInput!) { dispatchCase(input: $input) { workflowId } }`,
      { input: { caseId } },
      inspector(),
    );
    expect(dispatch.errors).toBeUndefined();
    const byKind = await until('the dispatch listed by case number and kind', async () => {
      const ids = await listed(`AnxinCaseNumber = '${number}' AND AnxinProcessKind = 'threeWayDispatch'`);
      return ids.length ? ids : undefined;
    });
    expect(byKind).toEqual([dispatch.data!.dispatchCase.workflowId]);
  });

  it('moves the owning-agency attribute of the case’s workflows when a handover (移交) is accepted', async () => {
    const intake = await gql<{ intakeComplaint: { case: { id: string; number: string } } }>(
      apis[1]!,
      `mutation($input: IntakeComplaintInput!) { intakeComplaint(input: $input) { case { id number } } }`,
      { input: { channel: 'HOTLINE_12345', contactPhone: '13800007002', description: '餐馆拖欠三名员工工资', regionCode: '110102003' } },
      { authorization: `Bearer ${tokenFor(city.hotline, city.integrator)}` },
    );
    expect(intake.errors).toBeUndefined();
    const { id: caseId, number } = intake.data!.intakeComplaint.case;
    const handedOver = await gql<{ handOverCase: { id: string } }>(
      apis[0]!,
      `mutation($input: HandOverCaseInput!) { handOverCase(input: $input) { id } }`,
      { input: { caseId, toAgencyId: city.cityHrss.id, reason: '案情重大，请市总队承办' } },
      inspector(),
    );
    expect(handedOver.errors).toBeUndefined();
    const ACCEPT = `mutation($input: AcceptHandoverInput!) { acceptHandover(input: $input) { id status } }`;
    const input = { processId: handedOver.data!.handOverCase.id, note: '市总队承办' };
    const director = { authorization: `Bearer ${tokenFor(city.cityDirector, city.cityHrss)}` };
    // The handover's workflow starts through the outbox: until it has, the step answers PROCESS_STARTING.
    let accepted = await gql(apis[1]!, ACCEPT, { input }, director);
    for (let tries = 0; accepted.errors?.[0]?.extensions?.code === 'PROCESS_STARTING' && tries < 200; tries++) {
      await new Promise((r) => setTimeout(r, 150));
      accepted = await gql(apis[1]!, ACCEPT, { input }, director);
    }
    expect(accepted.errors).toBeUndefined();
    // The handover told the case's lifecycle; both now carry the new owner.
    const owned = await until('both workflows under the new owner', async () => {
      const ids = await listed(`AnxinCaseNumber = '${number}' AND AnxinOwningAgency = '${city.cityHrss.id}'`);
      return ids.length === 2 ? ids.sort() : undefined;
    });
    expect(owned).toContain(caseWorkflowId(caseId));
  });

  it('counts an anonymous caller’s requests across both API processes against one budget', async () => {
    // Alternating between the two processes: each alone sees at most 7 requests, under the budget of 12 a minute.
    const statuses: number[] = [];
    for (let i = 0; i < ANONYMOUS_PER_MINUTE + 2; i++) {
      const r = await gql(apis[i % 2]!, '{ health { database } }');
      statuses.push(r.status);
      await new Promise((resolve) => setTimeout(resolve, 150)); // under the per-second burst limit (10)
    }
    expect(statuses.slice(0, ANONYMOUS_PER_MINUTE).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(ANONYMOUS_PER_MINUTE)).toEqual([429, 429]);
  });

  it('stops each process on SIGTERM with exit code 0', async () => {
    const all = [...apiProcesses, worker];
    for (const c of all) c.kill('SIGTERM');
    expect(await Promise.all(all.map(exited))).toEqual([0, 0, 0]);
  });
});
