import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { localDevelopmentKeys, parseKeys, Tokens } from '../../src/auth/tokens';
import { loadConfigOrExit } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { loadDemoCity } from '../demo/demo-city';
import { toolDatabaseUrl } from '../../src/infra/tool-database';
import { Lifecycle, runMain } from '../../src/lifecycle';
import { createLogger } from '../../src/logger';
import { LIST_QUERY, listVariables } from './dashboard-list';
import { freePort } from '../../src/infra/free-port';

/**
 * `npm run bench:attacker [-- --seconds 30]`: what one attacker, sending at the rate the API allows it the worst
 * documents its limits let through, costs a legitimate dashboard user. The API runs alone in a child process
 * (`bench:api-alone`: API and PostgreSQL, no Temporal), on DATA_DIR's embedded database (or DATABASE_URL), with the
 * demo city loaded if the database is empty, and the default rate limits (RATE_LIMIT_PER_MINUTE and
 * ANONYMOUS_RATE_LIMIT_PER_MINUTE from the environment, 600 and 60 by default).
 *
 * The user, a city director, runs the dashboard's case list (first 50) four times a second, within its own rate,
 * and its latencies are measured in five phases: alone; beside an anonymous attacker; beside a signed-in attacker;
 * beside a signed-in attacker flooding past its rate (8 requests in flight, answered 429); alone again. Each
 * attacker document carries a unique comment, so no document cache helps. Loopback only.
 */
interface Options {
  seconds: number;
  userPerSecond: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seconds: 30, userPerSecond: 4 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const n = Number(inline ?? argv[++i]);
    if (flag === '--seconds' && Number.isInteger(n) && n >= 1 && n <= 600) o.seconds = n;
    else if (flag === '--user-per-second' && Number.isInteger(n) && n >= 1 && n <= 9) o.userPerSecond = n;
    else {
      console.error('usage: attacker-bench [--seconds 30] [--user-per-second 4]');
      process.exit(2);
    }
  }
  return o;
}

// ---- the attacker's documents: the worst each tier's limits let through, and the bomb they refuse --------------

const CASE_FIELDS = 'id number status receivedAt channel description amountClaimed workersAffected version';

/** Anonymous: 4 aliases × (caseStatus + 4 fields) and 9 repeated fields, padded with a unique comment to 2,000 characters. */
function anonymousWorst(i: number): string {
  const body = `query($n: String!, $p: Mobile!) { ${Array.from({ length: 4 }, (_, k) => `a${k}: caseStatus(number: $n, phone: $p) { number status nextStep receivedAt }`).join(' ')} ${'__typename '.repeat(5)} }`;
  const comment = `# ${i} `;
  return `${comment}${'x'.repeat(Math.max(0, 1_990 - comment.length - body.length))}\n${body}`;
}

/** Signed in: near every limit at once — repeated composite fields with arguments (≈200 pairs), the cost ceiling, a unique comment. */
function signedInWorst(i: number): string {
  const repeated = `case(number: "110102-2026-000001") { ${CASE_FIELDS} } `.repeat(6);
  const costly = Array.from(
    { length: 2 },
    (_, k) => `c${k}: cases(first: 100) { edges { node { ${CASE_FIELDS} employer { name uscc } region { name } } } }`,
  ).join(' ');
  return `# ${i} ${Math.random()}\n{ ${repeated} ${costly} }`;
}

/** The document of issue 12 (#3): refused by every tier's limits. */
function bomb(i: number): string {
  return `# ${i} ${Math.random()}\n{ health { ${'database '.repeat(1_990)} } }`;
}

// ---- HTTP --------------------------------------------------------------------------------------------------

interface Answer {
  ms: number;
  status: number;
  code?: string;
}

function post(url: URL, agent: http.Agent, body: string, headers: Record<string, string>): Promise<Answer> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { errors?: Array<{ extensions?: { code?: string } }> })
              .errors?.[0]?.extensions?.code;
          } catch {
            code = 'NOT_JSON';
          }
          resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.statusCode ?? 0, code });
        });
        res.on('error', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: 0, code: 'RESPONSE_ERROR' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: 0, code: 'REQUEST_ERROR' }));
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const round = (x: number) => Math.round(x * 10) / 10;

