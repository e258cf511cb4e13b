import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * "This region and every region below it", by the ancestry each region stores (its path as an array). Division
 * codes are not safe prefixes of one another (110110 is not inside 11011x), so the ancestry, not the code,
 * decides; and an array condition is one the planner estimates from statistics (see the region_ancestors
 * migration).
 */
export const REGION_AND_BELOW_SQL = `select r.code from region r where r.ancestors @> array[?]::text[]`;

export async function regionCodesUnder(em: EntityManager, code: string): Promise<string[]> {
  const rows = await em.getConnection().execute<Array<{ code: string }>>(REGION_AND_BELOW_SQL, [code]);
  return rows.map((r) => r.code);
}
