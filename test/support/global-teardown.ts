import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { __anxinPg?: { stop(): Promise<void>; dataDir: string } }).__anxinPg;
  if (!pg) return;
  await pg.stop();
  await rm(pg.dataDir, { recursive: true, force: true });
}
