import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { schemaSdl } from '../src/api/schema';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { processModules } from '../src/processes/registry';
import { bundleWorkflows } from '../src/worker/worker';
import { createCaseActivities } from '../src/worker/case-activities';
import { unionAcknowledgementModule } from './processes/union-acknowledgement/union-acknowledgement';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { testLog } from './support/logger';
import { startTimeSkippingServer } from './support/temporal';
import { createServices } from './support/test-services';

/**
 * A new process is a folder and a registry line: the test-only "union acknowledges a case"
 * (test/processes/union-acknowledgement/) is added to the product's registry by the one line below, and the API
 * (its mutations, the ProcessKind enum), the worker's workflow bundle, the policy (the union sees the case as a
 * party) and the case file all take it in, with nothing else edited. Its clock runs on the time-skipping server.
 */
const registry = [...processModules, unionAcknowledgementModule];

const DAY = 86_400_000;
const REQUEST = `mutation($input: RequestUnionAcknowledgementInput!) { requestUnionAcknowledgement(input: $input) { id kind status workflowId waitingOn } }`;
const ACKNOWLEDGE = `mutation($input: AcknowledgeAsUnionInput!) { acknowledgeAsUnion(input: $input) { id kind status outcome endedAt parties { role status agency { name } } } }`;
const PROCESS = `query($id: ID!) { process(id: $id) { id kind status outcome } }`;

describe('a process added by a folder and a registry line', () => {
  let db: TestDatabase;
  let env: TestWorkflowEnvironment;
  let relay: OutboxRelay;
  let api: TestApi;
  let worker: Worker;
  let running: Promise<void>;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let phone = 13700005000;
  const taskQueue = 'registry-test';

  beforeAll(async () => {
    [db, env] = await Promise.all([createTestDatabase(), startTimeSkippingServer()]);
    city = await loadTestCity(db.orm.em.fork());
    relay = new OutboxRelay(db.orm, env.client, taskQueue, testLog);
    const nudge = () => void relay.drain().catch(() => undefined);
    const services = createServices({
      orm: db.orm,
      temporal: Connection.lazy({ address: env.address }),
      workflowClient: env.client,
      outboxNudge: nudge,
      processModules: registry,
    });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleWorkflows(
        testLog,
        registry.map((m) => m.definition.workflowModule),
      ),
      activities: createCaseActivities({ orm: db.orm, log: testLog, services }),
    });
    running = worker.run();
    api = await startTestApi({
      orm: db.orm,
      temporalAddress: env.address,
      workflowClient: env.client,
      outboxNudge: nudge,
      processModules: registry,
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await api?.stop();
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.drop();
  });

  async function caseWithUnionAsked(): Promise<{ caseId: string; processId: string }> {
    const intake = await api.gql<{ intakeComplaint: { case: { id: string } } }>(
      `mutation($input: IntakeComplaintInput!) { intakeComplaint(input: $input) { case { id } } }`,
      { input: { channel: 'WALK_IN', contactPhone: String(phone++), description: '餐馆拖欠8名员工工资', regionCode: '110102003' } },
      api.as(city.clerk, city.xichengHrss),
    );
    expect(intake.errors).toBeUndefined();
    const caseId = intake.data!.intakeComplaint.case.id;
    const requested = await api.gql<{
      requestUnionAcknowledgement: { id: string; kind: string; status: string; workflowId: string; waitingOn: string };
    }>(REQUEST, { input: { caseId, unionAgencyId: city.union.id } }, api.as(city.inspector, city.xichengHrss));
    expect(requested.errors).toBeUndefined();
    const p = requested.data!.requestUnionAcknowledgement;
    expect(p).toMatchObject({ kind: 'UNION_ACKNOWLEDGEMENT', status: 'REQUESTED', waitingOn: 'UNION', workflowId: `union-ack-${p.id}` });
    await relay.drain();
    return { caseId, processId: p.id };
  }

  const fileOf = (caseId: string) =>
    db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ type: string; payload: Record<string, unknown> }>>(
        `select type, payload from case_event where case_id = ? order by seq`,
        [caseId],
      );

  it('takes the new process through the API, the policy, the worker and the case file', async () => {
    const { caseId, processId } = await caseWithUnionAsked();
    // Only labour inspection's caseworkers start it; an agency that is no party to it cannot even see it.
    const byClerk = await api.gql(REQUEST, { input: { caseId, unionAgencyId: city.union.id } }, api.as(city.clerk, city.xichengHrss));
    expect(byClerk.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const byPolice = await api.gql(ACKNOWLEDGE, { input: { processId, note: '知悉' } }, api.as(city.policeOfficer, city.police));
    expect(byPolice.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    // The workflow's validator refuses with the field; the step is taken once.
    const empty = await api.gql(ACKNOWLEDGE, { input: { processId, note: ' ' } }, api.as(city.unionMediator, city.union));
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.note' });
    const done = await api.gql<{
      acknowledgeAsUnion: {
        status: string;
        outcome: string;
        endedAt: string | null;
        parties: Array<{ role: string; agency: { name: string } }>;
      };
    }>(
      ACKNOWLEDGE,
      { input: { processId, note: '工会已知悉，将派员参与', idempotencyKey: 'ack-1' } },
      api.as(city.unionMediator, city.union),
    );
    expect(done.errors).toBeUndefined();
    expect(done.data!.acknowledgeAsUnion).toMatchObject({
      status: 'ACKNOWLEDGED',
      outcome: 'ACKNOWLEDGED',
      parties: [{ role: 'UNION', agency: { name: city.union.name } }],
    });
    expect(done.data!.acknowledgeAsUnion.endedAt).not.toBeNull();
    const again = await api.gql(ACKNOWLEDGE, { input: { processId, note: '再次知悉' } }, api.as(city.unionMediator, city.union));
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });

    const read = await api.gql<{ process: { kind: string } }>(PROCESS, { id: processId }, api.as(city.unionMediator, city.union));
    expect(read.data?.process.kind).toBe('UNION_ACKNOWLEDGEMENT');
    const types = (await fileOf(caseId)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['UNION_ACKNOWLEDGEMENT_REQUESTED', 'UNION_NOTIFIED', 'UNION_ACKNOWLEDGED']));
    expect(types.filter((t) => t === 'UNION_ACKNOWLEDGED')).toHaveLength(1);
  });

  it('escalates once when the union stays silent past its 3-day clock', async () => {
    const { caseId, processId } = await caseWithUnionAsked();
    await env.sleep(3 * DAY + 3_600_000);
    const overdue = (await fileOf(caseId)).filter((e) => e.type === 'ESCALATED' && e.payload.kind === 'UNION_ACKNOWLEDGEMENT_OVERDUE');
    expect(overdue).toHaveLength(1);
    const read = await api.gql<{ process: { status: string; outcome: string } }>(
      PROCESS,
      { id: processId },
      api.as(city.inspector, city.xichengHrss),
    );
    expect(read.data?.process).toMatchObject({ status: 'OVERDUE', outcome: 'OVERDUE' });
  });

  it('leaves the product schema as it was: the new process lives only in the registry that lists it', async () => {
    const sdl = await schemaSdl();
    expect(sdl).not.toContain('requestUnionAcknowledgement');
    expect(sdl).not.toContain('UNION_ACKNOWLEDGEMENT');
    expect(sdl).toMatch(/enum ProcessKind \{[^}]*MEDIATION[^}]*\}/);
  });
});
