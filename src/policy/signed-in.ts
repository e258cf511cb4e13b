import type { AgencyKind } from '../agencies/agency.entity';
import type { Actor } from '../core/actor';
import { unauthenticated } from '../domain/errors';

export type SignedInActor = Actor & { agencyKind: AgencyKind; roles: string[] };

/** The caller, who must be signed in (an agency's verified token), else UNAUTHENTICATED. */
export function signedIn(ctx: { actor?: Actor }): SignedInActor {
  const a = ctx.actor;
  if (!a?.agencyKind) throw unauthenticated('sign in: this needs a token');
  return { ...a, agencyKind: a.agencyKind, roles: a.roles ?? [] };
}
