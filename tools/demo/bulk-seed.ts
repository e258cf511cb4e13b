import os from 'node:os';
import type { EntityManager } from '@mikro-orm/postgresql';
import { snapshot } from '../../src/cases/case-file';
import type { Case } from '../../src/cases/case.entity';
import { CHANNELS } from '../../src/cases/case.entity';
import { acceptanceDeadline, resolutionDeadline, sameDayContactDeadline, strictestClock } from '../../src/cases/deadlines';
import { beijingDate, isWorkingDay } from '../../src/domain/working-days';
import { caseDeadlineRules, type Channel } from '../../src/rules/case-deadlines';
import type { Logger } from '../../src/logger';
import type { TeamMember } from '../../src/projects/project.entity';
import { DISTRICTS, GRIDS_PER_STREET, gridCode } from './beijing';
import { chineseName, uniqueMobile, uniqueResidentId, uniqueUscc } from './identities';
import { Random } from './random';
import { insertRows, iso, json, pgArray, sqlRunner, type Sql } from './sql';

/**
 * Bulk cases for load and latency tests: N more cases on top of the demo city, made set-based in PostgreSQL
 * (INSERT … SELECT over generate_series, one chunk per transaction), not row by row from Node.
 *
 * Each case gets a complainant row and a complete, consistent case file: one event per step its status
 * implies (RECEIVED, CONTACT_RECORDED, ACCEPTED | REJECTED | TRANSFERRED, LEAD_ASSIGNED, PAYMENT_RECORDED,
 * a callback CONTACT_RECORDED, CLOSED), `seq` 1…version, plus the matching contact and payment rows.
 * Deadlines come from a per-day table built from the working-day calendar and the channel clock rules and
 * checked against the deadline functions intake uses. Numbers continue each district's counter, reserved
 * up front so chunks can run in parallel. Randomness is a hash of the row index, so a run on the same database
 * state (within the same hour) gives the same cases whatever the chunk size or parallelism.
 *
 * Measured on 2 cores with the embedded PostgreSQL: 1,000,000 cases and 6.1M case-file entries in ~150 s.
 */

export interface BulkSeedOptions {
  cases: number;
  log: Logger;
  /** Cases per transaction (default 50,000). */
  chunk?: number;
  /** Chunks written at the same time, each in its own transaction (default: the number of cores, at most 4). */
  parallel?: number;
  /** Complainants are drawn from a pool of this many people (one per case would be unrealistic and slow). */
  persons?: number;
  /** Cases are received over this many days up to yesterday. */
  days?: number;
  seed?: number;
  now?: Date;
  /**
   * Let PostgreSQL check every foreign key of the new rows (~1.8M trigger calls per 100k cases, a third of
   * the time). By default a superuser connection skips them (session_replication_role = replica, for these
   * transactions only): every reference is taken by a join from rows that exist. Others always check.
   */
  checkForeignKeys?: boolean;
}

export interface BulkSeedResult {
  cases: number;
  events: number;
  ms: number;
}

const DAY = 86_400_000;

/** The timestamp text the app writes into case-file JSON (Date.toISOString()). */
const isoSql = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function seedBulkCases(em: EntityManager, opts: BulkSeedOptions): Promise<BulkSeedResult> {
  const started = Date.now();
  const log = opts.log.child({ component: 'bulk-seed' });
  const total = Math.max(0, Math.floor(opts.cases));
  const chunk = opts.chunk ?? 50_000; // measured on 2 cores: 50k beats 12.5k (per-chunk setup) and 100k (temp-table spill)
  const days = opts.days ?? 730;
  const seed = opts.seed ?? 20_261_124;
  // Anchored to the hour, like the demo city: the same database state gives the same cases for an hour.
  const now = opts.now ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  if (total === 0) return { cases: 0, events: 0, ms: 0 };

  const hrss = await em
    .getConnection()
    .execute<Array<{ district: string }>>(
      `select r.code as district from region r join agency a on a.region_code = r.code and a.kind = 'HRSS_INSPECTION' where r.level = 'DISTRICT'`,
    );
  if (hrss.length === 0) throw new Error('bulk seed needs the demo city (districts with an HRSS inspection agency): load it first');

  // Reference data sized to the run: a pool of people, and more employers and projects than the demo city has.
  const t0 = Date.now();
  await em.fork().transactional(async (tem) => {
    const sql = sqlRunner(tem);
    const people = opts.persons ?? Math.min(200_000, Math.max(1_000, Math.ceil(total / 5)));
    await seedPersons(sql, people, now);
    await seedEmployersAndProjects(
      sql,
      Math.min(5_000, Math.max(100, Math.ceil(total / 200))),
      Math.min(1_000, Math.max(20, Math.ceil(total / 1_000))),
      now,
    );
  });
  log.info({ ms: Date.now() - t0 }, 'bulk seed: people, employers and projects ready');

  const calendar = deadlineCalendar(new Date(now.getTime() - (days + 2) * DAY), now);
  const [{ base }] = (await em.getConnection().execute<Array<{ base: string }>>('select count(*)::bigint as base from wage_case')) as [
    { base: string },
  ];
  const run: RunParams = { runStart: Number(base), total, days, seed, now };

  const [role] = await em
    .getConnection()
    .execute<Array<{ rolsuper: boolean }>>('select rolsuper from pg_roles where rolname = current_user');
  const skipForeignKeyChecks = !opts.checkForeignKeys && role?.rolsuper === true;
  if (skipForeignKeyChecks)
    log.info('bulk seed: foreign-key triggers off inside the seed transactions (superuser); references come from existing rows');

  // Numbers for the whole run are reserved up front, chunk by chunk in time order, so chunks need no shared
  // lock and can run side by side (one PostgreSQL backend per core).
  const t1 = Date.now();
  const plan = await reserveNumbers(em.fork(), run, chunk);
  log.info({ ms: Date.now() - t1, counters: plan.pairs.length }, 'bulk seed: case numbers reserved');

  const chunks = Math.ceil(total / chunk);
  const parallel = Math.max(1, Math.min(opts.parallel ?? Math.min(4, os.cpus().length), chunks));
  let events = 0;
  let done = 0;
  let next = 0;
  let failed = false;
  const runChunk = async (k: number) => {
    const first = run.runStart + k * chunk;
    const n = Math.min(chunk, total - k * chunk);
    const t = Date.now();
    const written = await em.fork().transactional(async (tem) => {
      const sql = timed(sqlRunner(tem), log);
      // The staging tables (tens of MB a chunk) spill to disk from the default 8 MB of temp buffers. The setting
      // can only change before a session's first temp table, so it is tried, session-wide, and may be refused.
      await sql(`do $$ begin perform set_config('temp_buffers', '256MB', false); exception when others then null; end $$`);
      await sql(`set local work_mem = '128MB'`);
      await sql('set local synchronous_commit = off'); // a crash just loses a chunk of test data
      if (skipForeignKeyChecks) await sql('set local session_replication_role = replica');
      await createPools(sql, calendar);
      await stageCases(sql, run, first, n);
      await numberAndInsertCases(sql, plan.bases.get(k) ?? []);
      return insertCaseFiles(sql);
    });
    events += written;
    done += n;
    log.info({ chunk: k + 1, of: chunks, done, total, events: written, ms: Date.now() - t }, 'bulk seed: chunk written');
  };
  const worker = async () => {
    while (!failed && next < chunks) {
      try {
        await runChunk(next++);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: parallel }, worker));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) {
    // Give back the numbers the failed chunks did not use, so each counter again equals its highest number.
    await repairCounters(em.fork(), plan.pairs).catch((err: unknown) =>
      log.error({ err }, 'bulk seed: could not repair the case number counters'),
    );
    throw failure.reason;
  }
  const ms = Date.now() - started;
  log.info({ cases: total, events, parallel, ms }, 'bulk seed done');
  return { cases: total, events, ms };
}

