import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Logger } from '../logger';
import { locateTemporalCli, type Located } from '../setup/temporal-cli';

export interface TemporalDevServerHandle {
  address: string;
  uiUrl: string;
  cli: Located | undefined;
  stop(): Promise<void>;
}

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
      dbFilename: path.join(opts.dataDir, 'temporal.sqlite'),
      // SQLite's write-ahead log, still synced at every commit: one client's workflow starts went from about 47/s
      // to 90/s on a 2-CPU machine (a rollback journal writes and deletes a file per transaction).
      extraArgs: ['--sqlite-pragma', 'journal_mode=wal'],
      log: { format: 'json', level: 'warn' },
    },
  });
  return {
    address: env.address,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    cli,
    stop: () => env.teardown(),
  };
}
