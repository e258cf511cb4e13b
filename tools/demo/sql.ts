import type { EntityManager } from '@mikro-orm/postgresql';

/** A value for a column; arrays and objects must already be given in their SQL text form (see pgArray, json). */
export type SqlValue = string | number | boolean | null;

/** A raw SQL runner bound to one transaction (temp tables and row locks live on its connection). */
export type Sql = <T = Record<string, unknown>>(sql: string, params?: SqlValue[]) => Promise<T[]>;

export function sqlRunner(em: EntityManager): Sql {
  const conn = em.getConnection();
  const trx = em.getTransactionContext();
  return <T>(sql: string, params: SqlValue[] = []) => conn.execute<T[]>(sql, params, 'all', trx);
}

/** PostgreSQL array text: '{a,b}'. MikroORM inlines an array parameter as a comma list, so arrays go in as text. */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function iso(at: Date | undefined | null): string | null {
  return at ? at.toISOString() : null;
}

/**
 * Multi-row INSERT in batches: one statement per `batch` rows instead of one per row. `casts` names the SQL
 * type of columns whose text needs one (uuid, timestamptz, jsonb, arrays).
 */
export async function insertRows(
  sql: Sql,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly SqlValue[]>,
  opts: { casts?: Record<string, string>; batch?: number; suffix?: string } = {},
): Promise<void> {
  const batch = opts.batch ?? 1000;
  const tuple = `(${columns.map((c) => (opts.casts?.[c] ? `?::${opts.casts[c]}` : '?')).join(', ')})`;
  for (let start = 0; start < rows.length; start += batch) {
    const slice = rows.slice(start, start + batch);
    const params: SqlValue[] = [];
    for (const row of slice) {
      if (row.length !== columns.length) throw new Error(`${table}: row has ${row.length} values for ${columns.length} columns`);
      params.push(...row);
    }
    await sql(
      `insert into ${table} (${columns.join(', ')}) values ${slice.map(() => tuple).join(', ')}${opts.suffix ? ` ${opts.suffix}` : ''}`,
      params,
    );
  }
}