interface NumberPlan {
  bases: Map<number, ChunkBases>;
  pairs: Array<{ district: string; year: number }>;
}

const STREET_POOL_SQL = `
    create temp table bs_street on commit drop as
      select (row_number() over (order by code) - 1)::int as k, code, left(code, 6) as district from region where level = 'STREET';`;

/**
 * Counts the run's cases per chunk, district and year (the same rows staging will make), advances each
 * counter by its total in one short transaction, and hands every chunk the number its district-years start at.
 */
async function reserveNumbers(em: EntityManager, run: RunParams, chunk: number): Promise<NumberPlan> {
  return em.transactional(async (tem) => {
    const sql = sqlRunner(tem);
    await sql(STREET_POOL_SQL);
    const counts = await sql<{ chunk: number; district: string; yr: number; n: number }>(`
      select ((g.i - ${run.runStart}) / ${chunk})::int as chunk, s.district, extract(year from a.received_at at time zone 'Asia/Shanghai')::int as yr, count(*)::int as n
      ${caseCoreSql(run, run.runStart, run.total)}
      group by 1, 2, 3 order by 1, 2, 3`);
    const key = (d: string, y: number) => `${d}-${y}`;
    const pairs = [...new Map(counts.map((c) => [key(c.district, c.yr), { district: c.district, year: c.yr }])).values()];
    const pairValues = pairs.map((p) => `('${p.district}', ${p.year})`).join(', ');
    await sql(
      `insert into case_number_counter (district_code, year, last) select d, y, 0 from (values ${pairValues}) v(d, y) on conflict do nothing`,
    );
    const current = await sql<{ district_code: string; year: number; last: number }>(
      `select district_code, year, last from case_number_counter where (district_code, year) in (${pairValues}) for update`,
    );
    const next = new Map(current.map((c) => [key(c.district_code, c.year), c.last]));
    const bases = new Map<number, ChunkBases>();
    for (const c of counts) {
      const k = key(c.district, c.yr);
      const base = next.get(k)!;
      next.set(k, base + c.n);
      if (!bases.has(c.chunk)) bases.set(c.chunk, []);
      bases.get(c.chunk)!.push({ district: c.district, year: c.yr, base });
    }
    const overflow = [...next.entries()].find(([, last]) => last > 999_999);
    if (overflow)
      throw new Error(`case numbers have 6 digits: ${overflow[0]} would reach ${overflow[1]}; seed fewer cases or over more days`);
    await sql(
      `update case_number_counter c set last = v.last from (values ${[...next.entries()].map(([k, last]) => `('${k.slice(0, 6)}', ${k.slice(7)}, ${last})`).join(', ')}) v(d, y, last)
        where c.district_code = v.d and c.year = v.y`,
    );
    return { bases, pairs };
  });
}

/** Sets each counter back to the highest number actually in use (after a failed run). */
async function repairCounters(em: EntityManager, pairs: NumberPlan['pairs']): Promise<void> {
  if (pairs.length === 0) return;
  await em.getConnection().execute(`
    update case_number_counter c
       set last = coalesce((select max(split_part(w.number, '-', 3)::int) from wage_case w where w.number like c.district_code || '-' || c.year || '-%'), 0)
     where (c.district_code, c.year) in (${pairs.map((p) => `('${p.district}', ${p.year})`).join(', ')})`);
}

/** Logs each statement's time at debug level (LOG_LEVEL=debug shows where a chunk spends it). */
function timed(sql: Sql, log: Logger): Sql {
  return async <T>(text: string, params?: Parameters<Sql>[1]) => {
    const t = Date.now();
    const rows = await sql<T>(text, params);
    log.debug({ ms: Date.now() - t, sql: text.trim().replace(/\s+/g, ' ').slice(0, 80) }, 'bulk seed: statement');
    return rows;
  };
}

// ---- reference data ---------------------------------------------------------------------------------

async function seedPersons(sql: Sql, count: number, now: Date): Promise<void> {
  // The same seed gives the same people, so a second run finds them already there (on conflict do nothing).
  const rng = new Random('anxin-bulk-persons');
  const mobiles = new Set<string>();
  const ids = new Set<string>();
  const rows: Array<Array<string | null>> = [];
  const createdAt = iso(new Date(now.getTime() - 800 * DAY));
  for (let i = 0; i < count; i++) {
    rows.push([
      rng.uuid(),
      rng.chance(0.85) ? chineseName(rng) : null,
      uniqueMobile(rng, mobiles),
      rng.chance(0.3) ? uniqueResidentId(rng, ids, now) : null,
      createdAt,
    ]);
  }
  await insertRows(sql, 'person', ['id', 'name', 'mobile', 'resident_id', 'created_at'], rows, {
    casts: { id: 'uuid', created_at: 'timestamptz' },
    batch: 2_000,
    suffix: 'on conflict do nothing',
  });
}

