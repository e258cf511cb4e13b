import { DISTRICTS } from '../demo/beijing';

/** The dashboard's case list document (filter by district and statuses, first 50, with employer, project, lead, region). */
export const LIST_QUERY = `query($f: CaseFilter, $first: Int) {
  cases(filter: $f, first: $first) {
    totalCount
    edges { node { number status receivedAt employer { name uscc } project { name code } leadInspector { name } region { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

// The dashboard's common views: open work first, then single statuses (CLOSED is the largest set per district).
export const STATUS_SETS: string[][] = [['ACCEPTED', 'IN_PROGRESS'], ['RECEIVED'], ['IN_PROGRESS'], ['ACCEPTED'], ['RESOLVED'], ['CLOSED']];

/** The k-th request's variables: every request a different (district, statuses) pair, cycling through all of them. */
export function listVariables(k: number): { f: { regionCode: string; statuses: string[] }; first: number } {
  const district = DISTRICTS[k % DISTRICTS.length]!.code;
  const statuses = STATUS_SETS[Math.floor(k / DISTRICTS.length) % STATUS_SETS.length]!;
  return { f: { regionCode: district, statuses }, first: 50 };
}
