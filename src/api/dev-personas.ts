/**
 * Development only: the demo personas `npm start` issues tokens for (tools/demo/demo-tokens.ts), which the dashboard's
 * sign-in lists (GET /dev/personas) and the GraphiQL page prefills one of.
 */
export interface DevPersona {
  role: string;
  agencyKind: string;
  agencyName: string;
  userName: string;
  token: string;
}

/** The persona GraphiQL starts as: a labour inspector (a Xicheng one when there is one), else the first. */
export function graphiqlPersona(personas: ReadonlyArray<DevPersona>): { token: string; persona: string } | undefined {
  const inspectors = personas.filter((p) => p.agencyKind === 'HRSS_INSPECTION' && p.role === 'INSPECTOR');
  const pick = inspectors.find((p) => p.agencyName.includes('西城')) ?? inspectors[0] ?? personas[0];
  return pick && { token: pick.token, persona: `${pick.role} ${pick.userName}, ${pick.agencyName}` };
}
