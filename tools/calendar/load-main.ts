import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Agency, User } from '../../src/agencies/agency.entity';
import { executionContext } from '../../src/app/execution';
import { HolidayCalendarService, type LoadHolidayYearInput } from '../../src/calendar/holiday-calendar.service';
import { loadConfigOrExit } from '../../src/config';
import { noOutboxNotifier } from '../../src/core/execution-context';
import { openDatabase } from '../../src/db/database';
import { DomainError } from '../../src/domain/errors';
import { toolDatabaseUrl } from '../../src/infra/tool-database';
import { Lifecycle, runMain } from '../../src/lifecycle';
import { createLogger } from '../../src/logger';

/**
 * `npm run calendar:load -- --file 2027.json --as <user id>`: loads a year of the State Council holiday schedule
 * from its notice, through the same service and policy as the API's `loadHolidayYear` (so `--as` names the director
 * of the top-level labour inspection agency). The file holds `{ "year": 2027, "source": "国务院办公厅关于…的通知",
 * "days": [{ "date": "2027-01-01", "kind": "HOLIDAY", "name": "元旦" }, …] }`. Uses DATABASE_URL, or the embedded
 * PostgreSQL on its data directory as `npm start` does. The moved clocks are queued in the workflow outbox, which
 * the running API or worker delivers; API processes already running count on the new year once restarted.
 */
const USAGE = 'usage: npm run calendar:load -- --file <year.json> --as <user id of the top-level inspection director>';

function parseArgs(argv: string[]): { file: string; as: string } {
  const out: Partial<{ file: string; as: string }> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const key = ({ '--file': 'file', '--as': 'as' } as Record<string, 'file' | 'as'>)[flag];
    const value = inline ?? argv[++i];
    if (!key || !value) {
      console.error(`bad argument ${argv[i] ?? flag}\n${USAGE}`);
      process.exit(2);
    }
    out[key] = value;
  }
  if (!out.file || !out.as) {
    console.error(USAGE);
    process.exit(2);
  }
  return { file: out.file, as: out.as };
}

function readYear(file: string): LoadHolidayYearInput {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<LoadHolidayYearInput>;
  if (typeof raw.year !== 'number' || typeof raw.source !== 'string' || !Array.isArray(raw.days)) {
    console.error(`${file}: expected { "year": number, "source": string, "days": [{ "date", "kind", "name" }] }`);
    process.exit(2);
  }
  return {
    year: raw.year,
    source: raw.source,
    days: raw.days.map((d) => ({ date: String(d.date), kind: String(d.kind), name: String(d.name) })),
  };
}

function boot(): void {
  const args = parseArgs(process.argv.slice(2));
  const input = readYear(args.file);
  const config = loadConfigOrExit('tool');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const orm = await openDatabase({ url: await toolDatabaseUrl(config, log, lifecycle), log });
    lifecycle.onStop('database pool', () => orm.close());
    const em = orm.em.fork();
    const user = /^[0-9a-f-]{36}$/i.test(args.as) ? await em.findOne(User, { id: args.as }) : null;
    if (!user) {
      console.error(`no user ${args.as}`);
      process.exit(2);
    }
    const agency = await em.findOneOrFail(Agency, { id: user.agency });
    const ctx = executionContext({
      em,
      log,
      operation: 'calendar:load',
      actor: { userId: user.id, agencyId: agency.id, agencyKind: agency.kind, roles: user.roles },
    });
    try {
      const loaded = await new HolidayCalendarService(noOutboxNotifier).loadYear(ctx, input);
      console.log(JSON.stringify(loaded));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      console.error(`${err.code}: ${err.message}`);
      process.exitCode = 1;
    }
    await lifecycle.stopAll();
  });
}

boot();