const TRADE_NAMES = [...'华鑫盛达宏泰恒通顺安嘉和瑞丰永兴金源天成信诚隆昌汇德新亚中联东方广厦宇航博远康泰'];
const NAME_ENDINGS: Record<string, string[]> = {
  CONSTRUCTION: ['建筑劳务有限公司', '建设工程有限公司', '装饰工程有限公司', '建筑安装工程有限公司'],
  CATERING: ['餐饮管理有限公司', '餐饮有限公司', '酒楼有限公司'],
  LOGISTICS: ['物流有限公司', '快递服务有限公司', '供应链管理有限公司'],
  RETAIL: ['商贸有限公司', '超市有限公司', '便利店有限公司'],
  MANUFACTURING: ['制造有限公司', '食品有限公司', '机械加工有限公司'],
};

async function seedEmployersAndProjects(sql: Sql, employerCount: number, projectCount: number, now: Date): Promise<void> {
  const rng = new Random('anxin-bulk-employers');
  const usccs = new Set<string>();
  const employers: Array<{ id: string; industry: string; district: string; row: Array<string | null> }> = [];
  for (let i = 0; i < employerCount; i++) {
    const d = rng.pick(DISTRICTS);
    const street = rng.pick(d.streets).code;
    const industry = rng.weighted({ CONSTRUCTION: 40, CATERING: 20, LOGISTICS: 15, RETAIL: 15, MANUFACTURING: 10 });
    const name = `北京${rng.pick(TRADE_NAMES)}${rng.pick(TRADE_NAMES)}${rng.pick(NAME_ENDINGS[industry]!)}`;
    const id = rng.uuid();
    const row = [
      id,
      uniqueUscc(rng, d.code, usccs),
      name,
      chineseName(rng),
      iso(new Date(now.getTime() - rng.int(100, 2_000) * DAY)),
      industry,
      street,
      gridCode(street, rng.int(1, GRIDS_PER_STREET)),
      rng.weighted({ A: 30, B: 55, C: 15 }),
    ];
    employers.push({ id, industry, district: d.code, row });
  }
  await insertRows(
    sql,
    'employer',
    ['id', 'uscc', 'name', 'legal_representative', 'created_at', 'industry', 'region_code', 'grid_code', 'credit_grade'],
    employers.map((e) => e.row),
    {
      casts: { id: 'uuid', created_at: 'timestamptz' },
      batch: 1_000,
      suffix: 'on conflict do nothing',
    },
  );

  // Projects only reference employers that made it in (a rerun skips both).
  const present = new Set((await sql<{ id: string }>(`select id from employer where industry = 'CONSTRUCTION'`)).map((r) => r.id));
  const builders = employers.filter((e) => e.industry === 'CONSTRUCTION' && present.has(e.id));
  if (builders.length < 3) return;
  const [regulator] = await sql<{ id: string }>(
    `select id from agency where kind = 'INDUSTRY_REGULATOR' and sector = 'CONSTRUCTION' order by name limit 1`,
  );
  const kinds = ['住宅楼', '安置房', '办公楼', '学校', '医院', '道路改造', '管网改造', '产业园'];
  const rows: Array<Array<string | number | null>> = [];
  for (let i = 0; i < projectCount; i++) {
    const d = rng.pick(DISTRICTS);
    const street = rng.pick(d.streets);
    const [gc, ...subs] = rng.sample(builders, 3) as [(typeof builders)[number], ...typeof builders];
    const workers = rng.int(40, 1_200);
    const team: TeamMember[] = [
      'STREET_OFFICER',
      'REGULATOR_SUPERVISOR',
      'LABOUR_INSPECTOR',
      'PROJECT_MANAGER',
      'LABOUR_WAGE_SPECIALIST',
    ].map((role) => ({
      role: role as TeamMember['role'],
      name: chineseName(rng),
      mobile: uniqueMobile(rng, new Set()),
    }));
    rows.push([
      rng.uuid(),
      `XM-${d.code}-B${String(i + 1).padStart(5, '0')}`,
      `${street.name.replace(/街道$/, '')}${rng.pick(kinds)}项目(${i + 1}号)`,
      street.code,
      gc.id,
      gc.id,
      pgArray(subs.map((s) => s.id)),
      regulator?.id ?? null,
      json(team),
      workers * rng.int(3_000, 15_000) * 100,
      rng.int(50, 300) * 1_000_000,
      workers,
      rng.weighted({ UNDER_CONSTRUCTION: 80, COMPLETED: 12, SUSPENDED: 5, PLANNED: 3 }),
      iso(new Date(now.getTime() - rng.int(100, 900) * DAY)),
    ]);
  }
  await insertRows(
    sql,
    'project',
    [
      'id',
      'code',
      'name',
      'region_code',
      'construction_unit_id',
      'general_contractor_id',
      'labour_subcontractors',
      'regulator_id',
      'team',
      'wage_account_balance_fen',
      'wage_deposit_fen',
      'worker_count',
      'status',
      'created_at',
    ],
    rows,
    {
      casts: {
        id: 'uuid',
        construction_unit_id: 'uuid',
        general_contractor_id: 'uuid',
        labour_subcontractors: 'uuid[]',
        regulator_id: 'uuid',
        team: 'jsonb',
        created_at: 'timestamptz',
      },
      batch: 500,
      suffix: 'on conflict do nothing',
    },
  );
}

// ---- deadlines --------------------------------------------------------------------------------------

interface CalendarDay {
  day: string;
  channel: Channel;
  /** sameDayContactDeadline for a daytime arrival on this day, and for a night arrival. */
  dayDue: Date;
  nightDue: Date;
  acceptanceDue: Date;
  resolutionDue: Date;
}

/**
 * Every deadline depends only on the Beijing day of its start (and, for same-day contact, on whether the
 * arrival is before the night threshold), so one row per day and channel lets SQL look deadlines up for a
 * million cases. The table is built from the working-day calendar and the clock rules (`isWorkingDay`,
 * `strictestClock`, `caseDeadlineRules`) in one pass, because calling `addWorkingDays` for every row takes
 * luxon ~6 ms per 60-day deadline; then it is checked against the deadline functions themselves on a sample of
 * days and every channel, and any disagreement stops the seed.
 */
