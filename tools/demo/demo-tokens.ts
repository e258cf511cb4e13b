import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgencyKind, UserRole } from '../../src/agencies/agency.entity';
import type { Tokens } from '../../src/auth/tokens';

interface Row {
  user_id: string;
  user_name: string;
  roles: UserRole[];
  agency_id: string;
  agency_name: string;
  kind: AgencyKind;
  region_code: string;
}

/** A showcase persona with its token, as the dashboard's sign-in lists it. */
export interface DemoPersona {
  role: UserRole;
  agencyKind: AgencyKind;
  agencyName: string;
  userName: string;
  token: string;
}

/** The personas a newcomer tries first: Xicheng's bodies and the city's, one line each. */
const SHOWCASE: Array<{ kind: AgencyKind; role: UserRole; region?: string; name?: string }> = [
  { kind: 'HRSS_INSPECTION', role: 'INTAKE_CLERK', region: '110102' },
  { kind: 'HRSS_INSPECTION', role: 'INSPECTOR', region: '110102' },
  { kind: 'HRSS_INSPECTION', role: 'SUPERVISOR', region: '110102' },
  { kind: 'HRSS_INSPECTION', role: 'DIRECTOR', region: '110102' },
  { kind: 'DISTRICT_GOVERNMENT', role: 'OFFICER', region: '110102' },
  { kind: 'INDUSTRY_REGULATOR', role: 'SUPERVISOR', name: '住房和城乡建设' },
  { kind: 'CONTRACTOR_HQ', role: 'LIAISON' },
  { kind: 'POLICE', role: 'OFFICER', region: '110102' },
  { kind: 'PROCURATORATE', role: 'OFFICER', region: '110102' },
  { kind: 'UNION', role: 'MEDIATOR', region: '110102' },
  { kind: 'INTEGRATOR', role: 'INTEGRATOR' },
];

/**
 * Tokens for the demo users: one per role of every demo agency, written to `<data>/demo-tokens.tsv`; the
 * showcase personas are also returned for printing at start.
 */
export async function writeDemoTokens(
  em: EntityManager,
  tokens: Tokens,
  dataDir: string,
): Promise<{ file: string; showcase: string[]; personas: DemoPersona[] }> {
  const rows = await em.getConnection().execute<Row[]>(
    `select u.id as user_id, u.name as user_name, u.roles, a.id as agency_id, a.name as agency_name, a.kind, a.region_code
       from app_user u join agency a on a.id = u.agency_id order by a.kind, a.region_code, a.name, u.name`,
  );
  const seen = new Set<string>();
  const lines = ['agency_kind\tagency\trole\tuser\ttoken'];
  const byPersona = new Map<string, { row: Row; token: string }>();
  for (const row of rows) {
    for (const role of row.roles) {
      const key = `${row.agency_id}:${role}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const token = tokens.issue({ userId: row.user_id, agencyId: row.agency_id, agencyKind: row.kind, roles: row.roles }, { ttl: '30d' });
      lines.push([row.kind, row.agency_name, role, row.user_name, token].join('\t'));
      for (const s of SHOWCASE) {
        const persona = `${s.kind}:${s.role}`;
        if (
          s.kind === row.kind &&
          s.role === role &&
          (!s.region || s.region === row.region_code) &&
          (!s.name || row.agency_name.includes(s.name)) &&
          !byPersona.has(persona)
        )
          byPersona.set(persona, { row, token });
      }
    }
  }
  const file = path.join(dataDir, 'demo-tokens.tsv');
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  const showcase = SHOWCASE.flatMap((s) => {
    const hit = byPersona.get(`${s.kind}:${s.role}`);
    return hit ? [`${s.role.padEnd(12)} ${hit.row.agency_name} (${hit.row.user_name})\n  Authorization: Bearer ${hit.token}`] : [];
  });
  // The same personas for the dashboard's sign-in page (GET /dev/personas, development only).
  const personas = SHOWCASE.flatMap((s) => {
    const hit = byPersona.get(`${s.kind}:${s.role}`);
    return hit
      ? [{ role: s.role, agencyKind: s.kind, agencyName: hit.row.agency_name, userName: hit.row.user_name, token: hit.token }]
      : [];
  });
  return { file, showcase, personas };
}
