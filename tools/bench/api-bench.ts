import http from 'node:http';
import { uniqueMobile } from '../demo/identities';
import { Random } from '../demo/random';
import { LIST_QUERY, listVariables } from './dashboard-list';

/**
 * `npm run bench:api [-- --url http://127.0.0.1:4000/graphql]`: latency and throughput of the GraphQL API as
 * the dashboards and integrators use it, against a running `npm start` (the whole system) or `npm run
 * bench:api-alone` (the API tier without the workflow engine) on a database seeded with
 * `npm run seed -- --cases 1000000`.
 *
 *   (a) the dashboard case list (filter by district and statuses, first 50, with employer, project, lead,
 *       region): sequential, after a warm-up; p50/p95/p99.
 *   (b) intake of a complaint (intakeComplaint): sequential; p50/p95/p99.
 *   (c) intake throughput: N concurrent clients for a fixed time; requests/s and errors.
 *
 * Loopback only: it refuses any other host, and every loop is bounded by a count or a deadline.
 * It writes: each intake creates a real case (channel HOTLINE_12345, channel reference `bench-<run>-<n>`).
 */

const INTAKE_MUTATION = `mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { outcome case { id number } } }`;

interface Options {
  url: URL;
  requests: number;
  warmup: number;
  intakes: number;
  concurrency: number;
  seconds: number;
  headers: Record<string, string>;
  /** Intakes rotate through these regions (one by default, as the dashboard team asked for). */
  regions: string[];
}

const USAGE = `usage: api-bench [--url http://127.0.0.1:4000/graphql] [--requests 500] [--warmup 50] [--intakes 200]
                 [--concurrency 32] [--seconds 10] [--region 110102001[,110105001,…]] [--header 'Name: value' …]`;

function parseArgs(argv: string[]): Options {
  const o: Options = {
    url: new URL('http://127.0.0.1:4000/graphql'),
    requests: 500,
    warmup: 50,
    intakes: 200,
    concurrency: 32,
    seconds: 10,
    headers: {},
    regions: ['110102001'],
  };
  const fail = (msg: string): never => {
    console.error(`${msg}\n${USAGE}`);
    process.exit(2);
  };
  const int = (flag: string, v: string | undefined, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) fail(`${flag} must be an integer from ${min} to ${max}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--url':
        try {
          o.url = new URL(value() ?? '');
        } catch {
          fail('--url must be a URL');
        }
        break;
      case '--requests':
        o.requests = int(flag, value(), 1, 100_000);
        break;
      case '--warmup':
        o.warmup = int(flag, value(), 0, 10_000);
        break;
      case '--intakes':
        o.intakes = int(flag, value(), 0, 100_000);
        break;
      case '--concurrency':
        o.concurrency = int(flag, value(), 1, 256);
        break;
      case '--seconds':
        o.seconds = int(flag, value(), 0, 600);
        break;
      case '--region': {
        // A comma list spreads intakes over districts: each district-year has one case-number counter row,
        // which every intake in that district locks until it commits.
        const codes = (value() ?? '')
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean);
        if (codes.length === 0 || codes.some((c) => !/^\d{6}(\d{3})?$/.test(c)))
          fail('--region needs 6- or 9-digit division codes, comma-separated');
        o.regions = codes;
        break;
      }
      case '--header': {
        const h = value() ?? '';
        const at = h.indexOf(':');
        if (at < 1) fail(`--header must be 'Name: value', not ${JSON.stringify(h)}`);
        o.headers[h.slice(0, at).trim().toLowerCase()] = h.slice(at + 1).trim();
        break;
      }
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${argv[i]}`);
    }
  }
  // This tool writes cases and saturates the server: it only ever talks to this machine.
  if (o.url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(o.url.hostname)) {
    fail(`--url must be plain http on loopback (127.0.0.1, localhost or [::1]), not ${o.url.href}`);
  }
  return o;
}

// ---- HTTP ---------------------------------------------------------------------------------------------

// Keep-alive sockets, enough for the concurrent phase: otherwise each request pays a TCP handshake and the
// benchmark measures connection setup instead of the API.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

class RequestError extends Error {}