function deadlineCalendar(from: Date, to: Date): CalendarDay[] {
  const rules = caseDeadlineRules;
  const startMs = Date.parse(`${beijingDate(from)}T00:00:00+08:00`);
  const dates: string[] = [];
  // Enough days after `to` for the longest clock (60 working days) to end inside the list.
  for (let t = startMs; t <= to.getTime() + 200 * DAY; t += DAY) dates.push(beijingDate(new Date(t + 12 * 3_600_000)));
  const working = dates.map((d) => isWorkingDay(d));
  const workingIdx: number[] = [];
  working.forEach((w, i) => w && workingIdx.push(i));
  // countUpTo[i] = working days among dates[0..i]; the n-th working day strictly after i is workingIdx[countUpTo[i] + n - 1].
  const countUpTo: number[] = [];
  working.reduce((n, w, i) => (countUpTo[i] = n + (w ? 1 : 0)), 0);
  const endOfDay = (i: number) => new Date(Date.parse(`${dates[i]}T23:59:59.999+08:00`));
  const nthAfter = (i: number, n: number) => (n === 0 ? i : workingIdx[countUpTo[i]! + n - 1]!);
  const [mh, mm] = rules.sameDayContact.nextWorkingMorningEndsAt.split(':') as [string, string];
  const nextMorning = (i: number) => new Date(Date.parse(`${dates[nthAfter(i, 1)]}T${mh.padStart(2, '0')}:${mm}:00+08:00`));
  const [nh, nm] = rules.sameDayContact.nightStartsAt.split(':').map(Number) as [number, number];

  const rows: CalendarDay[] = [];
  const lastDay = beijingDate(to);
  for (let i = 0; dates[i]! <= lastDay; i++) {
    for (const channel of CHANNELS) {
      const acceptance = strictestClock(rules.acceptance, rules.channels[channel]?.acceptance).workingDays;
      const resolution = strictestClock(rules.resolution, rules.channels[channel]?.resolution).workingDays;
      rows.push({
        day: dates[i]!,
        channel,
        dayDue: working[i] ? endOfDay(i) : nextMorning(i),
        nightDue: nextMorning(i),
        acceptanceDue: endOfDay(nthAfter(i, acceptance)),
        resolutionDue: endOfDay(nthAfter(i, resolution)),
      });
    }
  }

  // The check: the table must say exactly what the deadline functions say.
  const step = Math.max(1, Math.floor(rows.length / 40));
  for (let r = 0; r < rows.length; r += step) {
    const row = rows[r]!;
    const morning = new Date(Date.parse(`${row.day}T09:00:00+08:00`));
    const night = new Date(Date.parse(`${row.day}T${String(nh).padStart(2, '0')}:${String(nm).padStart(2, '0')}:00+08:00`) + 60_000);
    const expected = [
      sameDayContactDeadline(morning),
      sameDayContactDeadline(night),
      acceptanceDeadline(morning, row.channel),
      resolutionDeadline(morning, row.channel),
    ];
    const got = [row.dayDue, row.nightDue, row.acceptanceDue, row.resolutionDue];
    if (expected.some((e, k) => e.getTime() !== got[k]!.getTime())) {
      throw new Error(
        `bulk seed deadline table disagrees with src/cases/deadlines.ts on ${row.day} ${row.channel}: ${got.map((d) => d.toISOString())} vs ${expected.map((d) => d.toISOString())}`,
      );
    }
  }
  return rows;
}

// ---- per-chunk SQL ----------------------------------------------------------------------------------

async function createPools(sql: Sql, calendar: CalendarDay[]): Promise<void> {
  await sql(`
    create temp table bs_cal (day date, channel text, day_due timestamptz, night_due timestamptz, acceptance_due timestamptz, resolution_due timestamptz, primary key (day, channel)) on commit drop;
    ${STREET_POOL_SQL}
    create temp table bs_agency on commit drop as
      select r.code as district, (select a.id from agency a where a.kind = 'HRSS_INSPECTION' and a.region_code = r.code order by a.name limit 1) as agency_id
        from region r where r.level = 'DISTRICT';
    create temp table bs_insp on commit drop as
      select left(a.region_code, 6) as district, (row_number() over (partition by a.region_code order by u.id) - 1)::int as k, u.id, a.id as agency_id,
             count(*) over (partition by a.region_code)::int as n
        from app_user u join agency a on a.id = u.agency_id
       where a.kind = 'HRSS_INSPECTION' and 'INSPECTOR' = any(u.roles) and length(a.region_code) = 6 and a.region_code !~ '00$';
    create temp table bs_emp on commit drop as
      select (industry = 'CONSTRUCTION') as building, (row_number() over (partition by industry = 'CONSTRUCTION' order by id) - 1)::int as k, id, name,
             count(*) over (partition by industry = 'CONSTRUCTION')::int as n
        from employer where industry in ('CONSTRUCTION', 'CATERING', 'LOGISTICS', 'RETAIL', 'MANUFACTURING');
    create temp table bs_proj on commit drop as
      select left(p.region_code, 6) as district, (row_number() over (partition by left(p.region_code, 6) order by p.id) - 1)::int as k, p.id, p.general_contractor_id as gc,
             count(*) over (partition by left(p.region_code, 6))::int as n
        from project p where p.status <> 'PLANNED' and p.general_contractor_id is not null;
    create temp table bs_person on commit drop as
      select (row_number() over (order by id) - 1)::int as k, id from person;
    -- Pool sizes as their own tiny tables, so a pick is an equality join on (group, k) that hashes, rather
    -- than a join on the group alone filtered row by row (100k cases x 2,000 employers).
    create temp table bs_insp_n on commit drop as select district, max(n) as n from bs_insp group by 1;
    create temp table bs_emp_n on commit drop as select building, max(n) as n from bs_emp group by 1;
    create temp table bs_proj_n on commit drop as select district, max(n) as n from bs_proj group by 1;
    create index on bs_person (k);
    create index on bs_insp (district, k);
    create index on bs_emp (building, k);
    create index on bs_proj (district, k);
  `);
  const values = calendar.map(
    (c) =>
      `('${c.day}','${c.channel}','${c.dayDue.toISOString()}','${c.nightDue.toISOString()}','${c.acceptanceDue.toISOString()}','${c.resolutionDue.toISOString()}')`,
  );
  await sql(`insert into bs_cal values ${values.join(',')}`);
  await sql(
    'analyze bs_cal; analyze bs_street; analyze bs_insp; analyze bs_emp; analyze bs_proj; analyze bs_person; analyze bs_insp_n; analyze bs_emp_n; analyze bs_proj_n',
  );
}

