import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { commandOf, descendants, isAlive } from './support/processes';
import { freePort } from './support/ports';

const repo = path.resolve(__dirname, '..');

interface Started {
  child: ChildProcess;
  lines: string[];
  graphqlUrl: string;
  temporalUiUrl: string;
}

const startedTrees: number[] = [];

/** Runs `npm start` as a user would, and waits for its ready line. */
async function npmStart(env: Record<string, string>): Promise<Started> {
  // Its own process group, like a terminal's foreground job: Ctrl-C sends SIGINT to the whole group.
  const child = spawn('npm', ['start', '--silent'], { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  startedTrees.push(child.pid!);
  const lines: string[] = [];
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start not ready in time:\n${lines.join('\n')}`)), 150_000);
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        if (line.includes('"Anxin ready')) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as Record<string, string>);
        }
      }
    };
    child.stdout!.on('data', onLine);
    child.stderr!.on('data', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${lines.join('\n')}`));
    });
  });
  return { child, lines, graphqlUrl: ready.graphql!, temporalUiUrl: ready.temporalUi! };
}

async function gql(url: string, query: string, variables?: object, token?: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: Record<string, unknown> };
}

async function interruptAndCheckNothingIsLeft(started: Started): Promise<void> {
  const tree = descendants(started.child.pid!);
  const names = tree.map(commandOf).join('\n');
  expect(names).toMatch(/bin\/postgres/);
  expect(names).toMatch(/temporal.* server start-dev/);

  const exited = new Promise<string>((resolve) => started.child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  process.kill(-started.child.pid!, 'SIGINT'); // Ctrl-C
  // npm re-raises the signal its script ended on; our process itself exits 0 after a clean shutdown.
  expect(await exited).toBe('SIGINT');
  expect(started.lines.some((l) => l.includes('"msg":"stopped PostgreSQL"'))).toBe(true);
  expect(started.lines.some((l) => l.includes('"msg":"stopped Temporal dev server"'))).toBe(true);
  // Postgres and Temporal stop in the background of our shutdown; give the kernel a moment to reap them.
  for (let i = 0; i < 50 && tree.some(isAlive); i++) await new Promise((r) => setTimeout(r, 100));
  expect(tree.filter(isAlive).map((pid) => `${pid} ${commandOf(pid)}`)).toEqual([]);
}

describe('npm start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-start-'));
  });
  afterAll(async () => {
    // Whatever a failed assertion left running is killed, so one failure does not leak servers into the run.
    for (const root of startedTrees) for (const pid of [root, ...descendants(root)]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts everything, answers health, stops cleanly on Ctrl-C and keeps its data for the next start', async () => {
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      LOG_FORMAT: 'json',
      NODE_ENV: 'development',
    };

    const first = await npmStart(env);
    expect(first.graphqlUrl).toBe(`http://127.0.0.1:${env.PORT}/graphql`);
    expect(first.temporalUiUrl).toBe(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
    expect((await fetch(first.temporalUiUrl)).status).toBe(200);
    expect(await gql(first.graphqlUrl, '{ health { database temporal } }')).toEqual({ data: { health: { database: 'UP', temporal: 'UP' } } });
    // The demo tokens it printed (and wrote down) work: an inspector registers an employer.
    expect(first.lines.some((l) => l.startsWith('  Authorization: Bearer '))).toBe(true);
    const tokens = (await readFile(path.join(dataDir, 'demo-tokens.tsv'), 'utf8')).split('\n').map((l) => l.split('\t'));
    const inspector = tokens.find(([kind, , role]) => kind === 'HRSS_INSPECTION' && role === 'INSPECTOR')![4]!;
    const created = await gql(first.graphqlUrl, 'mutation($i: RegisterEmployerInput!) { registerEmployer(input: $i) { id } }', {
      i: { uscc: '91350100M000100Y43', name: '福建某建设集团有限公司' },
    }, inspector);
    expect(created.errors).toBeUndefined();
    // Every log line is one JSON object carrying the request id of the request it belongs to.
    const graphqlLogLines = () => first.lines.filter((l) => l.includes('"msg":"graphql"')).map((l) => JSON.parse(l) as { requestId?: string });
    // The line is written as the response goes out; the pipe may deliver it a moment after the response.
    for (let i = 0; i < 50 && graphqlLogLines().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    const graphqlLines = graphqlLogLines();
    expect(graphqlLines.length).toBeGreaterThanOrEqual(2);
    expect(graphqlLines.every((l) => typeof l.requestId === 'string')).toBe(true);
    await interruptAndCheckNothingIsLeft(first);

    const second = await npmStart(env);
    const again = await gql(second.graphqlUrl, '{ employer(uscc: "91350100M000100Y43") { id name } }', undefined, inspector); // the same token after a restart
    expect(again.data).toEqual({ employer: { id: (created.data!.registerEmployer as { id: string }).id, name: '福建某建设集团有限公司' } });
    await interruptAndCheckNothingIsLeft(second);
  });
});