interface Attacker {
  name: string;
  headers: Record<string, string>;
  /** Requests per second sent (on a fixed schedule, whether or not answers came back). */
  perSecond: number;
  /** Most requests in flight at once. */
  inFlight: number;
  document: (i: number) => string;
}

interface PhaseResult {
  phase: string;
  user: { n: number; errors: number; p50: number; p95: number; p99: number; max: number };
  attacker?: { sent: number; byOutcome: Record<string, number> };
}

async function runPhase(
  name: string,
  o: Options,
  url: URL,
  userHeaders: Record<string, string>,
  attacker: Attacker | undefined,
  k0: number,
): Promise<PhaseResult> {
  const deadline = Date.now() + o.seconds * 1000;
  const userAgent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const attackAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const outcomes: Record<string, number> = {};
  let sent = 0;
  const attack = async () => {
    if (!attacker) return;
    let inFlight = 0;
    const pending: Array<Promise<void>> = [];
    const interval = 1000 / attacker.perSecond;
    for (let i = 0, next = Date.now(); Date.now() < deadline && i < 1_000_000; i++, next += interval) {
      await sleep(Math.max(0, next - Date.now()));
      if (inFlight >= attacker.inFlight) continue;
      inFlight++;
      sent++;
      const body = JSON.stringify({ query: attacker.document(i), variables: { n: '110102-2026-000001', p: '13800000000' } });
      pending.push(
        post(url, attackAgent, body, attacker.headers).then((a) => {
          inFlight--;
          const key = `${a.status} ${a.code ?? 'data'}`;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }),
      );
    }
    await Promise.all(pending);
  };
  const user = async () => {
    const ms: number[] = [];
    let errors = 0;
    const interval = 1000 / o.userPerSecond;
    for (let k = k0, next = Date.now(); Date.now() < deadline; k++, next += interval) {
      await sleep(Math.max(0, next - Date.now()));
      const a = await post(url, userAgent, JSON.stringify({ query: LIST_QUERY, variables: listVariables(k) }), userHeaders);
      if (a.status !== 200 || a.code) errors++;
      else ms.push(a.ms);
    }
    return { ms: ms.sort((x, y) => x - y), errors };
  };
  const [u] = await Promise.all([user(), attack()]);
  userAgent.destroy();
  attackAgent.destroy();
  return {
    phase: name,
    user: {
      n: u.ms.length,
      errors: u.errors,
      p50: round(percentile(u.ms, 50)),
      p95: round(percentile(u.ms, 95)),
      p99: round(percentile(u.ms, 99)),
      max: round(u.ms[u.ms.length - 1] ?? NaN),
    },
    ...(attacker ? { attacker: { sent, byOutcome: outcomes } } : {}),
  };
}

