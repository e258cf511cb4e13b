import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { migrateDatabase, MIGRATION_LOCK_KEY, openDatabase, type Orm } from '../src/db/database';
import { readSqlSources } from '../src/db/sql-sources';
import { createLogger } from '../src/logger';

/**
 * Processes started together against one fresh database (the production layout: N API processes, a migrate job)
 * migrate one at a time, under a session advisory lock (MIGRATION_LOCK_KEY): each migration and each SQL source is
 * applied once, and every process starts.
 */
describe('one migrator at a time', () => {
  const base = process.env.TEST_DATABASE_URL!;
  const created: string[] = [];
  const orms: Orm[] = [];

  async function freshDatabase(): Promise<string> {
    const name = `t_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    created.push(name);
    const url = new URL(base);
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** A logger whose lines are kept, to read what each process says it applied. */
  function recordingLog() {
    const lines: Array<{ msg: string; migrations?: string[]; sources?: string[] }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
        done();
      },
    });
    return { log: createLogger({ log: { level: 'info', format: 'json' } }, sink), lines };
  }

  /** `n` processes opening the database at once, each with a recording log; the ORMs that opened are closed after. */
  async function openAtOnce(url: string, n: number) {
    const processes = Array.from({ length: n }, () => recordingLog());
    const opened = await Promise.allSettled(processes.map(({ log }) => openDatabase({ url, log })));
    for (const o of opened) if (o.status === 'fulfilled') orms.push(o.value);
    return { processes, opened };
  }

  /** The migrator's own record: every migration once. */
  async function expectEachMigrationRecordedOnce(url: string): Promise<void> {
    const recorded = await query<{ name: string; n: string }>(
      url,
      'select name, count(*)::text as n from mikro_orm_migrations group by name order by name',
    );
    expect(recorded.map((r) => r.name)).toEqual(migrationNames);
    expect(recorded.filter((r) => r.n !== '1')).toEqual([]);
  }

  const query = async <T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  };

  const migrationNames = readdirSync(path.resolve(__dirname, '..', 'migrations'))
    .filter((f) => /^Migration\d+_.*\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();

  afterAll(async () => {
    await Promise.all(orms.map((o) => o.close(true)));
    const admin = new Client({ connectionString: base });
    await admin.connect();
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('several processes opening one fresh database at once all start; each migration and each source is applied once', async () => {
    const url = await freshDatabase();
    const { processes, opened } = await openAtOnce(url, 4);
    expect(opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);

    await expectEachMigrationRecordedOnce(url);

    // What the processes say they applied: between them, each migration and each source exactly once.
    const said = (key: 'migrations' | 'sources') => processes.flatMap(({ lines }) => lines.flatMap((l) => l[key] ?? []));
    expect(said('migrations').sort()).toEqual(migrationNames);
    expect(said('sources').sort()).toEqual(readSqlSources().map((s) => s.name));
    // One process did the work; the others waited and found nothing to do.
    expect(processes.filter(({ lines }) => lines.some((l) => l.migrations)).length).toBe(1);
    const sources = await query<{ name: string }>(url, 'select name from sql_source order by name');
    expect(sources.map((s) => s.name)).toEqual(readSqlSources().map((s) => s.name));
  });

  it('a migrator waits while another holds the lock, then finds nothing to apply', async () => {
    const url = await freshDatabase();
    const first = recordingLog();
    const orm = await openDatabase({ url, log: first.log });
    orms.push(orm);

    const holder = new Client({ connectionString: url });
    await holder.connect();
    await holder.query('select pg_advisory_lock(hashtextextended($1, 0))', [MIGRATION_LOCK_KEY]);
    const second = recordingLog();
    let done = false;
    const migrating = migrateDatabase(orm, { url, log: second.log }).finally(() => (done = true));
    await new Promise((r) => setTimeout(r, 1000));
    expect(done).toBe(false);
    expect(second.lines.map((l) => l.msg)).toContain('another process is migrating the database: waiting for it');
    await holder.end(); // the holder's session ends: its lock goes with it
    expect(await migrating).toEqual({ migrations: [], sources: [] });
    // Released after the step: nothing of ours still holds it.
    const held = await query<{ n: string }>(
      url,
      `select count(*)::text as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
    );
    expect(held).toEqual([{ n: '0' }]);
  });
  it('npm run migrate (src/db/migrate-main.ts, compiled) takes the same lock: started beside two processes, all succeed, each migration once', async () => {
    const url = await freshDatabase();
    const job = new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [path.resolve(__dirname, '..', 'dist', 'src', 'db', 'migrate-main.js')], {
        env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
    const { opened } = await openAtOnce(url, 2);
    const { code, out } = await job;
    expect({ code, out: code === 0 ? '' : out }).toEqual({ code: 0, out: '' });
    expect(opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    await expectEachMigrationRecordedOnce(url);
  });
});
