import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres';
import { processInfo } from '../src/infra/process-table';
import { testLog } from './support/logger';
import { gql, interruptAndCheckNothingIsLeft, killLeftovers, npmStart, npmStartEnv } from './support/npm-start';
import { freePort } from './support/ports';
import { commandOf, descendants, isAlive } from './support/processes';

/**
 * Issue 12: after kill -9 of `npm start` (an OOM kill, a closed laptop) PostgreSQL and the Temporal dev server
 * survived as orphans and the next start failed on their lock file and ports. The next start must find them by
 * their pid files in DATA_DIR, stop them, and come up on the same data.
 */
describe('npm start after its process was killed', () => {
  const dirs: string[] = [];
  const bystanders: ChildProcess[] = [];
  const orphans: number[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'anxin-kill-'));
    dirs.push(dir);
    return dir;
  };
  /** A live process that is not ours, to stand at a pid a pid file names. */
  const bystander = () => {
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    bystanders.push(child);
    return child.pid!;
  };
  afterAll(async () => {
    killLeftovers(orphans);
    for (const b of bystanders) b.kill('SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('stops the PostgreSQL and Temporal dev server the killed run left behind, and becomes ready on the same data', async () => {
    const dataDir = await tempDir();
    const env = await npmStartEnv(dataDir, { DEMO_DATA: 'false' });
    const first = await npmStart(env);
    const tree = descendants(first.child.pid!);
    const postgres = tree.find((pid) => /bin\/postgres -D/.test(commandOf(pid)))!;
    const temporal = tree.find((pid) => /temporal.* server start-dev/.test(commandOf(pid)))!;
    // The Node process of `npm start` (below npm and its shell) is the one that started both servers.
    const main = processInfo(postgres)!.ppid;
    expect(processInfo(temporal)!.ppid).toBe(main);
    expect(commandOf(main)).toMatch(/node .*dist\/src\/main\.js/);
    orphans.push(main, postgres, temporal);
    const before = (await gql(first.graphqlUrl, '{ health { database temporal } }')).data;
    expect(before).toEqual({ health: { database: 'UP', temporal: 'UP' } });

    const npmExited = new Promise((resolve) => first.child.once('exit', resolve));
    process.kill(main, 'SIGKILL');
    await npmExited;
    // What the issue describes: the servers outlive the process that started them.
    expect(isAlive(postgres) && isAlive(temporal)).toBe(true);

    const second = await npmStart(env, { built: true });
    expect(await gql(second.graphqlUrl, '{ health { database temporal } }')).toEqual({
      data: { health: { database: 'UP', temporal: 'UP' } },
    });
    expect(second.lines.some((l) => l.includes('stopping the PostgreSQL that a previous run left running'))).toBe(true);
    expect(second.lines.some((l) => l.includes('stopping the Temporal dev server that a previous run left running'))).toBe(true);
    expect([postgres, temporal].filter((pid) => processInfo(pid) && !processInfo(pid)!.zombie)).toEqual([]);
    await interruptAndCheckNothingIsLeft(second);
    // A clean stop leaves no pid files behind for the next start to look at.
    expect(['anxin.pid', 'temporal-dev-server.pid', 'postgres/postmaster.pid'].filter((f) => existsSync(path.join(dataDir, f)))).toEqual(
      [],
    );
  }, 300_000);

  it('never signals a process that a pid file names when it is not our server (a recycled pid)', async () => {
    const dataDir = await tempDir();
    // A first start creates the cluster; its clean stop removes postmaster.pid, so write one naming a stranger.
    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'anxin', log: testLog });
    await pg.stop();
    const stranger = bystander();
    const lockFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    await writeFile(lockFile, `${stranger}\n${path.join(dataDir, 'postgres')}\n`);
    const again = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'anxin', log: testLog });
    try {
      expect(isAlive(stranger)).toBe(true);
      expect((await readFile(lockFile, 'utf8')).split('\n')[0]).toBe(String(again.pid));
    } finally {
      await again.stop();
    }
  });

  it('refuses a data folder whose owner is still running, and leaves its servers alone', async () => {
    const dataDir = await tempDir();
    const owner = bystander();
    // The owner record of a live process, as `npm start` writes it for itself.
    const info = processInfo(owner)!;
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'anxin.pid'), JSON.stringify({ pid: owner, startTime: info.startTime, argv: info.argv }));
    await expect(startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'anxin', log: testLog })).rejects.toThrow(
      /in use by another Anxin process \(pid \d+/,
    );
    expect(isAlive(owner)).toBe(true);
  });
});