function boot(): void {
  const o = parseArgs(process.argv.slice(2));
  const config = loadConfigOrExit('tool');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const dbUrl = await toolDatabaseUrl(config, log, lifecycle);
    const orm = await openDatabase({ url: dbUrl, log });
    await loadDemoCity(orm.em.fork(), log); // only into an empty database
    // The user: the city corps' director (sees the whole city); the attacker: an inspector; a third user pings.
    const users = await orm.em.getConnection().execute<Array<{ user_id: string; agency_id: string; roles: string[] }>>(
      `(select u.id as user_id, a.id as agency_id, u.roles from app_user u join agency a on a.id = u.agency_id
         where a.kind = 'HRSS_INSPECTION' and 'DIRECTOR' = any(u.roles) order by length(a.region_code), u.id limit 1)
       union all
       (select u.id, a.id, u.roles from app_user u join agency a on a.id = u.agency_id
         where a.kind = 'HRSS_INSPECTION' and 'INSPECTOR' = any(u.roles) and not 'DIRECTOR' = any(u.roles) order by u.id limit 2)`,
    );
    await orm.close();
    if (users.length < 3) throw new Error('the database has no demo city (HRSS directors and inspectors): start from an empty DATA_DIR');
    const tokens = new Tokens(config.auth.keys ? parseKeys(config.auth.keys) : localDevelopmentKeys(config.dataDir));
    const bearer = (u: { user_id: string; agency_id: string; roles: string[] }) => ({
      authorization: `Bearer ${tokens.issue({ userId: u.user_id, agencyId: u.agency_id, agencyKind: 'HRSS_INSPECTION', roles: u.roles as never })}`,
    });
    const [director, attackerUser, pinger] = [bearer(users[0]!), bearer(users[1]!), bearer(users[2]!)];

    // The API alone, in its own process, so the clients here do not share its event loop.
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', path.join(__dirname, 'api-alone-main.js')], {
      env: {
        ...process.env,
        DATABASE_URL: dbUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        DEMO_DATA: 'false',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    lifecycle.onStop('API (child)', async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    });
    const url = new URL(`http://127.0.0.1:${port}/graphql`);
    const pingAgent = new http.Agent({ keepAlive: false });
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error('the API process exited before it was ready');
      const a = await post(url, pingAgent, JSON.stringify({ query: '{ __typename }' }), pinger);
      if (a.status === 200) break;
      if (i > 600) throw new Error('the API did not answer within 60 s');
      await sleep(100);
    }

    const signedInRate = Number(process.env.RATE_LIMIT_PER_MINUTE ?? 600) / 60;
    const anonymousRate = Number(process.env.ANONYMOUS_RATE_LIMIT_PER_MINUTE ?? 60) / 60;
    const alternate = (worst: (i: number) => string) => (i: number) => (i % 2 === 0 ? worst(i) : bomb(i));
    const anonymous: Attacker = {
      name: 'anonymous attacker',
      headers: {},
      perSecond: anonymousRate,
      inFlight: 4,
      document: alternate(anonymousWorst),
    };
    const signedIn: Attacker = {
      name: 'signed-in attacker',
      headers: attackerUser,
      perSecond: signedInRate,
      inFlight: 8,
      document: alternate(signedInWorst),
    };
    const flood: Attacker = { ...signedIn, name: 'signed-in attacker flooding past its rate', perSecond: 200, inFlight: 8 };

    console.log(`Anxin attacker-beside-user benchmark — ${url.href} — ${o.seconds} s per phase, the user at ${o.userPerSecond}/s`);
    console.log(
      `rates allowed: signed in ${signedInRate * 60}/min, anonymous ${anonymousRate * 60}/min; the attacker alternates its tier's worst accepted document and the health ×1990 bomb`,
    );
    // A warm-up for the user's query (plans, JIT), not measured.
    await runPhase('warm-up', { ...o, seconds: Math.min(5, o.seconds) }, url, director, undefined, 0);
    const results: PhaseResult[] = [];
    const phases: Array<[string, Attacker | undefined]> = [
      ['user alone', undefined],
      ['+ ' + anonymous.name, anonymous],
      ['+ ' + signedIn.name, signedIn],
      ['+ ' + flood.name, flood],
      ['user alone again', undefined],
    ];
    for (const [name, attacker] of phases) {
      console.log(`… ${name}`);
      // Each phase starts with fresh rate budgets: the attackers' previous minute does not carry over.
      if (attacker) await sleep(1_000);
      results.push(await runPhase(name, o, url, director, attacker, results.length * 1000));
    }
    const pad = (s: string | number, n: number, left = false) => (left ? String(s).padEnd(n) : String(s).padStart(n));
    console.log('');
    console.log(
      `${pad('phase', 46, true)}${pad('n', 6)}${pad('errors', 8)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}  attacker's answers`,
    );
    for (const r of results) {
      const a = r.attacker
        ? `${r.attacker.sent} sent: ${Object.entries(r.attacker.byOutcome)
            .map(([k, v]) => `${v}× ${k}`)
            .join(', ')}`
        : '';
      console.log(
        `${pad(r.phase, 46, true)}${pad(r.user.n, 6)}${pad(r.user.errors, 8)}${pad(r.user.p50, 9)}${pad(r.user.p95, 9)}${pad(r.user.p99, 9)}${pad(r.user.max, 9)}  ${a}`,
      );
    }
    const alone = Math.max(results[0]!.user.p95, results[4]!.user.p95);
    console.log('');
    for (const r of results.slice(1, 4))
      console.log(`user p95 ${r.phase}: ${round(r.user.p95 / alone)}× the worse of the two alone phases`);
    console.log(JSON.stringify({ bench: 'anxin-attacker', seconds: o.seconds, userPerSecond: o.userPerSecond, results }));
    pingAgent.destroy();
    await lifecycle.stopAll();
    process.exit(0);
  });
}

boot();
