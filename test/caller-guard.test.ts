import { GraphQLError } from 'graphql';
import { CallerGuard } from '../src/api/caller-guard';
import { buildAppSchema } from '../src/api/schema';
import { Tokens } from '../src/auth/tokens';

/** The guard remembers a token whose signature verified, until it expires; a forged one is never remembered. */
describe('the caller guard’s verified tokens', () => {
  const tokens = new Tokens([{ kid: 'k-1', secret: 'caller-guard-test-secret-0123456789abcdef' }]);
  const principal = { userId: 'u-1', agencyId: 'a-1', agencyKind: 'HRSS_INSPECTION' as const, roles: ['INSPECTOR' as const] };
  let guard: CallerGuard;

  beforeAll(async () => {
    guard = new CallerGuard(tokens, await buildAppSchema(), { signedInPerMinute: 600, anonymousPerMinute: 60 });
  });
  afterEach(() => jest.restoreAllMocks());

  it('verifies a token once and answers the same caller from memory until it expires, then refuses it', () => {
    const verify = jest.spyOn(tokens, 'verify');
    const token = tokens.issue(principal, { ttl: '60s' });
    const first = guard.authenticate(`Bearer ${token}`)!;
    const again = guard.authenticate(`Bearer ${token}`)!;
    expect(again).toEqual(first);
    expect(first).toMatchObject(principal);
    expect(verify).toHaveBeenCalledTimes(1);
    // The caller's copy is its own: changing it changes nothing remembered.
    again.roles!.push('DIRECTOR');
    expect(guard.authenticate(`Bearer ${token}`)!.roles).toEqual(['INSPECTOR']);
    // Past its expiry it is verified again, and refused.
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 120_000);
    let refused: unknown;
    try {
      guard.authenticate(`Bearer ${token}`);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(GraphQLError);
    expect((refused as GraphQLError).extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('refuses a tampered token every time (nothing is remembered of it)', () => {
    const token = tokens.issue(principal);
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), kind: 'POLICE' })).toString('base64url')}.${s}`;
    guard.authenticate(`Bearer ${token}`);
    for (let i = 0; i < 2; i++) expect(() => guard.authenticate(`Bearer ${forged}`)).toThrow('token invalid');
  });
});
