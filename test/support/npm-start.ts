import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { commandOf, descendants, isAlive } from './processes';
import { freePorts } from '../../src/infra/free-port';

const repo = path.resolve(__dirname, '..', '..');

export interface Started {
  child: ChildProcess;
  lines: string[];
  graphqlUrl: string;
  temporalUiUrl: string;
  /** The web dashboard's address, from the ready line (when the build made it). */
  dashboardUrl?: string;
}

/** Every process tree a test started, so afterAll can kill what a failed assertion left running. */
export const startedTrees: number[] = [];

/**
 * The environment of an `npm start` on its own data folder and four distinct free ports (asked for together: one
 * at a time, the same port can come back twice), with JSON logs in development mode.
 */
export async function npmStartEnv(
  dataDir: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string> & { PORT: string; TEMPORAL_UI_PORT: string }> {
  const [api, pg, temporal, ui] = (await freePorts(4)).map(String) as [string, string, string, string];
  return {
    DATA_DIR: dataDir,
    PORT: api,
    EMBEDDED_PG_PORT: pg,
    TEMPORAL_DEV_PORT: temporal,
    TEMPORAL_UI_PORT: ui,
    LOG_FORMAT: 'json',
    NODE_ENV: 'development',
    ...extra,
  };
}

/**
 * Runs `npm start` as a user would, and waits for its ready line. `built: true` runs the command `npm start`
 * runs after its build step (`node dist/src/main.js`), for a start that follows one which has just built.
 */
export async function npmStart(env: Record<string, string>, opts: { built?: boolean } = {}): Promise<Started> {
  // `npm start` as the README says, less its prestart build: `npm test` built already, and a build here would rewrite
  // dist/web and dist/graphiql under the suites that serve them at the same time (--ignore-scripts skips only the
  // pre- and post-scripts of the script named).
  const [command, args] = opts.built
    ? [process.execPath, ['--enable-source-maps', 'dist/src/main.js']]
    : ['npm', ['start', '--silent', '--ignore-scripts']];
  // Its own process group, like a terminal's foreground job: Ctrl-C sends SIGINT to the whole group.
  const child = spawn(command, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
  return { child, lines, graphqlUrl: ready.graphql!, temporalUiUrl: ready.temporalUi!, dashboardUrl: ready.dashboard };
}

export async function gql(
  url: string,
  query: string,
  variables?: object,
  token?: string,
): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, unknown> };
}

/** Ctrl-C to the whole group; asserts that PostgreSQL and Temporal were stopped and no process of the tree is left. */
export async function interruptAndCheckNothingIsLeft(started: Started): Promise<void> {
  const tree = descendants(started.child.pid!);
  const names = tree.map(commandOf).join('\n');
  expect(names).toMatch(/bin\/postgres/);
  expect(names).toMatch(/temporal.* server start-dev/);

  const exited = new Promise<string>((resolve) => started.child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  // 'exit' may come before the last output is read (the logger writes its buffered lines as the process exits):
  // the lines are complete once both pipes have closed (10 s at most, so a pipe held open fails below, not here).
  const piped = (stream: NodeJS.ReadableStream | null) =>
    new Promise<void>((resolve) => {
      if (!stream) return resolve();
      stream.once('close', () => resolve());
      setTimeout(resolve, 10_000).unref();
    });
  const outputRead = Promise.all([piped(started.child.stdout), piped(started.child.stderr)]);
  process.kill(-started.child.pid!, 'SIGINT'); // Ctrl-C
  // npm re-raises the signal its script ended on; our process itself exits 0 after a clean shutdown.
  expect(await exited).toBe(started.child.spawnfile === 'npm' ? 'SIGINT' : '0');
  await outputRead;
  // Ctrl-C reaches Node alone: PostgreSQL and Temporal run in process groups of their own and are stopped last, so
  // nothing that drains meets a database that has already gone (in the terminal's group they died first).
  expect(started.lines.filter((l) => /terminating connection due to administrator command|ECONNREFUSED/.test(l))).toEqual([]);
  // Everything from the signal on, so a failure shows how the shutdown went.
  const signalled = started.lines.findIndex((l) => l.includes('SIGINT: shutting down'));
  const shutdown = signalled < 0 ? started.lines : started.lines.slice(signalled);
  expect(shutdown).toEqual(
    expect.arrayContaining([
      expect.stringContaining('"msg":"stopped PostgreSQL"'),
      expect.stringContaining('"msg":"stopped Temporal dev server"'),
    ]),
  );
  // Postgres and Temporal stop in the background of our shutdown; give the kernel a moment to reap them.
  for (let i = 0; i < 50 && tree.some(isAlive); i++) await new Promise((r) => setTimeout(r, 100));
  expect(tree.filter(isAlive).map((pid) => `${pid} ${commandOf(pid)}`)).toEqual([]);
}

/** Kills, with SIGKILL, every process still running in the trees a test started (and any `extra` pids). */
export function killLeftovers(extra: number[] = []): void {
  for (const root of startedTrees) for (const pid of [root, ...descendants(root)]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const pid of extra) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}
