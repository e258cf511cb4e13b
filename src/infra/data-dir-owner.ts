import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { isRunning, processInfo } from './process-table';

/**
 * `DATA_DIR/anxin.pid`: the process that runs the embedded servers on a data folder (`npm start`, or a tool
 * such as the seed). It decides what a server found running on the folder is: while its owner lives, it belongs
 * to that owner and is left alone (a second `npm start` on the same folder is refused); once the owner is gone
 * (kill -9, OOM, a closed laptop), it is an orphan that the next owner may stop.
 */
const FILE = 'anxin.pid';

interface OwnerRecord {
  pid: number;
  /** With the pid, names one process (Linux): a pid recycled by another program does not pass for the owner. */
  startTime?: string;
  argv: string[];
}

const claimed = new Set<string>();

/** Makes this process the owner of `dataDir`, or throws if a live one already is. Safe to call more than once. */
export function claimDataDir(dataDir: string, log: Logger): void {
  const dir = path.resolve(dataDir);
  if (claimed.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, FILE);
  const previous = readOwner(file);
  if (previous && previous.pid !== process.pid && isSameLiveProcess(previous)) {
    throw new Error(
      `${dir} is in use by another Anxin process (pid ${previous.pid}: ${previous.argv.join(' ')}); ` +
        'stop it first, or give this one another DATA_DIR',
    );
  }
  if (previous && previous.pid !== process.pid)
    log.info({ previousOwner: previous.pid }, `taking over ${dir} from a process that is no longer running`);
  const me = processInfo(process.pid);
  const record: OwnerRecord = { pid: process.pid, startTime: me?.startTime, argv: process.argv };
  // Write-then-rename, so a reader never sees half a file.
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify(record));
  renameSync(tmp, file);
  claimed.add(dir);
  // A clean exit leaves no owner behind (a crash does, and the next owner sees it is not running).
  process.once('exit', () => {
    if (readOwner(file)?.pid === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  });
}

function readOwner(file: string): OwnerRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<OwnerRecord>;
    return typeof parsed.pid === 'number' && Array.isArray(parsed.argv) ? (parsed as OwnerRecord) : undefined;
  } catch {
    return undefined; // none, or unreadable: nobody we could check is there
  }
}

function isSameLiveProcess(owner: OwnerRecord): boolean {
  if (!isRunning(owner.pid)) return false;
  const now = processInfo(owner.pid);
  if (!now) return false;
  if (owner.startTime !== undefined && now.startTime !== undefined) return owner.startTime === now.startTime;
  return now.argv.join(' ') === owner.argv.join(' ');
}
