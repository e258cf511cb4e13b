import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU seconds (user + system) of one process, from /proc/<pid>/stat; with `children`, also what its ended children
 * used (cutime + cstime: the kernel adds a child's CPU to its parent's when the child has ended and been waited for).
 */
export function cpuSeconds(pid: number, children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command (which may hold spaces): state is field 3; utime, stime, cutime and cstime 14–17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks / CLOCK_TICKS;
}
