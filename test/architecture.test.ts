import { execFile } from 'node:child_process';
import path from 'node:path';

/**
 * The import rules of .dependency-cruiser.cjs (no cycle, src/api only from the API edge, a core that imports
 * no edge, pure workflows, no src → tools/test), checked by dependency-cruiser's own command line, as
 * `npm run lint:deps` runs it. (Its API is ESM-only, which ts-jest's CommonJS cannot load.)
 */
const repo = path.resolve(__dirname, '..');
const depcruise = path.join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: Array<{ name: string }>;
}

/** Cruises the given folders with the project's config (and extra arguments); the violations, one line each. */
function cruise(folders: string[], extra: string[] = []): Promise<string[]> {
  const args = [depcruise, ...folders, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...extra];
  return new Promise((resolve, reject) => {
    // A run with violations exits non-zero: the JSON on stdout is the answer either way.
    execFile(process.execPath, args, { cwd: repo, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      let result: { summary: { violations: Violation[] } };
      try {
        result = JSON.parse(stdout);
      } catch {
        reject(new Error(`dependency-cruiser gave no report: ${err?.message ?? ''} ${stderr}`));
        return;
      }
      resolve(
        result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((c) => c.name).join(' → ') : v.to}`),
      );
    });
  });
}

describe('architecture', () => {
  it('keeps every import rule in src, workflows, tools, test and migrations', async () => {
    const violations = await cruise(['src', 'workflows', 'tools', 'test', 'migrations']);
    expect(violations).toEqual([]);
  });

  it('catches a cycle closed by a type-only import (the fixture)', async () => {
    // The config leaves the fixture out of the project's cruise; an --exclude of our own brings it back in.
    const violations = await cruise(['test/fixtures/dependency-rules'], ['--exclude', '^dist/']);
    expect(violations).toEqual([
      expect.stringMatching(/^no-circular: test\/fixtures\/dependency-rules\/[ab]\.ts → .*test\/fixtures\/dependency-rules\/[ab]\.ts$/),
    ]);
  });
});
