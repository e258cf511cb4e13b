import { startTestApi, type TestApi } from './api';
import { createTestDatabase, type TestDatabase } from './database';
import { loadTestCity } from './fixtures';

export type TestCity = Awaited<ReturnType<typeof loadTestCity>>;

/**
 * For a describe block: a fresh database with the test city and the API over HTTP (no Temporal: workflow starts
 * wait in the outbox). Read the fields inside tests and hooks, once beforeAll has run.
 */
export function useCityApi(): { db: TestDatabase; api: TestApi; city: TestCity } {
  const env = {} as { db: TestDatabase; api: TestApi; city: TestCity };
  beforeAll(async () => {
    env.db = await createTestDatabase();
    env.city = await loadTestCity(env.db.orm.em.fork());
    env.api = await startTestApi({ orm: env.db.orm, temporalAddress: '127.0.0.1:1' });
  });
  afterAll(async () => {
    await env.api?.stop();
    await env.db?.drop();
  });
  return env;
}