const TEMPLATES = {
  building: [
    '工地%1$s名工人%2$s个月工资未发,包工头称总包未拨付劳务费',
    '钢筋班组%1$s人完工后班组长失联,%2$s个月工资被拖欠',
    '项目停工,劳务公司拖欠%1$s名工人%2$s个月工资',
    '装修工程完工后拒付工钱,共%1$s人、%2$s个月',
    '工资专户未按月代发,涉及%1$s人%2$s个月工资',
  ],
  other: [
    '%1$s名员工%2$s个月工资未结',
    '离职后单位拒不结算最后%2$s个月工资(共%1$s人)',
    '单位以经营困难为由拖欠%1$s人%2$s个月工资',
    '派件费及工资拖欠%2$s个月,涉及%1$s人',
  ],
};

const TRANSFER_REASON = '不属于本部门管辖,移送有管辖权的机构';
const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
const sqlTextArray = (xs: string[]) => `(array[${xs.map(sqlText).join(',')}])`;

/**
 * One row per new case in a temp table, with every field and every step's time decided. Times are chained
 * (receipt < contact < decision < lead < payment < callback < close), each step taking part of the time left
 * before now, so no step lies in the future and each usually meets its deadline (a few are late on purpose).
 */
interface RunParams {
  /** The index of the run's first case (the case count before it), so a second run draws new rows. */
  runStart: number;
  total: number;
  days: number;
  seed: number;
  now: Date;
}

/** u(k): the k-th independent uniform [0,1) of row g.i, from a 64-bit hash (deterministic, no session state). */
const uSql = (seed: number, k: number) =>
  `(((hashint8extended(g.i, ${seed * 64 + k}) >> 11) & 9007199254740991)::float8 / 9007199254740992.0)`;

/**
 * The rows i = first … first+count-1 with their time of receipt, channel, street and random draws. Shared by
 * the numbering plan (which needs only district and year) and by staging, so both see the same cases.
 */
function caseCoreSql(p: RunParams, first: number, count: number): string {
  const u = (k: number) => uSql(p.seed, k);
  const now = `'${p.now.toISOString()}'::timestamptz`;
  // Cumulative channel shares: 12345 34%, 12333 12%, national 12%, provincial 6%, QR 12%, walk-in 10%, grid 7%, police 7%.
  const channel = `case when ${u(1)} < 0.34 then 'HOTLINE_12345' when ${u(1)} < 0.46 then 'HOTLINE_12333' when ${u(1)} < 0.58 then 'NATIONAL_PLATFORM'
    when ${u(1)} < 0.64 then 'PROVINCIAL_SYSTEM' when ${u(1)} < 0.76 then 'QR_FORM' when ${u(1)} < 0.86 then 'WALK_IN' when ${u(1)} < 0.93 then 'GRID_PATROL' else 'POLICE_ALERT' end`;
  return `
      from generate_series(${first}::bigint, ${first + count - 1}::bigint) as g(i)
      cross join lateral (
        select
          -- Days spread evenly over the period in index order (so numbers rise with time), up to yesterday in
          -- Beijing; 85% in office hours. Millisecond precision, like the JavaScript dates the API works with.
          date_trunc('milliseconds', (('${beijingDate(p.now)}'::date - 1 - ${p.days} + floor((g.i - ${p.runStart}) * ${p.days}::float8 / ${p.total})::int)::timestamp
             + case when ${u(2)} < 0.85 then interval '8 hours 30 minutes' + ${u(3)} * interval '9 hours 29 minutes' else ${u(3)} * interval '23 hours 59 minutes' end)
            at time zone 'Asia/Shanghai') as received_at,
          ${channel} as channel,
          ${u(4)} as u_status, ${u(5)} as u_region, ${u(6)} as u_sector, ${u(7)} as u_emp, ${u(8)} as u_proj, ${u(9)} as u_late, ${u(10)} as u_gap, ${u(11)} as u_amt,
          ${u(12)} as workers_u, 1 + floor(${u(13)} * 4)::int as months, ${u(14)} as u_person, ${u(15)} as u_insp, ${u(16)} as u_street
      ) a0
      cross join lateral (select a0.*, extract(epoch from (${now} - a0.received_at)) / 86400 as age_days) a
      join bs_street s on s.k = floor(a.u_street * (select count(*) from bs_street))::int`;
}

/**
 * One row per new case in a temp table, with every field and every step's time decided. Times are chained
 * (receipt < contact < decision < lead < payment < callback < close), each step taking part of the time left
 * before now, so no step lies in the future and each usually meets its deadline (a few are late on purpose).
 */
