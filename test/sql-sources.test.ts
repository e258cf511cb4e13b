import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applySqlSources, readSqlSources, sqlSourcesDir } from '../src/db/sql-sources';
import { createTestDatabase, type TestDatabase } from './support/database';

/**
 * Database functions and triggers are source files (migrations/sql/*.sql), applied after the migrations as
 * repeatable sources: run again when their checksum changes, once however many processes start at once.
 */
describe('sql sources: functions and triggers as versioned files', () => {
  let db: TestDatabase;
  let scratch: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    scratch = await mkdtemp(path.join(os.tmpdir(), 'anxin-sql-sources-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });
  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    db.orm.em.fork().getConnection().execute<T[]>(sql, params);
  const recorded = () =>
    query<{ name: string; checksum: string; applied_at: Date }>('select name, checksum, applied_at from sql_source order by name');

  it('finds the folder from the project root, from TypeScript and compiled alike', () => {
    expect(sqlSourcesDir).toBe(path.resolve(__dirname, '..', 'migrations', 'sql'));
    // dist/ has no .sql files (tsc copies none): the compiled loader must look in the same folder.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiled = require(path.resolve(__dirname, '..', 'dist', 'src', 'db', 'sql-sources.js')) as { sqlSourcesDir: string };
    expect(compiled.sqlSourcesDir).toBe(sqlSourcesDir);
    expect(readSqlSources().length).toBeGreaterThan(5);
  });

  it('a fresh database has every source applied, in name order, and recorded with its checksum', async () => {
    const sources = readSqlSources();
    expect(sources.map((s) => s.name)).toEqual([...sources.map((s) => s.name)].sort());
    expect((await recorded()).map(({ name, checksum }) => ({ name, checksum }))).toEqual(
      sources.map(({ name, checksum }) => ({ name, checksum })),
    );
  });

  it('applying again changes nothing', async () => {
    const before = await recorded();
    expect(await applySqlSources(db.orm)).toEqual([]);
    expect(await recorded()).toEqual(before);
  });

  it('a source whose recorded checksum differs is applied again, and only it', async () => {
    const [source] = readSqlSources().filter((s) => s.name.endsWith('_case_visibility.sql'));
    await query(`update sql_source set checksum = 'stale' where name = ?`, [source!.name]);
    expect(await applySqlSources(db.orm)).toEqual([source!.name]);
    expect((await recorded()).find((r) => r.name === source!.name)!.checksum).toBe(source!.checksum);
    expect(await applySqlSources(db.orm)).toEqual([]);
  });

  it('a changed file replaces the function it defines; its text reaches the server as written (a ? is SQL)', async () => {
    const dir = path.join(scratch, 'changed');
    await mkdir(dir);
    const write = (n: number) =>
      writeFile(
        path.join(dir, '900_probe.sql'),
        `create or replace function sql_source_probe() returns int language sql as $$ select ${n} where '{"a":1}'::jsonb ? 'a' $$;\n`,
      );
    const probe = async () => (await query<{ n: number }>('select sql_source_probe() as n'))[0]!.n;

    await write(1);
    expect(await applySqlSources(db.orm, { dir })).toEqual(['900_probe.sql']);
    expect(await probe()).toBe(1);
    expect(await applySqlSources(db.orm, { dir })).toEqual([]);
    await write(2);
    expect(await applySqlSources(db.orm, { dir })).toEqual(['900_probe.sql']);
    expect(await probe()).toBe(2);
  });

  it('a failing source applies nothing: the sources before it in the same run are rolled back too', async () => {
    const dir = path.join(scratch, 'failing');
    await mkdir(dir);
    await writeFile(
      path.join(dir, '901_fine.sql'),
      'create or replace function sql_source_fine() returns int language sql as $$ select 1 $$;\n',
    );
    await writeFile(
      path.join(dir, '902_broken.sql'),
      'create or replace function sql_source_broken() returns int language sql as $$ select from_nowhere $$;\n',
    );
    await expect(applySqlSources(db.orm, { dir })).rejects.toThrow();
    expect(await query(`select 1 from pg_proc where proname = 'sql_source_fine'`)).toEqual([]);
    expect(await query(`select 1 from sql_source where name in ('901_fine.sql', '902_broken.sql')`)).toEqual([]);
  });

  it('processes starting at once apply a changed source once', async () => {
    const dir = path.join(scratch, 'racing');
    await mkdir(dir);
    await query('create table sql_source_runs (n integer)');
    await writeFile(path.join(dir, '903_counted.sql'), 'insert into sql_source_runs values (1);\n');
    const runs = await Promise.all(Array.from({ length: 6 }, () => applySqlSources(db.orm, { dir })));
    expect(runs.flat()).toEqual(['903_counted.sql']);
    expect(await query<{ n: string }>('select count(*) as n from sql_source_runs')).toEqual([{ n: '1' }]);
  });

  it('every function and trigger in the database is defined by a source (the migrations’ copies are superseded)', async () => {
    const text = readSqlSources()
      .map((s) => s.sql)
      .join('\n');
    const defined = (kind: 'function' | 'trigger', name: string) =>
      new RegExp(kind === 'function' ? `create or replace function ${name}\\(` : `create (constraint )?trigger ${name}\\s`, 'i').test(text);
    const functions = (
      await query<{ name: string }>(
        `select proname as name from pg_proc where pronamespace = 'public'::regnamespace and proname not like 'sql\\_source\\_%'`,
      )
    ).map((r) => r.name);
    const triggers = (await query<{ name: string }>(`select tgname as name from pg_trigger where not tgisinternal`)).map((r) => r.name);
    expect(functions.length).toBeGreaterThan(10);
    expect(triggers.length).toBeGreaterThan(4);
    expect(functions.filter((f) => !defined('function', f))).toEqual([]);
    expect(triggers.filter((t) => !defined('trigger', t))).toEqual([]);
  });
});
