import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { executionContext } from '../src/app/execution';
import type { Agency, User } from '../src/agencies/agency.entity';
import type { ExecutionContext } from '../src/core/execution-context';
import { STATISTICS_DIMENSIONS, type StatisticsFilter, type StatisticsFigures } from '../src/statistics/statistics.model';
import { StatisticsService, rollupPeriods } from '../src/statistics/statistics.service';
import { StatisticsCompactor } from '../src/statistics/statistics-compactor';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { isBackgroundStatement } from './support/background-statements';
import { testLog } from './support/logger';

/**
 * Statistics (issue 15): totals equal the sums of what they sum — recovered is the sum of the payments recorded,
 * every figure is the sum over the cases and payments tables, and the totals are the sum over the groups of any one
 * dimension — on random cases, payments and changes, read through the rollup (labour inspection's scope) and from
 * the cases (any other scope); the rollup stays exact under concurrent writers; nested regions and agencies load
 * without N+1.
 */
describe('statistics', () => {
  let db: TestDatabase;
  let api: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let person: string;
  const statements: string[] = [];
  const service = new StatisticsService();

  beforeAll(async () => {
    db = await createTestDatabase({ onQuery: (sql) => statements.push(sql) });
    city = await loadTestCity(db.orm.em.fork());
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    person = randomUUID();
    await sql(`insert into person (id, name, mobile, created_at) values (?, '统计', '13900000000', now())`, [person]);
  });
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  const sql = (text: string, params: unknown[] = []) =>
    db.orm.em.fork().getConnection().execute<Array<Record<string, unknown>>>(text, params);
  const ctxAs = (user: User, agency: Agency): ExecutionContext =>
    executionContext({
      em: db.orm.em.fork(),
      log: testLog,
      actor: { userId: user.id, agencyId: agency.id, agencyKind: agency.kind, roles: user.roles },
    });

  const REGIONS = ['110102', '110102003', '110105', '110105001'] as const;
  const CHANNELS = ['HOTLINE_12345', 'WALK_IN', 'GRID_PATROL', 'QR_FORM'] as const;
  const STATUSES = ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'REJECTED'] as const;
  // Receipt instants over a year's end and two month ends, so days, months and years have edges.
  const FIRST = Date.parse('2025-12-20T00:00:00Z');
  const LAST = Date.parse('2026-03-05T00:00:00Z');
  const owner = (region: string) => (region.startsWith('110102') ? city.xichengHrss.id : city.chaoyangHrss.id);
  let caseSeq = 0;
  const caseIds: string[] = [];

  async function insertCase(c: {
    region: string;
    channel: string;
    sector: 'CONSTRUCTION' | 'OTHER';
    status: (typeof STATUSES)[number];
    at: number;
    workers: number | null;
    claimed: number | null;
  }): Promise<string> {
    const id = randomUUID();
    const at = new Date(c.at);
    const later = (s: readonly string[]) => (s.includes(c.status) ? at : null);
    await sql(
      `insert into wage_case (id, number, channel, received_at, status, sector, region_code, owning_agency_id, primary_complainant_id,
         workers_affected, amount_claimed_fen, description, same_day_contact_due, acceptance_due, resolution_due, accepted_at, resolved_at, closed_at,
         created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '统计测试', ?, ?, ?, ?, ?, ?, now(), now())`,
      [
        id,
        `STAT-${caseSeq++}`,
        c.channel,
        at,
        c.status,
        c.sector,
        c.region,
        owner(c.region),
        person,
        c.workers,
        c.claimed,
        new Date(c.at + 86_400_000),
        new Date(c.at + 7 * 86_400_000),
        new Date(c.at + 90 * 86_400_000),
        later(['ACCEPTED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED']),
        later(['RESOLVED', 'CLOSED']),
        later(['CLOSED']),
      ],
    );
    // The complaint on its channel: what an integrator's scope reads.
    await sql(`insert into case_complainant (case_id, person_id, channel, joined_at) values (?, ?, ?, ?)`, [id, person, c.channel, at]);
    caseIds.push(id);
    return id;
  }

  async function pay(caseId: string, fen: number, workers: number): Promise<void> {
    await sql(
      `insert into payment (id, case_id, amount_fen, workers_paid, paid_on, payer, source, recorded_at) values (?, ?, ?, ?, '2026-03-01', '某公司', 'EMPLOYER', now())`,
      [randomUUID(), caseId, fen, workers],
    );
  }

  async function move(caseId: string, status: (typeof STATUSES)[number], region: string): Promise<void> {
    await sql(
      `update wage_case set status = ?, region_code = ?, owning_agency_id = ?,
         accepted_at = case when ? then coalesce(accepted_at, now()) end,
         resolved_at = case when ? then coalesce(resolved_at, now()) end,
         closed_at = case when ? then coalesce(closed_at, now()) end where id = ?`,
      [
        status,
        region,
        owner(region),
        ['ACCEPTED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'].includes(status),
        ['RESOLVED', 'CLOSED'].includes(status),
        status === 'CLOSED',
        caseId,
      ],
    );
  }

  /** The figures straight from the cases and payments tables, by conditions written here (not the service's). */
  async function fromTables(f: StatisticsFilter, channelOnly?: string): Promise<StatisticsFigures> {
    const where: string[] = ['true'];
    const params: unknown[] = [];
    const cond = (clause: string, v: unknown) => {
      where.push(clause);
      params.push(v);
    };
    if (f.from) cond(`(c.received_at at time zone 'Asia/Shanghai')::date >= ?::date`, f.from);
    if (f.to) cond(`(c.received_at at time zone 'Asia/Shanghai')::date <= ?::date`, f.to);
    // The test city's codes nest as prefixes (110102003 is in 110102).
    if (f.regionCode) cond(`c.region_code like ? || '%'`, f.regionCode);
    if (f.channel) cond('c.channel = ?', f.channel);
    if (f.sector) cond('c.sector = ?', f.sector);
    if (f.status) cond('c.status = ?', f.status);
    if (channelOnly) cond('c.channel = ?', channelOnly);
    const w = where.join(' and ');
    const [c] = await sql(
      `select count(*) as n, count(accepted_at) as a, count(resolved_at) as r, count(closed_at) as cl,
              coalesce(sum(workers_affected), 0) as wc, coalesce(sum(amount_claimed_fen), 0) as fc
         from wage_case c where c.number like 'STAT-%' and ${w}`,
      params,
    );
    const [p] = await sql(
      `select coalesce(sum(p.workers_paid), 0) as wp, coalesce(sum(p.amount_fen), 0) as fr
         from payment p join wage_case c on c.id = p.case_id where c.number like 'STAT-%' and ${w}`,
      params,
    );
    return {
      casesReceived: Number(c!.n),
      casesAccepted: Number(c!.a),
      casesResolved: Number(c!.r),
      casesClosed: Number(c!.cl),
      workersClaimed: Number(c!.wc),
      fenClaimed: Number(c!.fc),
      workersPaid: Number(p!.wp),
      fenRecovered: Number(p!.fr),
    };
  }

  const sumOf = (figures: StatisticsFigures[]): StatisticsFigures =>
    figures.reduce(
      (a, b) =>
        Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof StatisticsFigures] + b[k as keyof StatisticsFigures]])) as never,
      {
        casesReceived: 0,
        casesAccepted: 0,
        casesResolved: 0,
        casesClosed: 0,
        workersClaimed: 0,
        fenClaimed: 0,
        workersPaid: 0,
        fenRecovered: 0,
      },
    );

  const day = fc
    .integer({ min: FIRST - 3 * 86_400_000, max: LAST + 3 * 86_400_000 })
    .map((t) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10));
  const filterArb: fc.Arbitrary<StatisticsFilter> = fc.record(
    {
      from: day,
      to: day,
      regionCode: fc.constantFrom(...REGIONS),
      channel: fc.constantFrom(...CHANNELS),
      sector: fc.constantFrom('CONSTRUCTION' as const, 'OTHER' as const),
      status: fc.constantFrom(...STATUSES),
    },
    { requiredKeys: [] },
  );
  const opArb = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('case' as const),
        region: fc.constantFrom(...REGIONS),
        channel: fc.constantFrom(...CHANNELS),
        sector: fc.constantFrom('CONSTRUCTION' as const, 'OTHER' as const),
        status: fc.constantFrom(...STATUSES),
        at: fc.integer({ min: FIRST, max: LAST }),
        workers: fc.option(fc.integer({ min: 1, max: 200 })),
        claimed: fc.option(fc.integer({ min: 0, max: 5_000_000_000 })),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('pay' as const),
        pick: fc.nat(),
        fen: fc.integer({ min: 1, max: 900_000_000 }),
        workers: fc.integer({ min: 1, max: 60 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('move' as const),
        pick: fc.nat(),
        status: fc.constantFrom(...STATUSES),
        region: fc.constantFrom(...REGIONS),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const) }) },
  );

  it('sums what the tables hold, and the groups of every dimension sum to the totals, through the rollup and from the cases', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), filterArb, async (ops, rawFilter) => {
        for (const op of ops) {
          if (op.kind === 'case') await insertCase(op);
          else if (op.kind === 'compact') await sql('select compact_case_statistics()');
          else if (caseIds.length) {
            const id = caseIds[op.pick % caseIds.length]!;
            if (op.kind === 'pay') await pay(id, op.fen, op.workers);
            else await move(id, op.status, op.region);
          }
        }
        const filter = rawFilter.from && rawFilter.to && rawFilter.from > rawFilter.to ? { ...rawFilter, to: rawFilter.from } : rawFilter;
        // The city's director: a scope by region alone, read from the rollup.
        const director = await service.figures(ctxAs(city.cityDirector, city.cityHrss), { filter });
        expect(director.totals).toEqual(await fromTables(filter));
        // The totals-only path (the daily report's day) answers the same totals.
        expect(await service.totals(ctxAs(city.cityDirector, city.cityHrss), { filter })).toEqual(director.totals);
        // Every open case counted in exactly one age bucket.
        const [open] = await sql(
          `select count(*)::int as n from wage_case c where c.number like 'STAT-%' and c.status in ('RECEIVED', 'ACCEPTED', 'IN_PROGRESS')
             and c.id in (select id from wage_case c where ${['true', ...(filter.from ? [`(c.received_at at time zone 'Asia/Shanghai')::date >= '${filter.from}'`] : []), ...(filter.to ? [`(c.received_at at time zone 'Asia/Shanghai')::date <= '${filter.to}'`] : []), ...(filter.regionCode ? [`c.region_code like '${filter.regionCode}%'`] : []), ...(filter.channel ? [`c.channel = '${filter.channel}'`] : []), ...(filter.sector ? [`c.sector = '${filter.sector}'`] : []), ...(filter.status ? [`c.status = '${filter.status}'`] : [])].join(' and ')})`,
        );
        expect(director.openByAge.reduce((n, b) => n + b.count, 0)).toBe(open!.n);
        // The 12345 integrator: its channel's cases, read from the cases.
        const integrator = await service.figures(ctxAs(city.hotline, city.integrator), { filter });
        expect(integrator.totals).toEqual(await fromTables(filter, 'HOTLINE_12345'));
        expect(await service.totals(ctxAs(city.hotline, city.integrator), { filter })).toEqual(integrator.totals);
        for (const d of STATISTICS_DIMENSIONS) {
          const grouped = await service.figures(ctxAs(city.cityDirector, city.cityHrss), { filter, groupBy: [d] });
          expect(grouped.totals).toEqual(director.totals);
          expect(sumOf(grouped.groups.map((g) => g.figures))).toEqual(director.totals);
        }
        // Several dimensions at once (the rollup's full cut).
        const three = await service.figures(ctxAs(city.cityDirector, city.cityHrss), { filter, groupBy: ['STATUS', 'CHANNEL', 'WEEK'] });
        expect(sumOf(three.groups.map((g) => g.figures))).toEqual(director.totals);
        const two = await service.figures(ctxAs(city.hotline, city.integrator), { filter, groupBy: ['STREET', 'MONTH'] });
        expect(sumOf(two.groups.map((g) => g.figures))).toEqual(integrator.totals);
      }),
      { numRuns: 40 },
    );
    // Recovered is the sum of the payments recorded, all of them.
    const [all] = await sql(
      `select coalesce(sum(amount_fen), 0) as fen from payment p join wage_case c on c.id = p.case_id where c.number like 'STAT-%'`,
    );
    const everything = await service.figures(ctxAs(city.cityDirector, city.cityHrss), {});
    expect(everything.totals.fenRecovered).toBe(Number(all!.fen));
    expect(everything.totals.casesReceived).toBe(caseIds.length);
  });

  it('covers a range of days with month rows inside and day rows at the ends', () => {
    expect(rollupPeriods({ from: '2026-01-15', to: '2026-03-10' }, []).params).toEqual([
      '2026-02-01',
      '2026-02-01',
      '2026-01-15',
      '2026-01-31',
      '2026-03-01',
      '2026-03-10',
    ]);
    expect(rollupPeriods({ from: '2026-02-01', to: '2026-02-28' }, []).params).toEqual(['2026-02-01', '2026-02-01']);
    expect(rollupPeriods({ from: '2026-02-03', to: '2026-02-20' }, [])).toEqual({
      sql: `((c.grain = 'D' and c.period >= ?::date and c.period <= ?::date))`,
      params: ['2026-02-03', '2026-02-20'],
    });
    expect(rollupPeriods({}, ['WEEK']).sql).toBe(`((c.grain = 'D'))`);
    expect(rollupPeriods({}, []).sql).toBe(`((c.grain = 'Y'))`);
    expect(rollupPeriods({}, ['MONTH']).sql).toBe(`((c.grain = 'M'))`);
    // Years wholly inside, then months, then days at either end.
    expect(rollupPeriods({ from: '2025-11-15', to: '2027-02-03' }, [])).toEqual({
      sql: `((c.grain = 'Y' and c.period >= ?::date and c.period <= ?::date) or (c.grain = 'M' and c.period >= ?::date and c.period <= ?::date) or (c.grain = 'D' and c.period >= ?::date and c.period <= ?::date) or (c.grain = 'M' and c.period >= ?::date and c.period <= ?::date) or (c.grain = 'D' and c.period >= ?::date and c.period <= ?::date))`,
      params: [
        '2026-01-01',
        '2026-01-01',
        '2025-12-01',
        '2025-12-01',
        '2025-11-15',
        '2025-11-30',
        '2027-01-01',
        '2027-01-01',
        '2027-02-01',
        '2027-02-03',
      ],
    });
  });

  it('keeps the rollup exact under concurrent payments and status changes of the same cases', async () => {
    const targets = await Promise.all(
      [0, 1, 2].map((i) =>
        insertCase({
          region: '110102003',
          channel: 'WALK_IN',
          sector: 'OTHER',
          status: 'ACCEPTED',
          at: FIRST + i * 3_600_000,
          workers: 5,
          claimed: 100_000,
        }),
      ),
    );
    const clients = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const c = new Client({ connectionString: db.url });
        await c.connect();
        return c;
      }),
    );
    try {
      const work = clients.map(async (c, i) => {
        for (let k = 0; k < 15; k++) {
          const id = targets[(i + k) % targets.length]!;
          await c.query('begin');
          if ((i + k) % 2) {
            await c.query(
              `insert into payment (id, case_id, amount_fen, workers_paid, paid_on, payer, source, recorded_at) values ($1, $2, $3, 1, '2026-03-01', '某公司', 'EMPLOYER', now())`,
              [randomUUID(), id, 1000 + k],
            );
          } else {
            const status = ['ACCEPTED', 'IN_PROGRESS', 'RESOLVED'][k % 3];
            const region = k % 4 ? '110102003' : '110102';
            await c.query(`update wage_case set status = $1, region_code = $2 where id = $3`, [status, region, id]);
          }
          await c.query('select pg_sleep(0.002)');
          await c.query('commit');
          if (k % 5 === 0) await c.query('select compact_case_statistics()');
        }
      });
      await Promise.all(work);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    // The API process's compactor folds what is left.
    await new StatisticsCompactor(db.orm, testLog).compact();
    expect(await sql('select count(*)::int as n from case_statistics_delta')).toEqual([{ n: 0 }]);
    // The folded rollup holds exactly what a recount from the tables holds, key by key.
    const folded = await sql(
      `select grain, cut, period::text, region_code, channel, sector, status, owning_agency_id, cases::text, accepted::text, resolved::text, closed::text,
              workers_claimed::text, fen_claimed::text, workers_paid::text, fen_recovered::text
         from case_statistics where cases <> 0 or workers_paid <> 0 or fen_recovered <> 0 or workers_claimed <> 0 or fen_claimed <> 0
        order by 1, 2, 3, 4, 5, 6, 7, 8`,
    );
    await sql('select rebuild_case_statistics()');
    const recounted = await sql(
      `select grain, cut, period::text, region_code, channel, sector, status, owning_agency_id, cases::text, accepted::text, resolved::text, closed::text,
              workers_claimed::text, fen_claimed::text, workers_paid::text, fen_recovered::text
         from case_statistics order by 1, 2, 3, 4, 5, 6, 7, 8`,
    );
    expect(folded).toEqual(recounted);
    expect(folded.length).toBeGreaterThan(0);
  });

  it('counts only the cases the caller may see: a district’s inspector its district, another district none of it', async () => {
    const xc = await service.figures(ctxAs(city.inspector, city.xichengHrss), { groupBy: ['DISTRICT'] });
    expect(xc.groups.map((g) => g.districtCode)).toEqual(['110102']);
    expect(xc.totals).toEqual(await fromTables({ regionCode: '110102' }));
    const cy = await service.figures(ctxAs(city.chaoyangInspector, city.chaoyangHrss), { filter: { regionCode: '110102' } });
    expect(cy.totals.casesReceived).toBe(0);
    // A police station takes part in no process of these cases: it counts nothing.
    const police = await service.figures(ctxAs(city.policeOfficer, city.police), {});
    expect(police.totals.casesReceived).toBe(0);
  });

  it('counts overdue steps by the agency that must act, and callbacks, of the processes the caller may see', async () => {
    const at = Date.parse('2026-02-10T02:00:00Z');
    const dispatched = await insertCase({
      region: '110102003',
      channel: 'WALK_IN',
      sector: 'CONSTRUCTION',
      status: 'IN_PROGRESS',
      at,
      workers: 3,
      claimed: 1,
    });
    const referred = await insertCase({
      region: '110102003',
      channel: 'WALK_IN',
      sector: 'CONSTRUCTION',
      status: 'IN_PROGRESS',
      at,
      workers: 3,
      claimed: 1,
    });
    const closed = await insertCase({
      region: '110102003',
      channel: 'WALK_IN',
      sector: 'OTHER',
      status: 'CLOSED',
      at,
      workers: 3,
      claimed: 1,
    });
    const process = async (caseId: string, kind: string, fields: { due?: Date; waitingOn?: string; facts?: object; ended?: boolean }) => {
      const id = randomUUID();
      await sql(
        `insert into case_process (id, case_id, kind, workflow_id, status, started_at, ended_at, due_at, waiting_on, facts) values (?, ?, ?, ?, 'OPEN', now(), ?, ?, ?, ?)`,
        [
          id,
          caseId,
          kind,
          `wf-${id}`,
          fields.ended ? new Date() : null,
          fields.due ?? null,
          fields.waitingOn ?? null,
          JSON.stringify(fields.facts ?? {}),
        ],
      );
      return id;
    };
    const past = new Date(Date.now() - 3_600_000);
    const future = new Date(Date.now() + 86_400_000);
    // A dispatch whose district government has not acknowledged by its deadline (the regulator is in time).
    const dispatch = await process(dispatched, 'DISPATCH', { due: future, waitingOn: 'RECIPIENTS' });
    for (const [agency, due] of [
      [city.xichengGov.id, past],
      [city.housing.id, future],
    ] as const)
      await sql(
        `insert into process_party (id, process_id, role, agency_id, name, status, acknowledge_due) values (?, ?, 'RECIPIENT', ?, '单位', 'SENT', ?)`,
        [randomUUID(), dispatch, agency, due],
      );
    // A referral sent to the police, whose decision is late.
    await process(referred, 'POLICE_REFERRAL', {
      due: past,
      waitingOn: 'POLICE',
      facts: { policeAgencyId: city.police.id, sentAt: '2026-02-11T00:00:00Z' },
    });
    // Two callbacks of the closed case: one made (reached, paid in full, satisfied), one still waiting.
    await process(closed, 'CALLBACK', {
      ended: true,
      facts: { callback: { reached: true, wagesReceivedInFull: true, satisfaction: 'SATISFIED' } },
    });
    await process(closed, 'CALLBACK', { due: future, waitingOn: 'INSPECTION' });
    const filter = { from: '2026-02-10', to: '2026-02-10', channel: 'WALK_IN' as const };

    const director = await service.figures(ctxAs(city.cityDirector, city.cityHrss), { filter });
    expect(director.overdueSteps).toEqual(
      expect.arrayContaining([
        { agencyId: city.xichengGov.id, processKind: 'DISPATCH', count: 1 },
        { agencyId: city.police.id, processKind: 'POLICE_REFERRAL', count: 1 },
      ]),
    );
    expect(director.overdueSteps).toHaveLength(2);
    expect(director.callbacks).toEqual({
      due: 2,
      done: 1,
      reached: 1,
      wagesReceivedInFull: 1,
      satisfied: 1,
      basicallySatisfied: 0,
      dissatisfied: 0,
    });
    // The district government takes part in the dispatch only: it sees its own overdue step, not the police's or the callbacks.
    const district = await service.figures(ctxAs(city.districtOfficer, city.xichengGov), { filter });
    expect(district.overdueSteps).toEqual([{ agencyId: city.xichengGov.id, processKind: 'DISPATCH', count: 1 }]);
    expect(district.callbacks.due).toBe(0);
    expect(district.totals.casesReceived).toBe(1);
  });

  it('rejects a dimension twice and two periods', async () => {
    const ctx = ctxAs(city.cityDirector, city.cityHrss);
    await expect(service.figures(ctx, { groupBy: ['DAY', 'DAY'] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(service.figures(ctx, { groupBy: ['DAY', 'MONTH'] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(service.figures(ctx, { filter: { from: '2026-02-02', to: '2026-02-01' } })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(service.figures(ctx, { filter: { to: '9999-12-31' } })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('loads the groups’ regions and agencies in one batch each (the same statements for 2 groups and for 40)', async () => {
    const doc = (groupBy: string) =>
      `{ statistics(groupBy: [${groupBy}]) { totals { casesReceived fenRecovered } groups { district { name } street { name } owningAgency { name } period channel figures { casesReceived } } openByAge { bucket label count } overdueSteps { agency { name } processKind count } callbacks { due done } } }`;
    const measure = async (groupBy: string) => {
      statements.length = 0;
      const res = await api.gql<{ statistics: { groups: unknown[] } }>(doc(groupBy), {}, api.as(city.cityDirector, city.cityHrss));
      expect(res.errors).toBeUndefined();
      // Without the logger's colours and prefix; the API process's background work (a compaction's turn) left out.
      const ours = statements
        .map((s) => s.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'), '').replace(/^\[query\] /, ''))
        .filter((s) => !isBackgroundStatement(s));
      return { groups: res.data!.statistics.groups.length, statements: ours.length };
    };
    const few = await measure('DISTRICT, OWNING_AGENCY');
    const many = await measure('STREET, DISTRICT, OWNING_AGENCY, DAY, CHANNEL');
    expect(few.groups).toBeLessThanOrEqual(2);
    expect(many.groups).toBeGreaterThan(20);
    expect(many.statements).toBe(few.statements);
  });
});