async function stageCases(sql: Sql, p: RunParams, first: number, count: number): Promise<void> {
  const u = (k: number) => uSql(p.seed, k);
  const now = `'${p.now.toISOString()}'::timestamptz`;
  const [nh, nm] = caseDeadlineRules.sameDayContact.nightStartsAt.split(':').map(Number) as [number, number];
  await sql(`
    create temp table bs_case on commit drop as
    select g.i, a.received_at, a.channel, a.age_days, a.u_status, a.u_emp, a.u_proj, a.u_late, a.u_gap, a.u_amt,
           s.code as street, s.district, ag.agency_id,
           case when a.u_region < 0.85 or a.channel = 'GRID_PATROL' then s.code else s.district end as region_code,
           per.id as person_id, ins.id as insp_id,
           (a.channel in ('GRID_PATROL', 'POLICE_ALERT') and a.u_sector < 0.75) or (a.channel not in ('GRID_PATROL', 'POLICE_ALERT') and a.u_sector < 0.55) as building,
           a.workers_u, a.months,
           case when a.channel = 'HOTLINE_12345' then 'BJ12345-' when a.channel = 'HOTLINE_12333' then '12333-' when a.channel = 'NATIONAL_PLATFORM' then 'GZQX'
                when a.channel = 'PROVINCIAL_SYSTEM' then 'BJQX-' when a.channel = 'QR_FORM' then 'QR' when a.channel = 'GRID_PATROL' then 'WG-' when a.channel = 'POLICE_ALERT' then 'JQ' end
             || to_char(a.received_at at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-B' || lpad(g.i::text, 9, '0') as channel_ref,
           extract(year from a.received_at at time zone 'Asia/Shanghai')::int as yr,
           case when extract(hour from a.received_at at time zone 'Asia/Shanghai') * 60 + extract(minute from a.received_at at time zone 'Asia/Shanghai') < ${nh * 60 + nm}
                then c.day_due else c.night_due end as same_day_due,
           c.acceptance_due,
           ${u(20)} as u_contact, ${u(21)} as u_decide, ${u(22)} as u_lead, ${u(23)} as u_resolve, ${u(24)} as u_callback, ${u(25)} as u_close, ${u(26)} as u_text,
           ${u(27)} as u_outcome
      ${caseCoreSql(p, first, count)}
      join bs_agency ag on ag.district = s.district
      join bs_cal c on c.day = (a.received_at at time zone 'Asia/Shanghai')::date and c.channel = a.channel
      join bs_person per on per.k = floor(a.u_person * (select count(*) from bs_person))::int
      left join bs_insp_n insn on insn.district = s.district
      left join bs_insp ins on ins.district = s.district and ins.k = floor(a.u_insp * insn.n)::int
  `);

  // Status by age: recent cases are mostly open, old ones mostly closed; a few stay open past their deadlines.
  await sql(`
    create temp table bs_case2 on commit drop as
    select b.*,
      case when b.age_days < 3 then (case when b.u_status < 0.55 then 'RECEIVED' when b.u_status < 0.80 then 'ACCEPTED' else 'IN_PROGRESS' end)
           when b.age_days < 90 then (case when b.u_status < 0.03 then 'RECEIVED' when b.u_status < 0.11 then 'ACCEPTED' when b.u_status < 0.40 then 'IN_PROGRESS'
                                           when b.u_status < 0.62 then 'RESOLVED' when b.u_status < 0.88 then 'CLOSED' when b.u_status < 0.95 then 'REJECTED' else 'TRANSFERRED' end)
           else (case when b.u_status < 0.005 then 'IN_PROGRESS' when b.u_status < 0.05 then 'RESOLVED' when b.u_status < 0.87 then 'CLOSED'
                      when b.u_status < 0.94 then 'REJECTED' else 'TRANSFERRED' end) end as status,
      1 + floor(-ln(1 - b.workers_u) * (case when b.building then 10 else 2.5 end))::int as workers,
      e.id as emp_id, e.name as emp_name, pr.id as project_id
    from bs_case b
    left join bs_proj_n pn on pn.district = b.district
    left join bs_proj pr on b.building and b.u_proj < 0.6 and pr.district = b.district and pr.k = floor(b.u_proj / 0.6 * pn.n)::int
    left join bs_emp_n en on en.building = b.building
    left join bs_emp e on e.building = b.building and e.k = floor(b.u_emp * en.n)::int
  `);

  // Each step is MATERIALIZED: inlined, every later reference to an earlier step's time would re-evaluate
  // that whole expression tree, and the chain of references multiplies (20 s instead of 1 s per 100k rows).
  await sql(`
    create temp table bs_stage on commit drop as
    with t1 as materialized (
      select b.*,
        coalesce(pr.gc, b.emp_id) as employer_id,
        b.status <> 'RECEIVED' or b.u_contact < 0.6 as contacted,
        b.status in ('ACCEPTED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED') as accepted,
        b.status in ('IN_PROGRESS', 'RESOLVED', 'CLOSED') as led,
        b.status in ('RESOLVED', 'CLOSED') as paid,
        b.channel = 'GRID_PATROL' or b.u_emp < 0.5 as emp_at_intake,
        case when b.u_amt < 0.8 then b.workers * b.months * (4000 + floor(b.u_amt / 0.8 * 8000))::bigint * 100 end as claimed,
        date_trunc('milliseconds', b.received_at + make_interval(secs => greatest(1, least(
            case when b.u_late < 0.08 then extract(epoch from b.same_day_due - b.received_at) + 3600 * (1 + 19 * b.u_gap)
                 else extract(epoch from b.same_day_due - b.received_at) * b.u_gap * b.u_gap end,
            extract(epoch from ${now} - b.received_at) * 0.3)))) as contact_at
      from bs_case2 b left join bs_proj pr on pr.id = b.project_id
    ), t2 as materialized (
      select t1.*,
        date_trunc('milliseconds', t1.contact_at + make_interval(secs => greatest(60, least(
            case when t1.u_late > 0.95 then greatest(600, extract(epoch from t1.acceptance_due - t1.contact_at)) + 3600 * (2 + 46 * t1.u_decide)
                 else greatest(600, extract(epoch from t1.acceptance_due - t1.contact_at)) * t1.u_decide * 0.8 end,
            extract(epoch from ${now} - t1.contact_at) * 0.4)))) as decided_at
      from t1
    ), t3 as materialized (
      select t2.*, c.resolution_due,
        date_trunc('milliseconds', t2.decided_at + make_interval(secs => greatest(60, least(300 + t2.u_lead * 72000, extract(epoch from ${now} - t2.decided_at) * 0.3)))) as lead_at
      from t2 left join bs_cal c on c.day = (t2.decided_at at time zone 'Asia/Shanghai')::date and c.channel = t2.channel
    ), t4 as materialized (
      select t3.*,
        date_trunc('milliseconds', t3.lead_at + make_interval(secs => greatest(60, least(
            case when t3.u_late between 0.3 and 0.4 then greatest(3600, extract(epoch from t3.resolution_due - t3.lead_at)) + 86400 * (1 + 14 * t3.u_resolve)
                 else greatest(3600, extract(epoch from t3.resolution_due - t3.lead_at)) * t3.u_resolve * 0.7 end,
            extract(epoch from ${now} - t3.lead_at) * 0.6)))) as resolved_at,
        case when t3.claimed is null then t3.workers * (5000 + floor(t3.u_amt * 7000))::bigint * 100
             when t3.u_outcome < 0.85 then t3.claimed
             else (t3.claimed * (0.6 + 0.35 * t3.u_amt) / 100)::bigint * 100 end as recovered
      from t3
    ), t5 as materialized (
      select t4.*, date_trunc('milliseconds', t4.resolved_at + make_interval(secs => greatest(60, least(86400 * (1 + 4 * t4.u_callback), extract(epoch from ${now} - t4.resolved_at) * 0.5)))) as callback_at
      from t4
    )
    select t5.*,
      date_trunc('milliseconds', t5.callback_at + make_interval(secs => greatest(60, least(600 + 6600 * t5.u_close, extract(epoch from ${now} - t5.callback_at) * 0.5)))) as closed_at,
      (case t5.status when 'RECEIVED' then 1 + t5.contacted::int when 'REJECTED' then 3 when 'TRANSFERRED' then 3 when 'ACCEPTED' then 3
                      when 'IN_PROGRESS' then 4 when 'RESOLVED' then 5 else 7 end) as version,
      ${sqlTextArray(['违法行为发生已超过两年,依据《劳动保障监察条例》第二十条不再查处', '属于经济补偿争议,已告知申请劳动人事争议仲裁', '投诉人撤回投诉,已自行协商结清'])}[1 + floor(t5.u_text * 3)::int] as reject_reason,
      ${sqlTextArray(['北京市劳动人事争议仲裁委员会', '河北省廊坊市人力资源和社会保障局', '天津市武清区人力资源和社会保障局'])}[1 + floor(t5.u_text * 3)::int] as transfer_to,
      format(case when t5.building then ${sqlTextArray(TEMPLATES.building)}[1 + floor(t5.u_text * ${TEMPLATES.building.length})::int]
                  else ${sqlTextArray(TEMPLATES.other)}[1 + floor(t5.u_text * ${TEMPLATES.other.length})::int] end, t5.workers, t5.months) as description
    from t5
  `);
}

