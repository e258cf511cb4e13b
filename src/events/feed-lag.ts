import type { Orm } from '../db/database';

/**
 * How far a feed trails the case file: seconds since the first committed entry past its horizon was written (0 when
 * it has seen every committed entry). One statement on the primary key, for the metrics scrape.
 */
export async function feedLagSeconds(orm: Orm, horizon: bigint | undefined): Promise<number> {
  if (horizon === undefined) return 0;
  const [row] = await orm.em
    .getConnection()
    .execute<Array<{ lag: number }>>(
      `select extract(epoch from now() - at)::float8 as lag from case_event where id > ? order by id limit 1`,
      [horizon.toString()],
    );
  return Math.max(0, row?.lag ?? 0);
}
