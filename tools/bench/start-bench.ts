import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm run bench:start`: wall time of `npm start` to its ready line, cold (empty data folder: initdb, migrations,
 * demo data) and warm (the same folder again), each ended with Ctrl-C. Ports 4290/5690/7490/8490 on loopback.
 */
const repo = path.resolve(__dirname, '..', '..', '..');

function timeToReady(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: repo,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: '4290',
        EMBEDDED_PG_PORT: '5690',
        TEMPORAL_DEV_PORT: '7490',
        TEMPORAL_UI_PORT: '8490',
        LOG_FORMAT: 'json',
      },
    });
    let ms: number | undefined;
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 300_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (ms === undefined && chunk.toString().includes('Anxin ready')) {
        ms = Date.now() - started;
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      if (ms === undefined) reject(new Error('npm start never became ready'));
      else resolve(ms);
    });
  });
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-bench-start-'));
  try {
    const cold = await timeToReady(dataDir);
    const warm = await timeToReady(dataDir);
    console.log(`npm start to ready: cold ${(cold / 1000).toFixed(1)} s, warm ${(warm / 1000).toFixed(1)} s`);
    console.log(JSON.stringify({ coldMs: cold, warmMs: warm }));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

void main();
