import type { Logger } from '../logger';
import { processInfo, stopProcess } from './process-table';

export type OrphanOutcome = 'none' | 'stopped' | 'not-ours';

/**
 * Stops a server that a crashed run left behind on this data folder, found through its pid file. Only a
 * process whose command line shows it is that server on this folder is signalled (`isOurs`); a pid that the
 * system has since given to another program answers 'not-ours' and is left alone.
 *
 * Call it only after claimDataDir: the folder's previous owner is then known to be gone, so whatever still runs
 * on the folder is an orphan, not another live instance's server.
 */
export async function stopOrphanedServer(opts: {
  name: string;
  pid: number | undefined;
  isOurs: (argv: string[]) => boolean;
  /** In order, each given `graceMs` to work: the clean shutdown first, harder ones after. */
  signals: NodeJS.Signals[];
  graceMs: number;
  log: Logger;
}): Promise<OrphanOutcome> {
  if (opts.pid === undefined) return 'none';
  const info = processInfo(opts.pid);
  if (!info || info.zombie) return 'none';
  if (!opts.isOurs(info.argv)) {
    opts.log.info(
      { pid: opts.pid, command: info.argv.join(' ') },
      `the ${opts.name} pid file names a process that is not our ${opts.name}; leaving it alone`,
    );
    return 'not-ours';
  }
  opts.log.warn(
    { pid: opts.pid },
    `stopping the ${opts.name} that a previous run left running on this data folder (it did not shut down: killed or crashed)`,
  );
  const by = await stopProcess(opts.pid, opts.signals, opts.graceMs);
  opts.log.info({ pid: opts.pid, signal: by }, `stopped the orphaned ${opts.name}`);
  return 'stopped';
}
