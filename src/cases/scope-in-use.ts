import type { EntityManager } from '@mikro-orm/postgresql';
import type { CaseScope } from '../policy/case-scope';

/**
 * The scope a query over many cases runs: labour inspection holding no cross-region grant (`case_access`, 协查)
 * sees its region alone, so it takes the per-region fast paths (`regionOnly`: the case list's walk and tally, the
 * statistics rollup); an agency holding a grant, and every other agency, its whole scope. One statement at most.
 */
export async function scopeInUse(em: EntityManager, scope: CaseScope): Promise<CaseScope> {
  if (!scope.regional) return scope;
  const rows = await em.getConnection().execute<Array<{ held: boolean }>>(GRANT_HELD_SQL, [scope.regional.agencyId]);
  return rows[0]?.held ? scope : regionOnlyScope(scope);
}

/** Whether an agency (the one parameter) holds any cross-region grant: one row, `held`. */
export const GRANT_HELD_SQL = 'select exists (select 1 from case_access where agency_id = ?) as held';

/** The scope in use by a labour inspection agency that holds no cross-region grant (`scope.regional` given). */
export function regionOnlyScope(scope: CaseScope): CaseScope {
  return { sql: scope.regional!.sql, params: scope.regional!.params, regionOnly: true };
}
