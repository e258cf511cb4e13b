// Who is signed in: the bearer token, kept in this browser's localStorage, and what it says about its holder.
// The API checks every request; the claims only decide what the interface offers.

const KEY = 'anxin.token';

export interface Claims {
  userId: string;
  agencyId: string;
  agencyKind: string;
  roles: string[];
  expiresAt: number;
}

export function currentToken(): string | null {
  return localStorage.getItem(KEY);
}

export function signIn(token: string): void {
  localStorage.setItem(KEY, token.replace(/^Bearer\s+/i, '').trim());
}

export function signOut(): void {
  localStorage.removeItem(KEY);
}

/** The token's claims (not verified here: the API verifies); null for something that is not a token of ours. */
export function claimsOf(token: string | null): Claims | null {
  if (!token) return null;
  try {
    const part = token.split('.')[1];
    if (!part) return null;
    const json = JSON.parse(decodeURIComponent(escape(atob(part.replace(/-/g, '+').replace(/_/g, '/')))));
    if (typeof json.sub !== 'string' || typeof json.agency !== 'string') return null;
    return { userId: json.sub, agencyId: json.agency, agencyKind: String(json.kind), roles: json.roles ?? [], expiresAt: json.exp * 1000 };
  } catch {
    return null;
  }
}

export function currentClaims(): Claims | null {
  const claims = claimsOf(currentToken());
  return claims && claims.expiresAt > Date.now() ? claims : null;
}
