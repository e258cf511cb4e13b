import 'reflect-metadata';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpuSeconds } from './process-cpu';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { localDevelopmentKeys, parseKeys, Tokens } from '../../src/auth/tokens';
import { loadConfigOrExit } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { freePort } from '../../src/infra/free-port';
import { toolDatabaseUrl } from '../../src/infra/tool-database';
import { Lifecycle, runMain } from '../../src/lifecycle';
import { createLogger } from '../../src/logger';
import { LIST_QUERY } from './dashboard-list';

/**
 * `npm run bench:peer [-- --seconds 20 --clients 1,8 --rounds 2]`: the dashboard's case list — the 50 newest cases of
 * district 110102 in ACCEPTED or IN_PROGRESS, with employer, project, lead and region, and totalCount — read from
 * Anxin's API and from PostGraphile 5 on the same database, by the same closed-loop keep-alive client, in
 * interleaved runs (Anxin, PostGraphile, Anxin, PostGraphile… at each client count). Each server runs in a child
 * process; its CPU per request is read from /proc/<pid>/stat around each run, as is PostgreSQL's (all its processes).
 *
 * The database: DATA_DIR's embedded PostgreSQL (or DATABASE_URL), seeded with `npm run seed -- --cases 1000000`;
 * opening it applies this branch's migrations. The peer reads a schema `peer` that the bench (re)creates: plain
 * views over the tables (only the columns the page shows) with smart tags for their keys, and one SQL function
 * with the list's WHERE and ORDER BY. It checks no access scope and masks nothing (Anxin's list does both).
 *
 * PostGraphile 5 wants Node ≥ 22; the project runs on Node 20. The bench installs, on first use, postgraphile@5.1.5
 * and a Node 22 binary (the npm registry's `node-<platform>-<arch>` package, the one the `node` package pulls) into
 * the git-ignored `.cache/peer/`, and runs the peer under that Node. Nothing of the peer enters package.json.
 *
 * `--cpu-prof DIR` runs Anxin's API under `node --cpu-prof` (the profile is written when the bench ends);
 * `--baseline DIR` measures another build's API beside this one's (e.g. `/path/to/main/dist`), interleaved the same way;
 * `--only anxin|peer` measures one side.
 */
interface Options {
  seconds: number;
  warmup: number;
  clients: number[];
  rounds: number;
  district: string;
  statuses: string[];
  cpuProf: string | null;
  only: 'anxin' | 'peer' | null;
  /** Another build of Anxin (its dist folder) measured beside this one, e.g. the main branch's: a third target. */
  baseline: string | null;
}

const USAGE =
  'usage: peer-bench [--seconds 20] [--warmup 5] [--clients 1,8] [--rounds 2] [--district 110102] [--statuses ACCEPTED,IN_PROGRESS] [--cpu-prof DIR] [--only anxin|peer] [--baseline OTHER_DIST]';

function parseArgs(argv: string[]): Options {
  const o: Options = {
    seconds: 20,
    warmup: 5,
    clients: [1, 8],
    rounds: 2,
    district: '110102',
    statuses: ['ACCEPTED', 'IN_PROGRESS'],
    cpuProf: null,
    only: null,
    baseline: null,
  };
  const fail = (): never => {
    console.error(USAGE);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? argv[++i] ?? fail();
    const n = Number(value);
    if (flag === '--seconds' && Number.isInteger(n) && n >= 1 && n <= 600) o.seconds = n;
    else if (flag === '--warmup' && Number.isInteger(n) && n >= 0 && n <= 600) o.warmup = n;
    else if (flag === '--rounds' && Number.isInteger(n) && n >= 1 && n <= 20) o.rounds = n;
    else if (flag === '--clients' && /^\d+(,\d+)*$/.test(value)) o.clients = value.split(',').map(Number);
    else if (flag === '--district' && /^\d{6}$/.test(value)) o.district = value;
    else if (flag === '--statuses' && /^[A-Z_]+(,[A-Z_]+)*$/.test(value)) o.statuses = value.split(',');
    else if (flag === '--cpu-prof') o.cpuProf = path.resolve(value);
    else if (flag === '--baseline' && existsSync(path.join(value, 'tools', 'bench', 'api-alone-main.js'))) o.baseline = path.resolve(value);
    else if (flag === '--only' && (value === 'anxin' || value === 'peer')) o.only = value;
    else fail();
  }
  return o;
}

// ---- the peer: PostGraphile 5 under Node 22, installed on demand ----------------------------------------------------

const POSTGRAPHILE = '5.1.5';
const PEER_NODE = '22.23.5';
const CACHE = path.resolve(__dirname, '..', '..', '..', '.cache', 'peer');

