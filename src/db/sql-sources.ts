import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * Database functions and triggers live in `migrations/sql/*.sql`, one file per function or trigger group, each
 * holding its current definition (`create or replace function …`, `drop trigger if exists …; create trigger …`).
 * They are repeatable sources, like Flyway's `R__` migrations: after the versioned migrations, every file whose
 * sha256 differs from the one recorded in `sql_source` is run and recorded, in name order (the number prefix
 * orders a source after the ones it calls), all in one transaction under an advisory lock, so processes that start
 * at once apply them once.
 *
 * The folder is found from the project root, not beside the compiled code: tsc does not copy `.sql` files to dist.
 * Running from TypeScript this file is src/db/sql-sources.ts (root two levels up); compiled, dist/src/db (three).
 */
const runningTs = __filename.endsWith('.ts');
export const sqlSourcesDir = path.resolve(__dirname, runningTs ? '../..' : '../../..', 'migrations', 'sql');

/** The key of the transaction advisory lock that serialises appliers. */
const LOCK_KEY = 'anxin:sql_source';

export interface SqlSource {
  name: string;
  sql: string;
  checksum: string;
}

/** The sources of a folder, in the order they are applied. */
export function readSqlSources(dir: string = sqlSourcesDir): SqlSource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies the sources that are new or changed; answers their names (none when the database is up to date). */
export async function applySqlSources(orm: MikroORM, opts: { dir?: string } = {}): Promise<string[]> {
  const sources = readSqlSources(opts.dir);
  return orm.em.fork().transactional(async (em) => {
    const conn = em.getConnection();
    const trx = em.getTransactionContext();
    await conn.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [LOCK_KEY], 'run', trx);
    const recorded = new Map(
      (await conn.execute<Array<{ name: string; checksum: string }>>('select name, checksum from sql_source', [], 'all', trx)).map((r) => [
        r.name,
        r.checksum,
      ]),
    );
    const applied: string[] = [];
    for (const source of sources) {
      if (recorded.get(source.name) === source.checksum) continue;
      // No parameters: the text goes to the server as it is (a `?` in it is SQL, not a placeholder).
      await conn.execute(source.sql, [], 'run', trx);
      await conn.execute(
        `insert into sql_source (name, checksum) values (?, ?) on conflict (name) do update set checksum = excluded.checksum, applied_at = now()`,
        [source.name, source.checksum],
        'run',
        trx,
      );
      applied.push(source.name);
    }
    return applied;
  });
}