function post(o: Options, body: string): Promise<GraphQLResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      o.url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          accept: 'application/json',
          ...o.headers,
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: GraphQLResponse;
          try {
            parsed = JSON.parse(text) as GraphQLResponse;
          } catch {
            reject(new RequestError(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
            return;
          }
          if (parsed.errors?.length)
            reject(new RequestError(parsed.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ')));
          else if (res.statusCode !== 200) reject(new RequestError(`HTTP ${res.statusCode}`));
          else resolve(parsed);
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new RequestError('timed out after 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

async function timedPost(
  o: Options,
  query: string,
  variables: unknown,
): Promise<{ ms: number; data?: Record<string, unknown>; error?: string }> {
  const body = JSON.stringify({ query, variables });
  const t = process.hrtime.bigint();
  try {
    const res = await post(o, body);
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, data: res.data ?? undefined };
  } catch (err) {
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, error: (err as Error).message };
  }
}

// ---- statistics -----------------------------------------------------------------------------------------

interface Stats {
  n: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

function stats(ms: number[], errors: number): Stats {
  const s = [...ms].sort((a, b) => a - b);
  // Nearest-rank percentile.
  const q = (p: number) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    n: s.length,
    errors,
    p50: round(q(50)),
    p95: round(q(95)),
    p99: round(q(99)),
    mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    max: round(s[s.length - 1] ?? NaN),
  };
}

// ---- the three measurements -------------------------------------------------------------------------------

async function benchList(
  o: Options,
  firstErrors: string[],
): Promise<{ overall: Stats; bySet: Record<string, Stats>; meanTotalCount: number }> {
  for (let k = 0; k < o.warmup; k++) {
    const r = await timedPost(o, LIST_QUERY, listVariables(k));
    if (r.error && k === 0) throw new Error(`the case list query fails: ${r.error}`);
  }
  const all: number[] = [];
  const bySet = new Map<string, number[]>();
  let errors = 0;
  let totalCounts = 0;
  for (let k = 0; k < o.requests; k++) {
    const vars = listVariables(k + o.warmup);
    const r = await timedPost(o, LIST_QUERY, vars);
    if (r.error) {
      errors++;
      if (firstErrors.length < 3) firstErrors.push(`cases: ${r.error}`);
      continue;
    }
    const cases = r.data?.cases as { totalCount?: number; edges?: unknown[] } | undefined;
    if (typeof cases?.totalCount !== 'number' || !Array.isArray(cases.edges)) {
      errors++;
      if (firstErrors.length < 3) firstErrors.push(`cases: unexpected response ${JSON.stringify(r.data).slice(0, 200)}`);
      continue;
    }
    totalCounts += cases.totalCount;
    all.push(r.ms);
    const key = vars.f.statuses.join('+');
    if (!bySet.has(key)) bySet.set(key, []);
    bySet.get(key)!.push(r.ms);
  }
  return {
    overall: stats(all, errors),
    bySet: Object.fromEntries([...bySet.entries()].map(([k, v]) => [k, stats(v, 0)])),
    meanTotalCount: Math.round(totalCounts / Math.max(1, all.length)),
  };
}

function intakeVariables(o: Options, runId: string, n: number, rng: Random, mobiles: Set<string>) {
  return {
    i: {
      channel: 'HOTLINE_12345',
      channelRef: `bench-${runId}-${n}`,
      contactPhone: uniqueMobile(rng, mobiles),
      description: 'bench',
      regionCode: o.regions[n % o.regions.length],
    },
  };
}

function intakeOk(r: { data?: Record<string, unknown>; error?: string }): string | undefined {
  if (r.error) return r.error;
  const res = r.data?.intakeComplaint as { outcome?: string; case?: { number?: string } } | undefined;
  if (!res?.case?.number) return `unexpected response ${JSON.stringify(r.data).slice(0, 200)}`;
  if (res.outcome !== 'CREATED') return `outcome ${res.outcome}, expected CREATED`;
  return undefined;
}

async function benchIntake(o: Options, runId: string, firstErrors: string[], rng: Random, mobiles: Set<string>): Promise<Stats> {
  const ms: number[] = [];
  let errors = 0;
  for (let n = 0; n < o.intakes; n++) {
    const r = await timedPost(o, INTAKE_MUTATION, intakeVariables(o, runId, n, rng, mobiles));
    const problem = intakeOk(r);
    if (problem) {
      errors++;
      if (firstErrors.length < 3) firstErrors.push(`intakeComplaint: ${problem}`);
      if (n === 0) throw new Error(`the intake mutation fails: ${problem}`);
    } else ms.push(r.ms);
  }
  return stats(ms, errors);
}

async function benchThroughput(
  o: Options,
  runId: string,
  firstErrors: string[],
  rng: Random,
  mobiles: Set<string>,
): Promise<{ clients: number; seconds: number; requests: number; ok: number; errors: number; perSecond: number; latency: Stats }> {
  let n = 1_000_000; // channel references continue after the sequential phase's
  let ok = 0;
  let errors = 0;
  const ms: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(o.seconds) * 1_000_000_000n;
  const client = async () => {
    // Bounded twice: by the deadline, and by a request cap no real server reaches in the time.
    for (let k = 0; k < 1_000_000 && process.hrtime.bigint() < deadline; k++) {
      const r = await timedPost(o, INTAKE_MUTATION, intakeVariables(o, runId, n++, rng, mobiles));
      const problem = intakeOk(r);
      if (problem) {
        errors++;
        if (firstErrors.length < 3) firstErrors.push(`intakeComplaint (concurrent): ${problem}`);
      } else {
        ok++;
        ms.push(r.ms);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, client));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    clients: o.concurrency,
    seconds: Math.round(seconds * 100) / 100,
    requests: ok + errors,
    ok,
    errors,
    perSecond: Math.round(((ok + errors) / seconds) * 10) / 10,
    latency: stats(ms, errors),
  };
}

// ---- main ---------------------------------------------------------------------------------------------------

function row(cells: Array<string | number>, widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const runId = Date.now().toString(36);
  const rng = new Random(`bench-${runId}`);
  const mobiles = new Set<string>();
  const firstErrors: string[] = [];

  const ping = await timedPost(o, '{ __typename }', {});
  if (ping.error) throw new Error(`no GraphQL API at ${o.url.href} (start it with \`npm start\`): ${ping.error}`);

  console.log(`Anxin API benchmark — ${o.url.href} — run ${runId} — intakes in ${o.regions.join(', ')}`);
  console.log(`(a) case list: ${o.warmup} warm-up + ${o.requests} sequential requests …`);
  const list = await benchList(o, firstErrors);
  console.log(`(b) intake: ${o.intakes} sequential mutations …`);
  const intake = o.intakes > 0 ? await benchIntake(o, runId, firstErrors, rng, mobiles) : stats([], 0);
  console.log(`(c) intake throughput: ${o.concurrency} clients for ${o.seconds} s …`);
  const throughput = await benchThroughput(o, runId, firstErrors, rng, mobiles);

  const w = [34, 6, 7, 8, 8, 8, 8, 8];
  console.log('');
  console.log(row(['measurement', 'n', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms', 'max ms'], w));
  console.log('-'.repeat(w.reduce((a, b) => a + b + 2, -2)));
  const line = (name: string, s: Stats) => console.log(row([name, s.n, s.errors, s.p50, s.p95, s.p99, s.mean, s.max], w));
  line('(a) cases list (all)', list.overall);
  for (const [set, s] of Object.entries(list.bySet)) line(`    statuses ${set}`, s);
  line('(b) intakeComplaint sequential', intake);
  line(`(c) intakeComplaint ×${throughput.clients} clients`, throughput.latency);
  console.log('');
  console.log(`(a) mean totalCount per list: ${list.meanTotalCount}`);
  console.log(
    `(c) throughput: ${throughput.perSecond} requests/s (${throughput.ok} ok, ${throughput.errors} errors in ${throughput.seconds} s)`,
  );
  for (const e of firstErrors) console.log(`first errors: ${e}`);
  console.log(
    JSON.stringify({
      bench: 'anxin-api',
      url: o.url.href,
      run: runId,
      intakeRegions: o.regions,
      list: { ...list.overall, meanTotalCount: list.meanTotalCount, byStatuses: list.bySet },
      intake,
      throughput: {
        clients: throughput.clients,
        seconds: throughput.seconds,
        requests: throughput.requests,
        ok: throughput.ok,
        errors: throughput.errors,
        perSecond: throughput.perSecond,
        latency: throughput.latency,
      },
    }),
  );
  agent.destroy();
  if (list.overall.errors + intake.errors + throughput.errors > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  agent.destroy();
  process.exit(1);
});