function installedVersion(pkg: string): string | null {
  const file = path.join(CACHE, 'node_modules', pkg, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : null;
}

/** The Node 22 binary that runs the peer, installing it and PostGraphile into `.cache/peer/` when missing. */
async function ensurePeerInstalled(): Promise<string> {
  const nodePkg = `node-${process.platform}-${process.arch}`;
  const nodeBin = path.join(CACHE, 'node_modules', nodePkg, 'bin', 'node');
  if (installedVersion('postgraphile') !== POSTGRAPHILE || installedVersion(nodePkg) !== PEER_NODE || !existsSync(nodeBin)) {
    await mkdir(CACHE, { recursive: true });
    if (!existsSync(path.join(CACHE, 'package.json'))) {
      await writeFile(path.join(CACHE, 'package.json'), JSON.stringify({ name: 'anxin-peer-bench', private: true }) + '\n');
    }
    console.error(`installing postgraphile@${POSTGRAPHILE} and ${nodePkg}@${PEER_NODE} into ${CACHE} (once)`);
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', `postgraphile@${POSTGRAPHILE}`, `${nodePkg}@${PEER_NODE}`],
      {
        cwd: CACHE,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
  }
  await writeFile(path.join(CACHE, 'peer-server.mjs'), PEER_SERVER);
  return nodeBin;
}

/** PostGraphile 5's Amber preset over the `peer` schema, served by grafserv on node:http; no GraphiQL, no watch. */
const PEER_SERVER = `import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['peer'] })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: { explain: false },
};
const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 60_000;
serv.addTo(server).then(() => server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('peer ready')));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => { server.close(); pgl.release().finally(() => process.exit(0)); });
`;

/**
 * The peer's view of the data: the columns the page shows, keys and relations as smart tags, and the list as one
 * SQL function (inlined by PostgreSQL) with Anxin's WHERE (region and below, the statuses) and order.
 */
const PEER_SCHEMA = `
drop schema if exists peer cascade;
create schema peer;
create view peer.region as select code, name from public.region;
comment on view peer.region is E'@primaryKey code';
create view peer.employer as select id, name, uscc from public.employer;
comment on view peer.employer is E'@primaryKey id';
create view peer.project as select id, name, code from public.project;
comment on view peer.project is E'@primaryKey id';
create view peer.app_user as select id, name from public.app_user;
comment on view peer.app_user is E'@name user\\n@primaryKey id';
create view peer.wage_case as
  select id, number, status, received_at, region_code, employer_id, project_id, lead_inspector_id from public.wage_case;
comment on view peer.wage_case is E'@name case\\n@primaryKey id\\n@foreignKey (region_code) references peer.region (code)|@fieldName region\\n@foreignKey (employer_id) references peer.employer (id)|@fieldName employer\\n@foreignKey (project_id) references peer.project (id)|@fieldName project\\n@foreignKey (lead_inspector_id) references peer.app_user (id)|@fieldName leadInspector';
create function peer.district_cases(district text, statuses text[]) returns setof peer.wage_case language sql stable as $$
  select c.* from peer.wage_case c
   where c.region_code in (select r.code from public.region r where r.ancestors @> array[district]::text[]) and c.status = any(statuses)
   order by c.received_at desc, c.id desc
$$;
`;

const PEER_QUERY = `query($district: String!, $statuses: [String]!, $first: Int) {
  districtCases(district: $district, statuses: $statuses, first: $first) {
    totalCount
    edges { node { number status receivedAt employer { name uscc } project { name code } leadInspector { name } region { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

// ---- the load: closed-loop keep-alive clients --------------------------------------------------------------------

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function post(url: URL, agent: http.Agent, body: string, headers: Record<string, string>): Promise<Answer> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Target {
  name: string;
  pid: number;
  url: URL;
  body: string;
  headers: Record<string, string>;
}

/** The parent of a process on this machine (null when it is not here: a DATABASE_URL elsewhere). */
function backendParent(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || null;
  } catch {
    return null;
  }
}

/**
 * PostgreSQL's CPU seconds so far: the postmaster with its ended children, and its live children (the backends, which
 * come and go with the servers' pools, and the background processes). A backend that ends between two readings moves
 * from the live sum into the postmaster's, so the difference of two readings is the CPU used between them.
 */
function postgresCpu(postmaster: number | null): number {
  if (!postmaster) return 0;
  let sum = cpuSeconds(postmaster, true);
  const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  for (const pid of children) {
    try {
      sum += cpuSeconds(Number(pid));
    } catch {
      // ended meanwhile (and not yet waited for: its CPU is missed by this reading)
    }
  }
  return sum;
}

interface Run {
  target: string;
  clients: number;
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  serverCpuMsPerRequest: number;
  postgresCpuMsPerRequest: number;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function load(t: Target, clients: number, seconds: number, postmaster: number | null): Promise<Run> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let errors = 0;
  const cpu0 = cpuSeconds(t.pid);
  const pg0 = postgresCpu(postmaster);
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const a = await post(t.url, agent, t.body, t.headers);
        if (a.status === 200 && !a.body.includes('"errors"')) latencies.push(a.ms);
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(t.pid) - cpu0;
  const pg = postgresCpu(postmaster) - pg0;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const n = latencies.length + errors;
  return {
    target: t.name,
    clients,
    requests: latencies.length,
    errors,
    seconds: round(elapsed, 1),
    throughput: round(latencies.length / elapsed, 1),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    serverCpuMsPerRequest: round((cpu * 1000) / n),
    postgresCpuMsPerRequest: round((pg * 1000) / n),
  };
}

// ---- the run -------------------------------------------------------------------------------------------------------

function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, lifecycle: Lifecycle): ChildProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  lifecycle.onStop(`${name} (child)`, async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  return child;
}

async function ready(t: Target, child: ChildProcess): Promise<string> {
  const agent = new http.Agent({ keepAlive: false });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${t.name} exited before it was ready`);
    const a = await post(t.url, agent, t.body, t.headers).catch(() => null);
    if (a?.status === 200) return a.body;
    if (i > 1200) throw new Error(`${t.name} did not answer within 120 s: ${a?.status} ${a?.body.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The page as each side answers it: the total and the case numbers, in order (the two must be the same). */
function pageOf(body: string, field: 'cases' | 'districtCases'): { total: number; numbers: string[] } {
  const parsed = JSON.parse(body) as {
    data?: Record<string, { totalCount: number; edges: Array<{ node: { number: string } }> }>;
    errors?: unknown;
  };
  const list = parsed.data?.[field];
  if (!list) throw new Error(`no ${field} in ${body.slice(0, 500)}`);
  return { total: list.totalCount, numbers: list.edges.map((e) => e.node.number) };
}

function boot(): void {
  const o = parseArgs(process.argv.slice(2));
  const config = loadConfigOrExit('tool');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const peerNode = o.only === 'anxin' ? null : await ensurePeerInstalled();
    const dbUrl = await toolDatabaseUrl(config, log, lifecycle);
    const orm = await openDatabase({ url: dbUrl, log });
    const conn = orm.em.getConnection();
    await conn.execute(PEER_SCHEMA);
    const [director] = await conn.execute<Array<{ user_id: string; agency_id: string; roles: string[] }>>(
      `select u.id as user_id, a.id as agency_id, u.roles from app_user u join agency a on a.id = u.agency_id
        where a.kind = 'HRSS_INSPECTION' and 'DIRECTOR' = any(u.roles) order by length(a.region_code), u.id limit 1`,
    );
    // PostgreSQL's postmaster: the parent of this connection's backend (field 4 of /proc/<pid>/stat).
    const [{ pid: backend } = { pid: 0 }] = await conn.execute<Array<{ pid: number }>>('select pg_backend_pid() as pid');
    const postmaster = backendParent(backend);
    const [{ cases } = { cases: '0' }] = await conn.execute<Array<{ cases: string }>>(`select count(*) as cases from wage_case`);
    await orm.close();
    if (!director) throw new Error('no HRSS director in the database: seed it first (`npm run seed -- --cases 1000000`)');
    const tokens = new Tokens(config.auth.keys ? parseKeys(config.auth.keys) : localDevelopmentKeys(config.dataDir));
    const token = tokens.issue({
      userId: director.user_id,
      agencyId: director.agency_id,
      agencyKind: 'HRSS_INSPECTION',
      roles: director.roles as never,
    });

    const targets: Array<{ t: Target; child: ChildProcess }> = [];
    const body = JSON.stringify({ query: LIST_QUERY, variables: { f: { regionCode: o.district, statuses: o.statuses }, first: 50 } });
    const anxin = async (name: string, dist: string, profile: boolean) => {
      const port = await freePort();
      const args = [
        ...(profile && o.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProf] : []),
        '--enable-source-maps',
        path.join(dist, 'tools', 'bench', 'api-alone-main.js'),
      ];
      const env = {
        ...process.env,
        DATABASE_URL: dbUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        // As in production: JSON lines at info (to /dev/null here), every signed-in request within its rate.
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        LOG_FORMAT: 'json',
        RATE_LIMIT_PER_MINUTE: '1000000',
        DEMO_DATA: 'false',
      };
      const child = startChild(name, process.execPath, args, env, lifecycle);
      const url = new URL(`http://127.0.0.1:${port}/graphql`);
      targets.push({ t: { name, pid: child.pid!, url, body, headers: { authorization: `Bearer ${token}` } }, child });
    };
    if (o.only !== 'peer') await anxin('anxin', path.resolve(__dirname, '..', '..'), true);
    if (o.only !== 'peer' && o.baseline) await anxin('anxin-baseline', o.baseline, false);
    if (peerNode) {
      const port = await freePort();
      const child = startChild(
        'PostGraphile',
        peerNode,
        [path.join(CACHE, 'peer-server.mjs')],
        { PATH: process.env.PATH, DATABASE_URL: dbUrl, PORT: String(port), NODE_ENV: 'production' },
        lifecycle,
      );
      const body = JSON.stringify({ query: PEER_QUERY, variables: { district: o.district, statuses: o.statuses, first: 50 } });
      targets.push({
        t: { name: 'postgraphile', pid: child.pid!, url: new URL(`http://127.0.0.1:${port}/graphql`), body, headers: {} },
        child,
      });
    }

    const pages: Array<{ total: number; numbers: string[] }> = [];
    for (const { t, child } of targets) {
      const page = pageOf(await ready(t, child), t.name === 'postgraphile' ? 'districtCases' : 'cases');
      pages.push(page);
      console.error(`${t.name} ready (pid ${t.pid}): totalCount ${page.total}, ${page.numbers.length} cases, first ${page.numbers[0]}`);
    }
    if (pages.some((p) => p.total !== pages[0]!.total || p.numbers.join() !== pages[0]!.numbers.join())) {
      throw new Error('the answers differ: the servers do not read the same page');
    }

    for (const { t } of targets) if (o.warmup > 0) await load(t, 2, o.warmup, postmaster); // JIT, pools, plans
    const runs: Run[] = [];
    for (const clients of o.clients) {
      for (let r = 0; r < o.rounds; r++) {
        for (const { t } of targets) {
          const run = await load(t, clients, o.seconds, postmaster);
          runs.push(run);
          console.log(JSON.stringify(run));
        }
      }
    }

    const summary = o.clients.map((clients) => {
      const of = (name: string) => runs.filter((r) => r.clients === clients && r.target === name);
      const anxin = of('anxin');
      const peer = of('postgraphile');
      const ratios = anxin.map((a, i) => (peer[i] ? round(a.p95 / peer[i].p95) : NaN));
      return {
        clients,
        anxinP95: anxin.map((r) => r.p95),
        peerP95: peer.map((r) => r.p95),
        p95Ratio: ratios,
        anxinThroughput: anxin.map((r) => r.throughput),
        peerThroughput: peer.map((r) => r.throughput),
        anxinCpuMs: anxin.map((r) => r.serverCpuMsPerRequest),
        peerCpuMs: peer.map((r) => r.serverCpuMsPerRequest),
        anxinPostgresCpuMs: anxin.map((r) => r.postgresCpuMsPerRequest),
        peerPostgresCpuMs: peer.map((r) => r.postgresCpuMsPerRequest),
        ...(o.baseline
          ? {
              baselineP95: of('anxin-baseline').map((r) => r.p95),
              baselineThroughput: of('anxin-baseline').map((r) => r.throughput),
              baselineCpuMs: of('anxin-baseline').map((r) => r.serverCpuMsPerRequest),
              baselinePostgresCpuMs: of('anxin-baseline').map((r) => r.postgresCpuMsPerRequest),
            }
          : {}),
      };
    });
    console.log(JSON.stringify({ cases: Number(cases), district: o.district, statuses: o.statuses, seconds: o.seconds, summary }));
    for (const s of summary) {
      console.log(
        `${s.clients} client(s): p95 Anxin ${s.anxinP95.join(' / ')} ms vs PostGraphile ${s.peerP95.join(' / ')} ms (ratio ${s.p95Ratio.join(' / ')}); ` +
          `req/s ${s.anxinThroughput.join(' / ')} vs ${s.peerThroughput.join(' / ')}; server CPU ms/request ${s.anxinCpuMs.join(' / ')} vs ${s.peerCpuMs.join(' / ')}; ` +
          `PostgreSQL CPU ms/request ${s.anxinPostgresCpuMs.join(' / ')} vs ${s.peerPostgresCpuMs.join(' / ')}`,
      );
      if (s.baselineP95) {
        console.log(
          `  baseline (${o.baseline}): p95 ${s.baselineP95.join(' / ')} ms; req/s ${s.baselineThroughput!.join(' / ')}; ` +
            `server CPU ms/request ${s.baselineCpuMs!.join(' / ')}; PostgreSQL CPU ms/request ${s.baselinePostgresCpuMs!.join(' / ')}`,
        );
      }
    }
    await lifecycle.stopAll();
  });
}

boot();
