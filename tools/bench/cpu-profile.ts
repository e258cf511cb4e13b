import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Summaries of V8 CPU profiles (`node --cpu-prof`) for the benches' "what bounds it". */

/** The functions with the most self time in each API process's CPU profile (written when it exits). */
export function summariseProfiles(dir: string): void {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
      samples: number[];
      timeDeltas: number[];
    };
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const n = byNode.get(id)!;
      const dt = profile.timeDeltas[i] ?? 0;
      total += dt;
      const where = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
      const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + dt);
    });
    const idle = [...self.entries()].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
    console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s profiled, ${((total - idle) / 1e6).toFixed(1)} s busy; top self time:`);
    for (const [k, v] of [...self.entries()]
      .filter(([k2]) => !k2.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25))
      console.log(`  ${((v / (total - idle)) * 100).toFixed(1).padStart(5)} %  ${k}`);
  }
}
