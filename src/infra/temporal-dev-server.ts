import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Logger } from '../logger';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';
import { locateTemporalCli, type Located } from './temporal-cli';
import { claimDataDir } from './data-dir-owner';
import { stopOrphanedServer } from './orphaned-server';
import { childrenOf, processInfo } from './process-table';

export interface TemporalDevServerHandle {
  address: string;
  uiUrl: string;
  cli: Located | undefined;
  stop(): Promise<void>;
}

/** Where the dev server's pid is kept, like PostgreSQL's postmaster.pid: the next start finds an orphan by it. */
const PID_FILE = 'temporal-dev-server.pid';

/**
 * The Temporal CLI's development server (`temporal server start-dev`): a real Temporal server with its Web UI,
 * keeping its state in a SQLite file under the data folder so workflows survive a restart. We launch the CLI
 * ourselves (in its own process group, see below); only when none is found locally does the SDK's launcher download
 * and start one.
 */
export async function startTemporalDevServer(opts: {
  dataDir: string;
  toolsDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  cliPath?: string;
  log: Logger;
}): Promise<TemporalDevServerHandle> {
  const dbFilename = path.resolve(opts.dataDir, 'temporal.sqlite');
  const pidFile = path.join(opts.dataDir, PID_FILE);
  claimDataDir(opts.dataDir, opts.log);
  await stopOrphanedDevServer(pidFile, dbFilename, opts.log);

  const cli = await locateTemporalCli({ toolsDir: opts.toolsDir, envPath: opts.cliPath, log: (m) => opts.log.info(m) });
  if (!cli) return startThroughSdk(opts, dbFilename, pidFile);

  const child = spawn(cli.path, devServerArgs({ ...opts, dbFilename }), {
    // A process group of its own: Ctrl-C in a terminal signals the foreground group, and the server must outlive it
    // until this process has drained what still talks to it (the worker's last activities, the relay's batch), then
    // be stopped last, by us. In the group it died first and the drain hung on a dead server.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // If this process exits without stopping it (a crash), do not leave it running; a SIGKILL is handled by the next
  // start through the pid file.
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);
  const relayed = relayServerOutput(child, opts.log);
  writeFileSync(pidFile, `${child.pid}\n`);

  const address = `127.0.0.1:${opts.port}`;
  try {
    await Promise.race([
      waitUntilServing(address, opts.namespace),
      exited.then((code) => {
        throw new Error(
          `the Temporal dev server exited (code ${code}) before it was ready on ${address}:\n${relayed.tail.join('').slice(-2000)}`,
        );
      }),
    ]);
  } catch (err) {
    process.removeListener('exit', onExit);
    child.kill('SIGKILL');
    rmSync(pidFile, { force: true });
    throw err;
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    cli,
    async stop() {
      process.removeListener('exit', onExit);
      relayed.stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM'); // closes its SQLite store and exits
        const killLater = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killLater);
      }
      rmSync(pidFile, { force: true });
    },
  };
}

/** The command line the SDK's own launcher gives `temporal server start-dev`, plus our SQLite pragma. */
function devServerArgs(opts: { port: number; uiPort: number; namespace: string; dbFilename: string }): string[] {
  return [
    'server',
    'start-dev',
    ...['--ip', '127.0.0.1', '--port', String(opts.port), '--ui-port', String(opts.uiPort)],
    ...['--namespace', opts.namespace, '--db-filename', opts.dbFilename],
    ...['--log-format', 'json', '--log-level', 'warn'],
    // No call home for a version check (an intranet has no internet).
    ...['--dynamic-config-value', 'frontend.enableServerVersionCheck=false'],
    ...['--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true'],
    ...['--dynamic-config-value', 'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true'],
    // SQLite's write-ahead log, still synced at every commit: one client's workflow starts went from about 47/s
    // to 90/s on a 2-CPU machine (a rollback journal writes and deletes a file per transaction).
    ...['--sqlite-pragma', 'journal_mode=wal'],
    // The setup step of Anxin's search attributes (AnxinCaseNumber …), on every start (registering one the namespace
    // already has is a no-op).
    ...SEARCH_ATTRIBUTE_KEYS.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
  ];
}

