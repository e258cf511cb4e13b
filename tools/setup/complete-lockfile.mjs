#!/usr/bin/env node
// The registry mirror this project is installed from serves only the Linux builds of platform-specific
// optional packages (e.g. @swc/core-darwin-arm64 is missing). npm 11 then writes a lockfile without those
// entries and `npm ci` rejects its own lockfile as "Missing: … from lock file" (npm/cli#9846).
// This script adds the missing entries as optional, platform-tagged placeholders, exactly as npm records
// them for foreign platforms, so `npm ci` validates and skips them on a platform where they do not apply.
// Run it after every `npm install` that changes package-lock.json: `npm run lock:complete`.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'loong64', 'riscv64', 'wasm32', 'mips64el'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  // Some packages spell the platform out (napi-windows-process-start-time, a Vite optional dependency): Windows is npm's win32.
  const os = parts.map((p) => (p === 'windows' ? 'win32' : p)).find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  const libc = parts.find((p) => p === 'gnu' || p === 'musl' || p.startsWith('gnueabi') || p.startsWith('musleabi'));
  return { os, cpu, libc: libc ? (libc.startsWith('musl') ? 'musl' : 'glibc') : undefined };
}

const file = new URL('../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${dep}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${dep}`]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os && !cpu) continue; // not a platform build: leave npm's own resolution alone
    lock.packages[`node_modules/${dep}`] = {
      version: spec.replace(/^[\^~=]/, ''),
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    };
    added.push(dep);
  }
}
const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} platform placeholders: ${added.join(', ')}` : 'lockfile complete');
