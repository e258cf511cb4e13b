import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { firstRunnable, runCommand } from '../../src/infra/run-command';
import type { Located } from '../../src/infra/temporal-cli';

/**
 * Temporal's official time-skipping test server is the Java artifact io.temporal:temporal-test-server
 * (main class io.temporal.testserver.TestServer, argument: the port). We fetch it and its runtime
 * dependencies from Maven Central with the machine's own Maven, run it on the machine's Java (17+) through a
 * small wrapper script, and give it an AppCDS archive so a cold JVM answers well inside the ~5 seconds the
 * SDK waits.
 */
export const TEST_SERVER_VERSION = '1.38.0';
const ARTIFACT = `io.temporal:temporal-test-server:${TEST_SERVER_VERSION}`;

const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.anxin</groupId>
  <artifactId>temporal-test-server-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;

// The class path must be the same, in the same order, when the CDS archive is made and when it is used.
const WRAPPER = `#!/bin/sh
# Temporal time-skipping test server ${TEST_SERVER_VERSION}. Usage: temporal-test-server <port> [args...]
# Written by tools/setup/temporal-test-server.ts; ANXIN_CDS_DUMP=1 records the class-data-sharing archive.
DIR="$(cd "$(dirname "$0")" && pwd)"
CP="$(LC_ALL=C ls -1 "$DIR"/lib/*.jar | tr '\\n' ':')"
CP="\${CP%:}"
JSA="$DIR/test-server.jsa"
set -- -cp "$CP" io.temporal.testserver.TestServer "$@"
if [ "\${ANXIN_CDS_DUMP:-}" = 1 ]; then
  set -- "-XX:ArchiveClassesAtExit=$JSA" "$@"
elif [ -f "$JSA" ]; then
  set -- "-XX:SharedArchiveFile=$JSA" "$@"
fi
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -Xlog:disable -Xlog:all=error:stderr "$@"
`;

export async function locateTestServer(opts: {
  toolsDir: string;
  envPath?: string;
  log?: (msg: string) => void;
}): Promise<Located | undefined> {
  const log = opts.log ?? (() => undefined);
  if (opts.envPath) {
    if (!existsSync(opts.envPath)) throw new Error(`TEMPORAL_TEST_SERVER_PATH=${opts.envPath} does not exist`);
    return { path: opts.envPath, version: 'given', source: 'env' };
  }
  const onPath = findOnPath('temporal-test-server');
  if (onPath) return { path: onPath, version: 'unknown', source: 'PATH' };

  const dir = path.join(opts.toolsDir, `temporal-test-server-${TEST_SERVER_VERSION}`);
  const wrapper = path.join(dir, 'temporal-test-server');
  if (existsSync(path.join(dir, 'READY'))) return { path: wrapper, version: TEST_SERVER_VERSION, source: 'tools-folder' };

  try {
    await fetchFromMavenCentral(dir, log);
    return { path: wrapper, version: TEST_SERVER_VERSION, source: 'Maven Central' };
  } catch (err) {
    log(`could not set up the Temporal test server from Maven Central: ${(err as Error).message}`);
    return undefined;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function fetchFromMavenCentral(dir: string, log: (msg: string) => void): Promise<void> {
  if (!(await firstRunnable([['java', []]]))) throw new Error('no java on this machine (Java 17+ runs the test server)');
  const mvn = await firstRunnable([['mvn', []]]);
  if (!mvn) throw new Error('no mvn on this machine');
  log(`fetching ${ARTIFACT} and its dependencies from Maven Central …`);
  const staging = `${dir}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await writeFile(path.join(staging, 'pom.xml'), POM);
  // -C: fail on a checksum mismatch instead of warning.
  const r = await runCommand('mvn', ['-B', '-q', '-C', 'dependency:copy-dependencies', '-DincludeScope=runtime', '-DoutputDirectory=lib'], {
    cwd: staging,
    timeoutMs: 600_000,
  });
  if (!r.ok) throw new Error(`mvn failed: ${(r.stdout + r.stderr).split('\n').slice(-5).join(' ')}`);
  await writeFile(path.join(staging, 'temporal-test-server'), WRAPPER);
  await chmod(path.join(staging, 'temporal-test-server'), 0o755);
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  // The archive records the jars' paths and timestamps: make it in the final folder, after the rename.
  log('recording the test server’s class-data-sharing archive (faster JVM start) …');
  await recordCdsArchive(path.join(dir, 'temporal-test-server'));
  await writeFile(path.join(dir, 'READY'), `${ARTIFACT}\n`);
}

/** Starts the server once with -XX:ArchiveClassesAtExit, waits until it listens, and stops it normally. */
async function recordCdsArchive(wrapper: string): Promise<void> {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn(wrapper, [String(port)], { env: { ...process.env, ANXIN_CDS_DUMP: '1' }, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !(await listening(port))) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGTERM'); // a normal JVM exit writes the archive
  await exited;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