/** The first number of each district and year in one chunk: the counter's value before it, as planned. */
type ChunkBases = Array<{ district: string; year: number; base: number }>;

async function numberAndInsertCases(sql: Sql, bases: ChunkBases): Promise<void> {
  await sql(`
    create temp table bs_base (district text, yr int, base int) on commit drop;
    insert into bs_base values ${bases.map((b) => `('${b.district}', ${b.year}, ${b.base})`).join(', ')};
    create temp table bs_final on commit drop as
      select s.*,
        -- UUIDv7 layout (time-ordered: index inserts append instead of scattering), filled from a hash.
        (lpad(to_hex((extract(epoch from s.received_at) * 1000)::bigint), 12, '0') || '7' || substr(h.h, 1, 3) || '8' || substr(h.h, 4, 15))::uuid as id,
        (lpad(to_hex((extract(epoch from s.contact_at) * 1000)::bigint), 12, '0') || '7' || substr(h.h, 19, 3) || '9' || substr(h.h, 22, 11) || '0001')::uuid as contact_id,
        (lpad(to_hex((extract(epoch from s.callback_at) * 1000)::bigint), 12, '0') || '7' || substr(h.h, 19, 3) || '9' || substr(h.h, 22, 11) || '0002')::uuid as callback_id,
        (lpad(to_hex((extract(epoch from s.resolved_at) * 1000)::bigint), 12, '0') || '7' || substr(h.h, 19, 3) || 'a' || substr(h.h, 22, 11) || '0003')::uuid as payment_id,
        s.district || '-' || s.yr || '-' || lpad((b.base + row_number() over (partition by s.district, s.yr order by s.received_at, s.i))::text, 6, '0') as number
      from bs_stage s
      join bs_base b on b.district = s.district and b.yr = s.yr
      cross join lateral (select md5(s.i::text || ':anxin-bulk') as h) h;
  `);
  await sql(`
    insert into wage_case (id, number, channel, channel_ref, received_at, status, sector, region_code, owning_agency_id, primary_complainant_id,
      workers_affected, amount_claimed_fen, amount_recovered_fen, employer_id, employer_name_given, project_id, description, lead_inspector_id,
      same_day_contact_due, first_contact_at, acceptance_due, accepted_at, resolution_due, resolved_at, closed_at, outcome_note, transferred_to,
      version, created_at, updated_at)
    select id, number, channel, case when channel = 'WALK_IN' then null else channel_ref end, received_at, status,
      case when building then 'CONSTRUCTION' else 'OTHER' end, region_code, agency_id, person_id,
      workers, claimed, case when paid then recovered else 0 end,
      case when emp_at_intake or accepted then employer_id end,
      case when emp_at_intake or accepted then null else left(emp_name, 4) || '(名称不全)' end,
      project_id, description, case when led then insp_id end,
      same_day_due, case when contacted then contact_at end, acceptance_due, case when accepted then decided_at end,
      case when accepted then resolution_due end, case when paid then resolved_at end, case when status = 'CLOSED' then closed_at end,
      case status when 'REJECTED' then reject_reason when 'TRANSFERRED' then ${sqlText(TRANSFER_REASON)} end,
      case when status = 'TRANSFERRED' then transfer_to end,
      version, received_at,
      case status when 'RECEIVED' then (case when contacted then contact_at else received_at end)
                  when 'REJECTED' then decided_at when 'TRANSFERRED' then decided_at when 'ACCEPTED' then decided_at
                  when 'IN_PROGRESS' then lead_at when 'RESOLVED' then resolved_at else closed_at end
    from bs_final
    order by id`);
  await sql(`
    insert into case_complainant (case_id, person_id, channel, channel_ref, joined_at, stated_name, stated_resident_id)
      select f.id, f.person_id, f.channel, case when f.channel = 'WALK_IN' then null else f.channel_ref end, f.received_at, p.name, p.resident_id
        from bs_final f join person p on p.id = f.person_id order by f.id;
  `);
}

/** The intake state as the RECEIVED entry records it: every field the case file tracks, from the app's own snapshot. */
function receivedAfterSql(f: string): string {
  const exprs: Record<string, string> = {
    status: `'RECEIVED'`,
    employer: `case when ${f}.emp_at_intake then ${f}.employer_id::text end`,
    project: `${f}.project_id::text`,
    leadInspector: 'null::text',
    amountRecoveredFen: '0',
    firstContactAt: 'null::text',
    acceptedAt: 'null::text',
    resolutionDue: 'null::text',
    resolutionExtendedDue: 'null::text',
    resolvedAt: 'null::text',
    outcomeNote: 'null::text',
    transferredTo: 'null::text',
  };
  const keys = Object.keys(snapshot({ status: 'RECEIVED' } as unknown as Case));
  const unknown = keys.filter((k) => !(k in exprs));
  if (unknown.length > 0)
    throw new Error(`bulk seed does not know how to record the tracked case fields ${unknown.join(', ')}: update receivedAfterSql`);
  return `jsonb_build_object(${keys.map((k) => `'${k}', ${exprs[k]}`).join(', ')})`;
}

