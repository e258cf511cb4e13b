import type { AgencyKind } from '../agencies/agency.entity';

/** Who is acting: from a request's verified token (absent for anonymous callers), or the actor a workflow step names. */
export interface Actor {
  userId: string;
  agencyId: string;
  agencyKind?: AgencyKind;
  roles?: string[];
  /** When the token that named this caller expires (ms since the epoch): a socket opened with it closes then. */
  expiresAt?: number;
}
