import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
 * keeping its state in a SQLite file under the data folder so workflows survive a restart.
 * The SDK's ephemeral-server launcher starts and stops the process for us.
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
  if (!cli) opts.log.warn('no local Temporal CLI: letting the Temporal SDK download one (needs internet access)');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download', downloadDir: opts.toolsDir },
      ip: '127.0.0.1',
      port: opts.port,
      ui: true,
      uiPort: opts.uiPort,
      namespace: opts.namespace,
      dbFilename,
      // SQLite's write-ahead log, still synced at every commit: one client's workflow starts went from about 47/s
      // to 90/s on a 2-CPU machine (a rollback journal writes and deletes a file per transaction).
      extraArgs: ['--sqlite-pragma', 'journal_mode=wal'],
      log: { format: 'json', level: 'warn' },
      // The setup step of Anxin's search attributes (AnxinCaseNumber …): `--search-attribute Name=Keyword` each, on
      // every start (registering one the namespace already has is a no-op).
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
    cli,
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
