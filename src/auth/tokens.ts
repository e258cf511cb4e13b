import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { AgencyKind, UserRole } from '../agencies/agency.entity';

/**
 * Signed tokens (JWT, HS256, via jsonwebtoken): who is asking, for which agency, with which roles. Keys are a
 * list with ids: the first signs, every one verifies, so a key is rotated by putting the new one first and
 * dropping the old one once its tokens have expired.
 */
export interface SigningKey {
  kid: string;
  secret: string;
}

export interface Principal {
  userId: string;
  agencyId: string;
  agencyKind: AgencyKind;
  roles: UserRole[];
  /** When the token expires (ms since the epoch); set by `verify`. */
  readonly expiresAt?: number;
}

const ISSUER = 'anxin';
const AUDIENCE = 'anxin-api';

export class TokenError extends Error {}

const INVALID = 'token invalid';

export class Tokens {
  /**
   * The secrets as key objects, made once: given a string, jsonwebtoken first tries it as a PEM public key on
   * every verify, and that failed parse cost more than the signature check itself.
   */
  private readonly keyObjects: Map<string, KeyObject>;

  constructor(
    private readonly keys: SigningKey[],
    private readonly ttl: string = '12h',
  ) {
    if (keys.length === 0) throw new Error('at least one signing key is needed');
    this.keyObjects = new Map(keys.map((k) => [k.kid, createSecretKey(Buffer.from(k.secret, 'utf8'))]));
  }

  issue(p: Principal, opts: { ttl?: string } = {}): string {
    const key = this.keys[0]!;
    return jwt.sign({ agency: p.agencyId, kind: p.agencyKind, roles: p.roles }, key.secret, {
      algorithm: 'HS256',
      keyid: key.kid,
      subject: p.userId,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: (opts.ttl ?? this.ttl) as jwt.SignOptions['expiresIn'],
    });
  }

  /**
   * The token's principal, or a TokenError: "token expired", or "token invalid" for every other reason (unknown
   * key, tampered, missing claims, no expiry), so that the answer tells a prober nothing about our key ids.
   */
  verify(token: string): Principal {
    const header = jwt.decode(token, { complete: true })?.header;
    const key = typeof header?.kid === 'string' ? this.keyObjects.get(header.kid) : undefined;
    if (!key) throw new TokenError(INVALID);
    try {
      const claims = jwt.verify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }) as jwt.JwtPayload;
      // A token without an expiry would be good forever: every token we issue has one.
      if (typeof claims.exp !== 'number') throw new TokenError(INVALID);
      if (
        typeof claims.sub !== 'string' ||
        typeof claims.agency !== 'string' ||
        typeof claims.kind !== 'string' ||
        !Array.isArray(claims.roles)
      )
        throw new TokenError(INVALID);
      const principal: Principal = {
        userId: claims.sub,
        agencyId: claims.agency,
        agencyKind: claims.kind as AgencyKind,
        roles: claims.roles as UserRole[],
      };
      // Not enumerable: a principal compares and serialises as who it is; the expiry is for long-lived connections.
      return Object.defineProperty(principal, 'expiresAt', { value: claims.exp * 1000, enumerable: false });
    } catch (err) {
      if (err instanceof TokenError) throw err;
      throw new TokenError(err instanceof jwt.TokenExpiredError ? 'token expired' : INVALID);
    }
  }
}

/** `AUTH_JWT_KEYS`: `kid=secret,kid2=secret2`, newest first. */
export function parseKeys(spec: string): SigningKey[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return { kid: pair.slice(0, at), secret: pair.slice(at + 1) };
    });
}

/**
 * For `npm start` without AUTH_JWT_KEYS: a key made once and kept in the data folder, so tokens printed at one
 * start still work at the next. Production processes must be given their keys.
 */
export function localDevelopmentKeys(dataDir: string): SigningKey[] {
  const file = path.join(dataDir, 'auth-keys');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `local-1=${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  return parseKeys(readFileSync(file, 'utf8'));
}
