import { execFile } from 'node:child_process';

export interface CommandResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; never throws, so callers can fall through to the next source. */
export function runCommand(file: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: opts.cwd, timeout: opts.timeoutMs ?? 300_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr || (err ? err.message : '')) });
    });
  });
}

/** The first of `candidates` that runs at all (`--version` exits 0), or undefined. */
export async function firstRunnable(candidates: Array<[string, string[]]>): Promise<[string, string[]] | undefined> {
  for (const [file, prefix] of candidates) {
    if ((await runCommand(file, [...prefix, '--version'], { timeoutMs: 30_000 })).ok) return [file, prefix];
  }
  return undefined;
}