async function insertCaseFiles(sql: Sql): Promise<number> {
  // All of a chunk's case-file entries in one statement, in (case, seq) order: the unique index on
  // (case_id, seq) then grows at its right edge instead of splitting pages in the middle nine times over.
  const steps: Array<[applies: string, seq: number, type: string, at: string, payload: string, before: string, after: string]> = [
    [
      'true',
      1,
      'RECEIVED',
      'f.received_at',
      `jsonb_build_object('channel', f.channel, 'channelRef', case when f.channel = 'WALK_IN' then null else f.channel_ref end)`,
      'null::jsonb',
      receivedAfterSql('f'),
    ],
    [
      'f.contacted',
      2,
      'CONTACT_RECORDED',
      'f.contact_at',
      `jsonb_build_object('contactId', f.contact_id, 'kind', case when f.channel in ('GRID_PATROL', 'POLICE_ALERT') then 'VISIT' else 'CALL' end, 'outcome', 'REACHED', 'at', ${isoSql('f.contact_at')}, 'onTime', f.contact_at <= f.same_day_due)`,
      `jsonb_build_object('firstContactAt', null)`,
      `jsonb_build_object('firstContactAt', ${isoSql('f.contact_at')})`,
    ],
    [
      'f.accepted',
      3,
      'ACCEPTED',
      'f.decided_at',
      `jsonb_build_object('resolutionDue', ${isoSql('f.resolution_due')})`,
      `jsonb_build_object('status', 'RECEIVED', 'acceptedAt', null, 'resolutionDue', null) || case when f.emp_at_intake then '{}'::jsonb else jsonb_build_object('employer', null) end`,
      `jsonb_build_object('status', 'ACCEPTED', 'acceptedAt', ${isoSql('f.decided_at')}, 'resolutionDue', ${isoSql('f.resolution_due')}) || case when f.emp_at_intake then '{}'::jsonb else jsonb_build_object('employer', f.employer_id) end`,
    ],
    [
      `f.status = 'REJECTED'`,
      3,
      'REJECTED',
      'f.decided_at',
      `jsonb_build_object('reason', f.reject_reason)`,
      `jsonb_build_object('status', 'RECEIVED', 'outcomeNote', null)`,
      `jsonb_build_object('status', 'REJECTED', 'outcomeNote', f.reject_reason)`,
    ],
    [
      `f.status = 'TRANSFERRED'`,
      3,
      'TRANSFERRED',
      'f.decided_at',
      `jsonb_build_object('to', f.transfer_to, 'reason', ${sqlText(TRANSFER_REASON)})`,
      `jsonb_build_object('status', 'RECEIVED', 'outcomeNote', null, 'transferredTo', null)`,
      `jsonb_build_object('status', 'TRANSFERRED', 'outcomeNote', ${sqlText(TRANSFER_REASON)}, 'transferredTo', f.transfer_to)`,
    ],
    [
      'f.led',
      4,
      'LEAD_ASSIGNED',
      'f.lead_at',
      `jsonb_build_object('inspectorId', f.insp_id)`,
      `jsonb_build_object('status', 'ACCEPTED', 'leadInspector', null)`,
      `jsonb_build_object('status', 'IN_PROGRESS', 'leadInspector', f.insp_id)`,
    ],
    [
      'f.paid',
      5,
      'PAYMENT_RECORDED',
      'f.resolved_at',
      `jsonb_build_object('paymentId', f.payment_id, 'amountFen', f.recovered, 'workersPaid', f.workers, 'paidOn', to_char(f.resolved_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD'), 'payer', coalesce(f.emp_name, '用人单位'), 'source', 'EMPLOYER')`,
      `jsonb_build_object('status', 'IN_PROGRESS', 'amountRecoveredFen', 0, 'resolvedAt', null)`,
      `jsonb_build_object('status', 'RESOLVED', 'amountRecoveredFen', f.recovered, 'resolvedAt', ${isoSql('f.resolved_at')})`,
    ],
    [
      `f.status = 'CLOSED'`,
      6,
      'CONTACT_RECORDED',
      'f.callback_at',
      `jsonb_build_object('contactId', f.callback_id, 'kind', 'CALL', 'outcome', 'REACHED', 'at', ${isoSql('f.callback_at')}, 'onTime', false, 'purpose', 'CALLBACK', 'paidInFull', f.recovered >= coalesce(f.claimed, 0), 'satisfied', true)`,
      `'{}'::jsonb`,
      `'{}'::jsonb`,
    ],
    [
      `f.status = 'CLOSED'`,
      7,
      'CLOSED',
      'f.closed_at',
      `jsonb_build_object('closedAt', ${isoSql('f.closed_at')})`,
      `jsonb_build_object('status', 'RESOLVED')`,
      `jsonb_build_object('status', 'CLOSED')`,
    ],
  ];
  // One SELECT per step (so each entry's JSON is built only for the cases that have that step), one sort.
  await sql(`
    insert into case_event (case_id, seq, type, actor_user_id, actor_agency_id, at, payload, before, after)
    select * from (
      ${steps
        .map(
          ([applies, seq, type, at, payload, before, after]) =>
            `select f.id, ${seq}, '${type}', ${seq === 1 ? 'null::uuid' : 'f.insp_id'}, f.agency_id, ${at}, ${payload}, ${before}, ${after} from bs_final f where ${applies}`,
        )
        .join('\n      union all\n      ')}
    ) as e(case_id, seq, type, actor_user_id, actor_agency_id, at, payload, before, after)
    order by case_id, seq`);
  await sql(`
    insert into contact (id, case_id, person_id, kind, outcome, notes, at, recorded_by)
      select contact_id, id, person_id, case when channel in ('GRID_PATROL', 'POLICE_ALERT') then 'VISIT' else 'CALL' end, 'REACHED', null, contact_at, insp_id
        from bs_final where contacted
      union all
      select callback_id, id, person_id, 'CALL', 'REACHED', '回访:工资已到账,对处理结果满意', callback_at, insp_id from bs_final where status = 'CLOSED'`);
  await sql(`
    insert into payment (id, case_id, amount_fen, workers_paid, paid_on, payer, source, recorded_by, recorded_at)
      select payment_id, id, recovered, workers, (resolved_at at time zone 'Asia/Shanghai')::date, coalesce(emp_name, '用人单位'), 'EMPLOYER', insp_id, resolved_at
        from bs_final where paid order by payment_id`);
  const [row] = await sql<{ n: string }>('select coalesce(sum(version), 0)::bigint as n from bs_final');
  return Number(row?.n ?? 0);
}
