import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runCrashIntake } from '../tools/bench/crash-intake';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { testLog } from './support/logger';
import { startDevServer } from './support/temporal';

/**
 * Issue 12: kill -9 of the API during a stream of intakes, with clients retrying on the same idempotency key, ends
 * with exactly one case, one START row in the outbox and one caseLifecycle workflow per intake. The API runs as its
 * own process from dist/ (built by `npm test`'s pretest step), as `npm run api` runs it.
 */
describe('intake through a kill -9 of the API', () => {
  let db: TestDatabase;
  let temporal: TestWorkflowEnvironment;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  beforeAll(async () => {
    if (!existsSync(path.resolve(__dirname, '..', 'dist', 'src', 'api-main.js')))
      throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    [db, temporal] = await Promise.all([createTestDatabase(), startDevServer()]);
    city = await loadTestCity(db.orm.em.fork());
  });
  afterAll(async () => {
    await temporal?.teardown();
    await db?.drop();
  });

  it('leaves exactly one case and one lifecycle workflow for each of 2,000 intakes', async () => {
    const report = await runCrashIntake({
      databaseUrl: db.url,
      temporal: { address: temporal.address, namespace: 'default', taskQueue: 'intake-crash', client: temporal.client },
      caller: { userId: city.clerk.id, agencyId: city.xichengHrss.id, agencyKind: 'HRSS_INSPECTION', roles: city.clerk.roles },
      regionCode: '110102003',
      intakes: 2000,
      clients: 8,
      killAfter: 700,
      log: testLog,
    });
    testLog.info({ report }, 'kill -9 during intake');
    // The kill hit the stream: requests in flight failed and were sent again.
    expect(report.retries).toBeGreaterThan(0);
    expect({
      cases: report.cases,
      duplicateCases: report.duplicateCases,
      missingCases: report.missingCases,
      wrongAnswers: report.wrongAnswers,
      outboxStarts: report.outboxStarts,
      casesWithoutOneStart: report.casesWithoutOneStart,
      workflowsStarted: report.workflowsStarted,
      casesWithoutOneWorkflow: report.casesWithoutOneWorkflow,
    }).toEqual({
      cases: 2000,
      duplicateCases: 0,
      missingCases: 0,
      wrongAnswers: 0,
      outboxStarts: 2000,
      casesWithoutOneStart: 0,
      workflowsStarted: 2000,
      casesWithoutOneWorkflow: 0,
    });
    // About 45 s alone on two CPUs; more when other test files share them.
  }, 300_000);
});
