import 'reflect-metadata';
import { executionContext } from '../../src/app/execution';
import { loadConfigOrExit } from '../../src/config';
import { openDatabase, type Orm } from '../../src/db/database';
import { toolDatabaseUrl } from '../../src/infra/tool-database';
import { Lifecycle, runMain } from '../../src/lifecycle';
import { createLogger } from '../../src/logger';
import type { StatisticsQuery } from '../../src/statistics/statistics.model';
import { StatisticsService } from '../../src/statistics/statistics.service';

/**
 * `npm run bench:statistics [-- ITERATIONS]`: the city-wide daily report's statistics queries, as the city's director
 * of labour inspection, on the seeded database under DATA_DIR (fill it with `npm run seed -- --cases 1000000`) or
 * DATABASE_URL. Opening the database applies the migrations (the statistics rollup is counted then, once). Each
 * request is one `statistics` answer (figures and groups, open cases by age, overdue steps, callbacks) with its
 * groups' regions and agencies loaded as the resolvers load them; the report's queries run in turn, after a
 * warm-up, and p50/p95/p99 are over all of them.
 */
const ITERATIONS = Number(process.argv[2] ?? 30);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const round = (ms: number) => Math.round(ms * 100) / 100;

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The daily report's questions, on the day after the last receipt in the data ("today" of the report). */
function reportQueries(today: string): Array<[string, StatisticsQuery]> {
  const yesterday = addDays(today, -1);
  const month = `${yesterday.slice(0, 7)}-01`;
  const year = `${yesterday.slice(0, 4)}-01-01`;
  return [
    ['yesterday by district', { filter: { from: yesterday, to: yesterday }, groupBy: ['DISTRICT'] }],
    ['yesterday by street', { filter: { from: yesterday, to: yesterday }, groupBy: ['STREET'] }],
    ['this month by district', { filter: { from: month, to: yesterday }, groupBy: ['DISTRICT'] }],
    ['this month by channel', { filter: { from: month, to: yesterday }, groupBy: ['CHANNEL'] }],
    ['this year by month', { filter: { from: year, to: yesterday }, groupBy: ['MONTH'] }],
    ['last 30 days by day', { filter: { from: addDays(yesterday, -29), to: yesterday }, groupBy: ['DAY'] }],
    ['all time by district', { groupBy: ['DISTRICT'] }],
    ['all time by street', { groupBy: ['STREET'] }],
    ['all time by status', { groupBy: ['STATUS'] }],
    ['all time by owning agency and sector', { groupBy: ['OWNING_AGENCY', 'SECTOR'] }],
    ['last 12 weeks by week', { filter: { from: addDays(yesterday, -83), to: yesterday }, groupBy: ['WEEK'] }],
  ];
}

function boot(): void {
  const config = loadConfigOrExit('tool');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const url = await toolDatabaseUrl(config, log, lifecycle);
    const t0 = Date.now();
    const orm: Orm = await openDatabase({ url, log });
    const openMs = Date.now() - t0;
    lifecycle.onStop('database pool', () => orm.close());
    const conn = orm.em.getConnection();
    // As after `npm run seed` (or once autovacuum has caught up): the rollup counted at this opening is analysed and
    // its visibility map set, so the planner knows its size and reads ranges from its index alone.
    await conn.execute('vacuum (analyze) case_statistics');
    const [info] = await conn.execute<Array<{ cases: string; last: string | null; rollup: string }>>(
      `select (select count(*) from wage_case) as cases, (select max(received_at at time zone 'Asia/Shanghai')::date::text from wage_case) as last,
              (select count(*) from case_statistics) as rollup`,
    );
    if (!info?.last || Number(info.cases) < 1) throw new Error('no cases: run `npm run seed -- --cases 1000000` first');
    const [director] = await conn.execute<Array<{ user_id: string; agency_id: string; roles: string[] }>>(
      `select u.id as user_id, a.id as agency_id, u.roles from agency a join app_user u on u.agency_id = a.id
        where a.kind = 'HRSS_INSPECTION' and a.parent_id is null order by 'DIRECTOR' = any(u.roles) desc, u.id limit 1`,
    );
    if (!director) throw new Error('no city inspection agency with a user');
    const actor = { userId: director.user_id, agencyId: director.agency_id, agencyKind: 'HRSS_INSPECTION' as const, roles: director.roles };
    const service = new StatisticsService();
    const queries = reportQueries(addDays(info.last, 1));

    const once = async (q: StatisticsQuery): Promise<number> => {
      const ctx = executionContext({ em: orm.em.fork(), log, actor });
      const started = performance.now();
      const r = await service.figures(ctx, q);
      // The nested regions and agencies, as the resolvers load them: one batched query each.
      await Promise.all([
        ...r.groups.flatMap((g) => [
          g.districtCode ? ctx.loaders.region.load(g.districtCode) : null,
          g.streetCode ? ctx.loaders.region.load(g.streetCode) : null,
          g.owningAgencyId ? ctx.loaders.agency.load(g.owningAgencyId) : null,
        ]),
        ...r.overdueSteps.map((o) => ctx.loaders.agency.load(o.agencyId)),
      ]);
      return performance.now() - started;
    };

    for (const [, q] of queries) await once(q); // warm-up
    const all: number[] = [];
    const each = new Map<string, number[]>(queries.map(([name]) => [name, []]));
    for (let i = 0; i < ITERATIONS; i++) {
      for (const [name, q] of queries) {
        const ms = await once(q);
        all.push(ms);
        each.get(name)!.push(ms);
      }
    }
    all.sort((a, b) => a - b);
    const result = {
      cases: Number(info.cases),
      rollupRows: Number(info.rollup),
      openDatabaseMs: openMs,
      requests: all.length,
      p50: round(percentile(all, 50)),
      p95: round(percentile(all, 95)),
      p99: round(percentile(all, 99)),
      perQueryP95: Object.fromEntries(
        [...each].map(([name, xs]) => [
          name,
          round(
            percentile(
              [...xs].sort((a, b) => a - b),
              95,
            ),
          ),
        ]),
      ),
    };
    console.log(JSON.stringify(result));
    console.log(
      `statistics, daily report queries as the city's director, ${result.cases} cases: p50 ${result.p50} ms / p95 ${result.p95} ms / p99 ${result.p99} ms over ${result.requests} requests`,
    );
    await lifecycle.stopAll();
  });
}

boot();