/**
 * The server's own log lines (JSON, warn and up) into ours: errors as warnings, the rest at debug; once it is being
 * stopped, all at debug (its shutdown reports the tasks it drops as errors). Keeps the tail for a failed start.
 */
function relayServerOutput(child: ChildProcess, log: Logger): { tail: string[]; stopping: boolean } {
  const output: string[] = [];
  const relayed = { tail: output, stopping: false };
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output.push(text);
    if (output.length > 50) output.shift();
    for (const line of text.split('\n').filter(Boolean)) {
      if (!relayed.stopping && /"level":"(ERROR|error)"/.test(line))
        log.warn({ temporalServer: line }, 'Temporal dev server reported an error');
      else log.debug({ temporalServer: line }, 'Temporal dev server');
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return relayed;
}

/** Polls the frontend until it answers for the namespace (`DescribeNamespace`; 60 s at most). */
async function waitUntilServing(address: string, namespace: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last: unknown;
  while (Date.now() < deadline) {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 }).catch((err: unknown) => {
      last = err;
      return undefined;
    });
    if (connection) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch (err) {
        last = err;
      } finally {
        await connection.close();
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the Temporal dev server did not become ready on ${address} in 60 s: ${String(last)}`);
}

/**
 * Without a local CLI the SDK downloads one and launches it itself (needs internet access). It spawns the server in
 * this process's group, so Ctrl-C reaches it at once; a SIGTERM to this process alone drains in order.
 */
async function startThroughSdk(
  opts: { dataDir: string; toolsDir: string; port: number; uiPort: number; namespace: string; log: Logger },
  dbFilename: string,
  pidFile: string,
): Promise<TemporalDevServerHandle> {
  opts.log.warn('no local Temporal CLI: letting the Temporal SDK download one (needs internet access)');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download', downloadDir: opts.toolsDir },
      ip: '127.0.0.1',
      port: opts.port,
      ui: true,
      uiPort: opts.uiPort,
      namespace: opts.namespace,
      dbFilename,
      extraArgs: ['--sqlite-pragma', 'journal_mode=wal'],
      log: { format: 'json', level: 'warn' },
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
    },
  });
  // The SDK launches the server as a direct child of this process and does not tell its pid: find it.
  const pid = childrenOf(process.pid).find((p) => isDevServerOn(processInfo(p)?.argv ?? [], dbFilename));
  if (pid === undefined) opts.log.warn('could not find the Temporal dev server process: a crash of this process would leave it running');
  else writeFileSync(pidFile, `${pid}\n`);
  return {
    address: env.address,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    cli: undefined,
    async stop() {
      await env.teardown();
      rmSync(pidFile, { force: true });
    },
  };
}

/** `temporal server start-dev … --db-filename <this data folder's file>`: our dev server, and no other. */
function isDevServerOn(argv: string[], dbFilename: string): boolean {
  return argv.includes('start-dev') && argv.some((a, i) => argv[i - 1] === '--db-filename' && path.resolve(a) === dbFilename);
}

async function stopOrphanedDevServer(pidFile: string, dbFilename: string, log: Logger): Promise<void> {
  let pid: number | undefined;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return; // none recorded: the last run stopped cleanly, or never started one
  }
  // SIGTERM lets it close its SQLite database; SIGKILL only if it does not within the grace period.
  await stopOrphanedServer({
    name: 'Temporal dev server',
    pid,
    isOurs: (argv) => isDevServerOn(argv, dbFilename),
    signals: ['SIGTERM', 'SIGKILL'],
    graceMs: 10_000,
    log,
  });
  rmSync(pidFile, { force: true });
}
