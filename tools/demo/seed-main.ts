import 'reflect-metadata';
import { enqueueLifecycleForOpenCases } from '../../src/cases/case-workflow';
import { loadConfigOrExit } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { toolDatabaseUrl } from '../../src/infra/tool-database';
import { Lifecycle, runMain } from '../../src/lifecycle';
import { createLogger } from '../../src/logger';
import { seedBulkCases } from './bulk-seed';
import { loadDemoCity } from './demo-city';

/**
 * `npm run seed -- --cases 1000000`: the demo city (if the database is empty) plus N bulk cases, then
 * VACUUM (ANALYZE) so the planner knows the new sizes and counts can use index-only scans. Uses DATABASE_URL, or starts the embedded PostgreSQL on its
 * data directory the way `npm start` does (so stop `npm start` first, or point DATABASE_URL at it).
 */
const USAGE =
  'usage: seed-main [--cases N] [--chunk N] [--parallel N] [--persons N] [--days N]\n  defaults: 1000000 cases over 730 days, chunks of 50000, one chunk at a time per core (at most 4)';

interface Args {
  cases: number;
  chunk?: number;
  parallel?: number;
  persons?: number;
  days?: number;
}

function parseArgs(argv: string[]): Args {
  const out: Args = { cases: 1_000_000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const key = (
      { '--cases': 'cases', '--chunk': 'chunk', '--parallel': 'parallel', '--persons': 'persons', '--days': 'days' } as Record<
        string,
        keyof Args
      >
    )[flag];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const raw = inline ?? argv[++i];
    const value = Number(raw?.replace(/_/g, ''));
    if (!key || !Number.isInteger(value) || value < (key === 'cases' ? 0 : 1)) {
      console.error(`bad argument ${argv[i]}\n${USAGE}`);
      process.exit(2);
    }
    out[key] = value;
  }
  return out;
}

function boot(): void {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfigOrExit('tool');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);

  runMain(log, lifecycle, async () => {
    const started = Date.now();
    const url = await toolDatabaseUrl(config, log, lifecycle);
    const orm = await openDatabase({ url, log });
    lifecycle.onStop('database pool', () => orm.close());

    const timings: Record<string, number> = {};
    let t = Date.now();
    const demo = await loadDemoCity(orm.em.fork(), log);
    if (demo.loaded) {
      // As `npm start` does for a demo city it loads: the open demo cases get their lifecycle workflows (through
      // the outbox; the next `npm start` delivers them). Bulk cases get none: tens of thousands of timers would
      // swamp a development Temporal server, and dashboards find overdue cases in SQL anyway.
      const workflows = await orm.em.fork().transactional((em) => enqueueLifecycleForOpenCases(em));
      log.info({ workflows }, 'queued lifecycle workflows for the open demo cases');
    }
    timings.demoCityMs = Date.now() - t;

    t = Date.now();
    const bulk = await seedBulkCases(orm.em.fork(), {
      cases: args.cases,
      chunk: args.chunk,
      parallel: args.parallel,
      persons: args.persons,
      days: args.days,
      log,
    });
    timings.bulkMs = Date.now() - t;

    // The bulk seed writes with triggers off: the case tally is counted afresh (see the case_tally migration).
    await orm.em.getConnection().execute('select rebuild_case_tally()');
    // And the statistics rollup (see the case_statistics migration), for the same reason.
    await orm.em.getConnection().execute('select rebuild_case_statistics()');

    // VACUUM as well as ANALYZE: it sets the visibility map, so list counts are index-only scans from the start
    // (as on a database autovacuum has caught up with) instead of a heap visit per row.
    t = Date.now();
    await orm.em.getConnection().execute('vacuum (analyze)');
    timings.vacuumAnalyzeMs = Date.now() - t;

    const [totals] = await orm.em
      .getConnection()
      .execute<Array<{ cases: string; events: string; persons: string }>>(
        `select (select count(*) from wage_case) as cases, (select count(*) from case_event) as events, (select count(*) from person) as persons`,
      );
    timings.totalMs = Date.now() - started;
    const summary = {
      demoCityLoaded: demo.loaded,
      casesAdded: bulk.cases,
      eventsAdded: bulk.events,
      casesPerSecond: bulk.ms > 0 ? Math.round((bulk.cases * 1000) / bulk.ms) : null,
      totals,
      ...timings,
    };
    log.info(summary, 'seed finished');
    console.log(JSON.stringify(summary));
    await lifecycle.stopAll();
  });
}

boot();
