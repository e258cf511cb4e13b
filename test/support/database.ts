import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Orm } from '../../src/db/database';
import { createLogger } from '../../src/logger';

export interface TestDatabase {
  orm: Orm;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the run's PostgreSQL, with every migration applied. */
export async function createTestDatabase(opts: { onQuery?: (sql: string) => void } = {}): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (its global setup starts PostgreSQL)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const orm = await openDatabase({
    url: url.toString(),
    log: createLogger({ log: { level: 'warn', format: 'json' } }),
    onQuery: opts.onQuery,
  });
  return {
    orm,
    url: url.toString(),
    async drop() {
      await orm.close(true);
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
