import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { createLogger } from '../../src/logger';
import { freePort } from './ports';

/**
 * One real PostgreSQL for the whole run (the embedded binaries, in a temporary folder); each test file
 * creates its own database in it (see ./database.ts), so files run in parallel without seeing each other.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return; // an external server was given
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-test-'));
  const log = createLogger({ log: { level: 'warn', format: 'json' } });
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres', log });
  process.env.TEST_DATABASE_URL = pg.url;
  (globalThis as { __anxinPg?: { stop(): Promise<void>; dataDir: string } }).__anxinPg = { stop: pg.stop, dataDir };
}
