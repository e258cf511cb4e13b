import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../setup/chromium';

/**
 * `npm run bench:dashboard [-- --url http://127.0.0.1:4000 --token <token> --runs 10]`: with `npm start` running
 * (the demo city), how long the dashboard's first view takes in Debian's headless Chromium: from navigation to
 * the case board's first row on screen, cold (a fresh browser profile: nothing cached) and warm (the same
 * browser again, assets cached). Without --token it signs in as the first demo persona of GET /dev/personas
 * (development only). Also prints the bundle's sizes (gzip) from dist/web.
 */
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function bundleSizes(): { file: string; bytes: number; gzip: number }[] {
  const dir = path.resolve(__dirname, '..', '..', 'web', 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((f) => {
      const body = readFileSync(path.join(dir, f));
      return { file: f, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
}

async function main(): Promise<void> {
  const base = arg('url', 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const runs = Number(arg('runs', '10'));
  let token = arg('token', '');
  if (!token) {
    const res = await fetch(`${base}/dev/personas`);
    if (!res.ok)
      throw new Error(`no --token and ${base}/dev/personas answered ${res.status}: start npm start (development) or pass --token`);
    const personas = (await res.json()) as Array<{ role: string; agencyName: string; token: string }>;
    const director = personas.find((p) => p.role === 'DIRECTOR') ?? personas[0];
    if (!director) throw new Error('no demo personas');
    console.log(`signed in as ${director.agencyName} ${director.role}`);
    token = director.token;
  }

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  // Where the time goes, from the page's own timings: the app's script run (DOMContentLoaded, module scripts
  // included) and the first GraphQL request (the board's query) from its start to its response's end.
  const parts = { scriptMs: [] as number[], queryMs: [] as number[] };
  const measure = async (context: Awaited<ReturnType<typeof browser.newContext>>): Promise<number> => {
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${base}/`, { waitUntil: 'commit' });
    await page.locator('[data-testid^="case-row-"]').first().waitFor({ timeout: 30_000 });
    const ms = Date.now() - started;
    const timing = await page.evaluate(
      `(() => { const n = performance.getEntriesByType('navigation')[0]; const q = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/graphql'));
        return { script: n ? n.domContentLoadedEventEnd : 0, query: q ? q.responseEnd - q.startTime : 0 }; })()`,
    );
    const t = timing as { script: number; query: number };
    parts.scriptMs.push(Math.round(t.script));
    parts.queryMs.push(Math.round(t.query));
    await page.close();
    return ms;
  };
  const cold: number[] = [];
  const warm: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript({ content: `localStorage.setItem('anxin.token', ${JSON.stringify(token)});` });
      cold.push(await measure(context));
      warm.push(await measure(context));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`of which (median of all runs): script loaded and run ${median(parts.scriptMs)} ms, board query ${median(parts.queryMs)} ms`);
  const report = (name: string, xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    console.log(`${name}: p50 ${percentile(s, 50)} ms, p95 ${percentile(s, 95)} ms, max ${s[s.length - 1]} ms (${s.length} runs)`);
    return { p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] };
  };
  const result = { cold: report('first view, cold (fresh profile)', cold), warm: report('first view, warm (cached assets)', warm) };
  const sizes = bundleSizes();
  for (const s of sizes) console.log(`  ${s.file}: ${(s.bytes / 1024).toFixed(0)} KiB, gzip ${(s.gzip / 1024).toFixed(0)} KiB`);
  console.log(JSON.stringify({ ...result, bundle: sizes }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
