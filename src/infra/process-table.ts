import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * What the operating system says about one process, enough to tell whether a pid recorded in a pid file is
 * still the program that wrote it: its arguments, its parent, and its start time (a recycled pid has a new one).
 * Read from /proc on Linux; elsewhere from `ps`, which gives the arguments joined by spaces and no start time.
 */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  argv: string[];
  /** Clock ticks since boot (Linux only): with the pid, it names one process for the life of the machine. */
  startTime: string | undefined;
  /** Exited but not yet reaped by its parent: it holds no ports or files any more. */
  zombie: boolean;
}

const hasProc = process.platform === 'linux';

export function processInfo(pid: number): ProcessInfo | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (hasProc) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (comm) state ppid … starttime …": comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv.at(-1) === '') argv.pop(); // each argument ends with a NUL
      return { pid, ppid: Number(fields[1]), argv, startTime: fields[19], zombie: fields[0] === 'Z' };
    } catch {
      return undefined; // gone (or never was)
    }
  }
  try {
    const row = execFileSync('ps', ['-o', 'ppid=,stat=,args=', '-p', String(pid)], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const match = /^(\d+)\s+(\S+)\s+(.*)$/.exec(row);
    if (!match) return undefined;
    return { pid, ppid: Number(match[1]), argv: match[3]!.split(' '), startTime: undefined, zombie: match[2]!.startsWith('Z') };
  } catch {
    return undefined;
  }
}

/** The pids whose parent is `ppid`, now. */
export function childrenOf(ppid: number): number[] {
  if (hasProc) {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((pid) => processInfo(pid)?.ppid === ppid);
  }
  return execFileSync('ps', ['-e', '-o', 'pid=,ppid='])
    .toString()
    .trim()
    .split('\n')
    .map((row) => row.trim().split(/\s+/).map(Number) as [number, number])
    .filter(([, parent]) => parent === ppid)
    .map(([pid]) => pid);
}

/** Still running (a zombie is not: it has exited and holds nothing). */
export function isRunning(pid: number): boolean {
  const info = processInfo(pid);
  return info !== undefined && !info.zombie;
}

/**
 * Signals `pid`, then waits for it to exit; if it is still there after `graceMs`, sends the next signal of
 * `signals` (e.g. SIGINT, then SIGQUIT, then SIGKILL). Resolves with the signal that ended it.
 */
export async function stopProcess(pid: number, signals: NodeJS.Signals[], graceMs: number): Promise<NodeJS.Signals | undefined> {
  for (const signal of signals) {
    if (!isRunning(pid)) return undefined;
    try {
      process.kill(pid, signal);
    } catch {
      return undefined; // exited meanwhile
    }
    for (const until = Date.now() + graceMs; Date.now() < until;) {
      if (!isRunning(pid)) return signal;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if (isRunning(pid)) throw new Error(`process ${pid} is still running after ${signals.join(', ')}`);
  return signals.at(-1);
}
