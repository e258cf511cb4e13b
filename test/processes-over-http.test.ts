import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { testLog } from './support/logger';
import { startTestApi, testTokens, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { addProject, loadTestCity } from './support/fixtures';
import { startDevServer } from './support/temporal';

/**
 * The processes end to end over HTTP, each agency with its own signed token, against a real Temporal dev server
 * and the real worker process (`node dist/src/worker-main.js`) — which is killed with SIGKILL in the middle of
 * a dispatch and started again: the dispatch finishes and no step or entry is doubled.
 */
describe('cross-agency processes over HTTP, with the worker killed and restarted', () => {
  let db: TestDatabase;
  let temporal: TestWorkflowEnvironment;
  let api: TestApi;
  let relay: OutboxRelay;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  const taskQueue = 'http-processes';
  const workers: ChildProcess[] = [];

  function startWorkerProcess(): ChildProcess {
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'src', 'worker-main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(child);
    return child;
  }
  const killed = (child: ChildProcess) =>
    new Promise<void>((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
    );

  beforeAll(async () => {
    [db, temporal] = await Promise.all([createTestDatabase(), startDevServer()]);
    city = await loadTestCity(db.orm.em.fork());
    relay = new OutboxRelay(db.orm, temporal.client, taskQueue, testLog);
    relay.start(200);
    api = await startTestApi({
      orm: db.orm,
      temporalAddress: temporal.address,
      workflowClient: temporal.client,
      outboxNudge: () => void relay.drain().catch(() => undefined),
    });
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await relay?.stop();
    await api?.stop();
    await temporal?.teardown();
    await db?.drop();
  });

  const DISPATCH = `mutation($input: StartProcessInput!) { dispatchCase(input: $input) { id status workflowId } }`;
  const ACK = `mutation($input: ProcessStepInput!) { acknowledgeDispatch(input: $input) { id status parties { role status agency { name } } } }`;
  const REPORT = `mutation($input: ReportDispatchInput!) { reportDispatch(input: $input) { id status } }`;

  async function acceptedConstructionCase(phone: string): Promise<string> {
    const intake = await api.gql<{ intakeComplaint: { case: { id: string } } }>(
      `mutation($input: IntakeComplaintInput!) { intakeComplaint(input: $input) { case { id } } }`,
      {
        input: {
          channel: 'HOTLINE_12345',
          contactPhone: phone,
          description: '工地拖欠49名农民工工资',
          // A project of its own: complaints about one project join one case (一事一案).
          projectCode: (await addProject(db.orm.em.fork(), city.project)).code,
          amountClaimed: 63_713_000,
          workersAffected: 49,
        },
      },
      api.as(city.hotline, city.integrator),
    );
    const caseId = intake.data!.intakeComplaint.case.id;
    const accepted = await api.gql(
      `mutation($input: AcceptCaseInput!) { acceptCase(input: $input) { id } }`,
      { input: { caseId } },
      api.as(city.inspector, city.xichengHrss),
    );
    expect(accepted.errors).toBeUndefined();
    return caseId;
  }

  it('refuses a forged or expired token with 401, and a process step without a token', async () => {
    const forged = await api.gql('{ health { database } }', undefined, {
      authorization: `Bearer ${api.tokenFor(city.inspector, city.xichengHrss).slice(0, -2)}xx`,
    });
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const expired = testTokens.issue(
      { userId: city.inspector.id, agencyId: city.xichengHrss.id, agencyKind: 'HRSS_INSPECTION', roles: ['INSPECTOR'] },
      { ttl: '-1s' },
    );
    expect((await api.gql('{ health { database } }', undefined, { authorization: `Bearer ${expired}` })).status).toBe(401);
    const anonymous = await api.gql(ACK, { input: { processId: '00000000-0000-4000-8000-000000000000' } });
    expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('runs a dispatch through the API as each agency; the worker dies mid-dispatch and a new one finishes it, nothing doubled', async () => {
    let worker = startWorkerProcess();
    const caseId = await acceptedConstructionCase('13800009001');
    const started = await api.gql<{ dispatchCase: { id: string; workflowId: string } }>(
      DISPATCH,
      { input: { caseId } },
      api.as(city.inspector, city.xichengHrss),
    );
    expect(started.errors).toBeUndefined();
    const processId = started.data!.dispatchCase.id;

    // The dispatch's workflow starts through the outbox: until it has, a step answers PROCESS_STARTING, and a
    // client retries shortly, as the code says (on a loaded machine that can take a moment).
    let hq = await api.gql<{ acknowledgeDispatch: { parties: Array<{ role: string; status: string; agency: { name: string } }> } }>(
      ACK,
      { input: { processId } },
      api.as(city.contractorLiaison, city.contractorHq),
    );
    for (let tries = 0; hq.errors?.[0]?.extensions?.code === 'PROCESS_STARTING' && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      hq = await api.gql(ACK, { input: { processId } }, api.as(city.contractorLiaison, city.contractorHq));
    }
    expect(hq.errors).toBeUndefined();
    expect(hq.data!.acknowledgeDispatch.parties).toContainEqual({
      role: 'CONTRACTOR_HQ',
      status: 'ACKNOWLEDGED',
      agency: { name: city.contractorHq.name },
    });
    const outsider = await api.gql(ACK, { input: { processId } }, api.as(city.policeOfficer, city.police));
    expect(outsider.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' }); // the police cannot see this case at all
    const stranger = await api.gql(ACK, { input: { processId } }, api.as(city.inspector, city.xichengHrss));
    expect(stranger.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(stranger.errors?.[0]?.message).toMatch(/not a recipient/);

    // The worker dies without warning. The district's acknowledgement waits for a worker, and is not lost.
    worker.kill('SIGKILL');
    await killed(worker);
    const districtAck = api.gql(
      ACK,
      { input: { processId, idempotencyKey: 'district-ack' } },
      api.as(city.districtOfficer, city.xichengGov),
    );
    await new Promise((r) => setTimeout(r, 1500));
    worker = startWorkerProcess();
    expect((await districtAck).errors).toBeUndefined();
    // The client retries the same step after the outage, with the same key: taken once.
    expect(
      (await api.gql(ACK, { input: { processId, idempotencyKey: 'district-ack' } }, api.as(city.districtOfficer, city.xichengGov))).errors,
    ).toBeUndefined();

    const report = await api.gql(
      REPORT,
      {
        input: {
          processId,
          report: '总部已督促项目部足额支付',
          payment: { amount: 63_713_000, workersPaid: 49, paidOn: '2026-11-24', payer: '北京城建某工程有限公司' },
        },
      },
      api.as(city.contractorLiaison, city.contractorHq),
    );
    expect(report.errors).toBeUndefined();

    // Wages paid: the case resolves, its lifecycle tells the dispatch, which ends.
    await temporal.client.workflow.getHandle(started.data!.dispatchCase.workflowId).result();
    const read = await api.gql<{
      case: {
        status: string;
        processes: Array<{ status: string; outcome: string; parties: Array<{ role: string; status: string }> }>;
        events: Array<{ type: string }>;
      };
    }>(
      `query($id: ID!) { case(id: $id) { status processes { status outcome parties { role status } } events { type } } }`,
      { id: caseId },
      api.as(city.inspector, city.xichengHrss),
    );
    expect(read.data!.case.status).toBe('RESOLVED');
    expect(read.data!.case.processes).toEqual([
      expect.objectContaining({
        status: 'ENDED',
        outcome: 'WAGES_PAID',
        parties: expect.arrayContaining([
          { role: 'DISTRICT_GOVERNMENT', status: 'ACKNOWLEDGED' },
          { role: 'CONTRACTOR_HQ', status: 'REPORTED' },
        ]),
      }),
    ]);
    const types = read.data!.case.events.map((e) => e.type);
    const count = (t: string) => types.filter((x) => x === t).length;
    expect([
      count('DISPATCH_SENT'),
      count('DISPATCH_ACKNOWLEDGED'),
      count('DISPATCH_REPORTED'),
      count('PAYMENT_RECORDED'),
      count('DISPATCH_ENDED'),
    ]).toEqual([1, 2, 1, 1, 1]);
  });
});
