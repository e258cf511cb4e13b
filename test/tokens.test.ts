import jwt from 'jsonwebtoken';
import { parseKeys, TokenError, Tokens } from '../src/auth/tokens';

/** Signed tokens: verified with a maintained library (jsonwebtoken), keys rotated by list order. */
describe('tokens', () => {
  const principal = { userId: 'u-1', agencyId: 'a-1', agencyKind: 'POLICE' as const, roles: ['OFFICER' as const] };
  const oldKey = { kid: 'k-2025', secret: 'old-secret-0123456789abcdefghijklmnopqrstuv' };
  const newKey = { kid: 'k-2026', secret: 'new-secret-0123456789abcdefghijklmnopqrstuv' };

  it('round-trips a principal', () => {
    const t = new Tokens([newKey]);
    expect(t.verify(t.issue(principal))).toEqual(principal);
  });

  it('rotates: a new key signs, the old one still verifies until it is dropped', () => {
    const before = new Tokens([oldKey]).issue(principal);
    const rotating = new Tokens([newKey, oldKey]);
    expect(rotating.verify(before)).toEqual(principal);
    expect(jwt.decode(rotating.issue(principal), { complete: true })?.header.kid).toBe('k-2026');
    expect(() => new Tokens([newKey]).verify(before)).toThrow(new TokenError('token invalid'));
  });

  it('refuses a tampered, expired, foreign or unsigned token', () => {
    const t = new Tokens([newKey]);
    const good = t.issue(principal);
    const [h, p, s] = good.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), kind: 'HRSS_INSPECTION' })).toString(
      'base64url',
    );
    expect(() => t.verify(`${h}.${forged}.${s}`)).toThrow('token invalid');
    expect(() => t.verify(t.issue(principal, { ttl: '-1s' }))).toThrow('token expired');
    expect(() =>
      t.verify(
        jwt.sign({ agency: 'a', kind: 'POLICE', roles: [] }, newKey.secret, {
          keyid: 'k-2026',
          subject: 'u',
          audience: 'someone-else',
          issuer: 'anxin',
        }),
      ),
    ).toThrow('token invalid');
    expect(() =>
      t.verify(
        jwt.sign({ sub: 'u', agency: 'a', kind: 'POLICE', roles: [] }, '', { algorithm: 'none', keyid: 'k-2026' } as jwt.SignOptions),
      ),
    ).toThrow();
  });

  it('refuses a token without an expiry, and says the same for an unknown key as for a bad signature (no key ids revealed)', () => {
    const t = new Tokens([newKey]);
    const forever = jwt.sign({ agency: 'a-1', kind: 'POLICE', roles: ['OFFICER'] }, newKey.secret, {
      keyid: 'k-2026',
      subject: 'u-1',
      audience: 'anxin-api',
      issuer: 'anxin',
    });
    expect(jwt.decode(forever, { json: true })?.exp).toBeUndefined();
    expect(() => t.verify(forever)).toThrow(new TokenError('token invalid'));
    const unknownKey = jwt.sign({ agency: 'a-1', kind: 'POLICE', roles: ['OFFICER'] }, newKey.secret, {
      keyid: 'k-1999',
      subject: 'u-1',
      audience: 'anxin-api',
      issuer: 'anxin',
      expiresIn: '1h',
    });
    const badSignature = jwt.sign({ agency: 'a-1', kind: 'POLICE', roles: ['OFFICER'] }, 'another-secret-0123456789abcdefghijklmn', {
      keyid: 'k-2026',
      subject: 'u-1',
      audience: 'anxin-api',
      issuer: 'anxin',
      expiresIn: '1h',
    });
    const messages = [unknownKey, badSignature].map((tok) => {
      try {
        t.verify(tok);
        return 'verified';
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(messages).toEqual(['token invalid', 'token invalid']);
  });

  it('reads the key list from AUTH_JWT_KEYS', () => {
    expect(parseKeys(`${newKey.kid}=${newKey.secret}, ${oldKey.kid}=${oldKey.secret}`)).toEqual([newKey, oldKey]);
  });
});
