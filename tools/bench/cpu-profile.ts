import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Summaries of V8 CPU profiles (`node --cpu-prof`, written when the process exits) for the benches' "what bounds
 * it": the functions with the most self time. `windows` restricts a profile to a stretch of wall clock (the storm,
 * the events), given by the file's name prefix with how long before the profile's end it began and ended, since a
 * profile's own clock is not the wall clock.
 */
export function summariseProfiles(dir: string, windows: Record<string, { fromEndMs: number; toEndMs: number }> = {}, top = 25): void {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
      startTime: number;
      endTime: number;
      samples: number[];
      timeDeltas: number[];
    };
    const window = Object.entries(windows).find(([prefix]) => file.startsWith(prefix))?.[1];
    const from = window ? profile.endTime - window.fromEndMs * 1000 : -Infinity;
    const to = window ? profile.endTime - window.toEndMs * 1000 : Infinity;
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    let t = profile.startTime;
    profile.samples.forEach((id, i) => {
      const dt = profile.timeDeltas[i] ?? 0;
      t += dt;
      if (t < from || t > to) return;
      const n = byNode.get(id)!;
      total += dt;
      const where = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
      const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + dt);
    });
    const idle = [...self.entries()].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
    console.log(
      `\n${file}${window ? ' (the measured stretch only)' : ''}: ${(total / 1e6).toFixed(1)} s profiled, ` +
        `${((total - idle) / 1e6).toFixed(1)} s busy; top self time:`,
    );
    for (const [k, v] of [...self.entries()]
      .filter(([k2]) => !k2.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top))
      console.log(`  ${((v / (total - idle)) * 100).toFixed(1).padStart(5)} %  ${k}`);
  }
}
