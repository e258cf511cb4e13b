import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * "This region and every region below it", by the ancestry path each region stores. Division codes are not
 * safe prefixes of one another (110110 is not inside 11011x), so the path, not the code, decides.
 */
export const REGION_AND_BELOW_SQL = `select r.code from region r join region p on p.code = ? where r.path = p.path or r.path like p.path || '/%'`;

export async function regionCodesUnder(em: EntityManager, code: string): Promise<string[]> {
  const rows = await em.getConnection().execute<Array<{ code: string }>>(REGION_AND_BELOW_SQL, [code]);
  return rows.map((r) => r.code);
}
