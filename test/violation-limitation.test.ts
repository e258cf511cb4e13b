import { DateTime } from 'luxon';
import { limitationOf } from '../src/cases/limitation';
import { violationLimitation } from '../src/rules/limitation';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';

type Fixtures = Awaited<ReturnType<typeof loadTestCity>>;

const INTAKE = `mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id receivedAt } } }`;
const RECORD = `mutation($i: RecordViolationPeriodInput!) { recordViolationPeriod(input: $i) { id limitation { expired rule source startedOn endedOn lastDay firstComplaintOn } } }`;
const REJECT = `mutation($i: RejectCaseInput!) { rejectCase(input: $i) { id status } }`;
const FILE = `query($id: ID!) { case(id: $id) { limitation { expired } events { type payload } } }`;

describe('the two-year limit (劳动保障监察条例 第二十条)', () => {
  it('counts two years from the day the violation ended to the Beijing date of the first complaint', () => {
    const receivedAt = new Date('2026-11-30T02:00:00Z'); // 10:00 Beijing, 30 Nov 2026
    expect(limitationOf({ receivedAt })).toBeNull(); // no period recorded
    expect(limitationOf({ violationStartedOn: '2024-06-01', violationEndedOn: '2024-11-30', receivedAt })).toMatchObject({
      expired: false, // the last day in time is 30 Nov 2026 itself
      lastDay: '2026-11-30',
      firstComplaintOn: '2026-11-30',
    });
    expect(limitationOf({ violationStartedOn: '2024-06-01', violationEndedOn: '2024-11-29', receivedAt })).toMatchObject({
      expired: true,
      lastDay: '2026-11-29',
    });
    // A violation that continues has not started its two years.
    expect(limitationOf({ violationStartedOn: '2020-01-01', violationEndedOn: null, receivedAt })).toMatchObject({
      expired: false,
      endedOn: null,
      lastDay: null,
    });
    // 29 Feb has no counterpart two years on: the month's last day is the last day (民法典 第二百零二条).
    expect(limitationOf({ violationStartedOn: '2024-02-01', violationEndedOn: '2024-02-29', receivedAt })!.lastDay).toBe('2026-02-28');
    // The Beijing date counts: 23:30 UTC on 30 Nov is 1 Dec in Beijing.
    expect(
      limitationOf({ violationStartedOn: '2024-06-01', violationEndedOn: '2024-11-30', receivedAt: new Date('2026-11-30T23:30:00Z') })!
        .expired,
    ).toBe(true);
    expect(violationLimitation).toMatchObject({ years: 2 });
    expect(violationLimitation.source).toMatch(/^劳动保障监察条例 第二十条/);
    expect(violationLimitation.source).toContain('自行为终了之日起计算');
  });

  describe('over the API', () => {
    let db: TestDatabase;
    let api: TestApi;
    let city: Fixtures;
    let seq = 0;

    beforeAll(async () => {
      db = await createTestDatabase();
      city = await loadTestCity(db.orm.em.fork());
      api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    });
    afterAll(async () => {
      await api?.stop();
      await db?.drop();
    });

    const inspector = () => api.as(city.inspector, city.xichengHrss);
    async function call<T = Record<string, any>>(query: string, variables: Record<string, unknown>, who = inspector()) {
      const res = await api.gql<T>(query, variables, who);
      return res;
    }
    async function ok<T = Record<string, any>>(query: string, variables: Record<string, unknown>, who = inspector()): Promise<T> {
      const res = await call<T>(query, variables, who);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data as T;
    }
    async function receivedCase(): Promise<{ id: string; receivedOn: string }> {
      const { intakeComplaint } = await ok(INTAKE, {
        i: {
          channel: 'WALK_IN',
          contactPhone: `1370000${String(2000 + seq++)}`,
          description: '两年前的工资至今未付',
          regionCode: '110102003',
        },
      });
      const receivedOn = DateTime.fromISO(intakeComplaint.case.receivedAt as string, { zone: 'UTC+8' }).toISODate()!;
      return { id: intakeComplaint.case.id as string, receivedOn };
    }
    const yearsBefore = (date: string, years: number, days = 0) => DateTime.fromISO(date).minus({ years, days }).toISODate()!;
    const fileOf = async (id: string) =>
      (await ok(FILE, { id })).case as { limitation: { expired: boolean } | null; events: Array<{ type: string; payload: any }> };

    it('a caseworker records the period; the case shows the limitation, and a rejection of an expired one cites the rule', async () => {
      const c = await receivedCase();
      expect((await fileOf(c.id)).limitation).toBeNull();
      const endedOn = yearsBefore(c.receivedOn, 2, 1); // the day before the last day in time
      const { recordViolationPeriod } = await ok(RECORD, { i: { caseId: c.id, startedOn: '2023-03-01', endedOn } });
      expect(recordViolationPeriod.limitation).toEqual({
        expired: true,
        rule: violationLimitation.rule,
        source: violationLimitation.source,
        startedOn: '2023-03-01',
        endedOn,
        lastDay: yearsBefore(c.receivedOn, 0, 1),
        firstComplaintOn: c.receivedOn,
      });
      await ok(REJECT, { i: { caseId: c.id, reason: '违法行为终了已超过两年，不再查处' } });
      const file = await fileOf(c.id);
      expect(file.events.find((e) => e.type === 'VIOLATION_PERIOD_RECORDED')!.payload).toMatchObject({
        startedOn: '2023-03-01',
        endedOn,
        previously: { startedOn: null, endedOn: null },
        limitation: { expired: true },
      });
      expect(file.events.find((e) => e.type === 'REJECTED')!.payload).toEqual({
        reason: '违法行为终了已超过两年，不再查处',
        limitation: {
          rule: violationLimitation.rule,
          source: violationLimitation.source,
          endedOn,
          lastDay: yearsBefore(c.receivedOn, 0, 1),
        },
      });
    });

    it('a violation that ended exactly two years before the complaint is in time; its rejection cites no limitation', async () => {
      const c = await receivedCase();
      const endedOn = yearsBefore(c.receivedOn, 2);
      const { recordViolationPeriod } = await ok(RECORD, { i: { caseId: c.id, startedOn: yearsBefore(c.receivedOn, 3), endedOn } });
      expect(recordViolationPeriod.limitation).toMatchObject({ expired: false, lastDay: c.receivedOn });
      await ok(REJECT, { i: { caseId: c.id, reason: '不属于本部门管辖' } });
      expect((await fileOf(c.id)).events.find((e) => e.type === 'REJECTED')!.payload).toEqual({ reason: '不属于本部门管辖' });
    });

    it('refuses a period that ends before it begins or lies in the future, and callers without the role', async () => {
      const c = await receivedCase();
      const bad = async (i: Record<string, unknown>, who = inspector()) =>
        (await call(RECORD, { i: { caseId: c.id, ...i } }, who)).errors?.[0]?.extensions;
      expect(await bad({ startedOn: '2025-05-01', endedOn: '2025-04-01' })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.endedOn',
        rule: 'date.order',
      });
      expect(await bad({ startedOn: '2099-01-01' })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.startedOn',
        rule: 'not-in-future',
      });
      expect(await bad({ startedOn: '2025-01-01', endedOn: '2099-01-01' })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.endedOn',
      });
      expect(await bad({ startedOn: '2025-01-01' }, api.as(city.clerk, city.xichengHrss))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await bad({ startedOn: '2025-01-01' }, api.as(city.chaoyangInspector, city.chaoyangHrss))).toMatchObject({
        code: 'NOT_FOUND',
      });
      // A continuing violation: recorded without an end, not expired.
      const { recordViolationPeriod } = await ok(RECORD, { i: { caseId: c.id, startedOn: '2020-01-01' } });
      expect(recordViolationPeriod.limitation).toMatchObject({ expired: false, endedOn: null, lastDay: null });
    });

    // The period as the complaint itself states it (issue 14): recorded on the new case and flagged at intake.
    const INTAKE_PERIOD = `mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) {
      outcome warnings { field rule message } case { id receivedAt limitation { expired startedOn endedOn lastDay rule source } } } }`;
    const today = () => DateTime.now().setZone('UTC+8').toISODate()!;
    const complaint = (period: Record<string, unknown>) => ({
      i: {
        channel: 'WALK_IN',
        contactPhone: `1370000${String(2000 + seq++)}`,
        description: '两年多前的工资至今未付',
        regionCode: '110102003',
        ...period,
      },
    });

    it('a complaint that states arrears which ended more than two years before it is flagged at intake with the rule', async () => {
      const endedOn = yearsBefore(today(), 2, 1);
      const { intakeComplaint } = await ok(INTAKE_PERIOD, complaint({ violationStartedOn: '2023-03-01', violationEndedOn: endedOn }));
      expect(intakeComplaint.outcome).toBe('CREATED');
      expect(intakeComplaint.case.limitation).toEqual({
        expired: true,
        startedOn: '2023-03-01',
        endedOn,
        lastDay: yearsBefore(today(), 0, 1),
        rule: violationLimitation.rule,
        source: violationLimitation.source,
      });
      expect(intakeComplaint.warnings).toEqual([
        { field: 'input.violationEndedOn', rule: 'limitation.expired', message: expect.stringContaining('劳动保障监察条例 第二十条') },
      ]);
      // The first entry of the file carries the stated period and the rule; a rejection cites it as before.
      const file = await fileOf(intakeComplaint.case.id as string);
      expect(file.limitation).toEqual({ expired: true });
      expect(file.events.find((e) => e.type === 'RECEIVED')!.payload).toMatchObject({
        violationPeriod: { startedOn: '2023-03-01', endedOn },
        limitation: {
          expired: true,
          lastDay: yearsBefore(today(), 0, 1),
          rule: violationLimitation.rule,
          source: violationLimitation.source,
        },
      });
      await ok(REJECT, { i: { caseId: intakeComplaint.case.id, reason: '违法行为终了已超过两年，不再查处' } });
      expect((await fileOf(intakeComplaint.case.id as string)).events.find((e) => e.type === 'REJECTED')!.payload).toMatchObject({
        limitation: { endedOn, rule: violationLimitation.rule },
      });
    });

    it('a complaint whose arrears ended two years ago to the day, or continue, is in time: no warning', async () => {
      const inTime = await ok(INTAKE_PERIOD, complaint({ violationStartedOn: '2023-03-01', violationEndedOn: yearsBefore(today(), 2) }));
      expect(inTime.intakeComplaint.warnings).toEqual([]);
      expect(inTime.intakeComplaint.case.limitation).toMatchObject({ expired: false, lastDay: today() });
      const continuing = await ok(INTAKE_PERIOD, complaint({ violationStartedOn: '2020-01-01' }));
      expect(continuing.intakeComplaint.warnings).toEqual([]);
      expect(continuing.intakeComplaint.case.limitation).toMatchObject({ expired: false, endedOn: null, lastDay: null });
      // Without a period, nothing changes: no limitation until a caseworker records one.
      const none = await ok(INTAKE_PERIOD, complaint({}));
      expect(none.intakeComplaint.case.limitation).toBeNull();
      expect((await fileOf(none.intakeComplaint.case.id as string)).events[0]!.payload).not.toHaveProperty('limitation');
    });

    it('refuses a stated period that ends before it begins, lies after the receipt, or has an end without a beginning', async () => {
      const bad = async (period: Record<string, unknown>) => (await call(INTAKE_PERIOD, complaint(period))).errors?.[0]?.extensions;
      expect(await bad({ violationStartedOn: '2025-05-01', violationEndedOn: '2025-04-01' })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.violationEndedOn',
        rule: 'date.order',
      });
      expect(await bad({ violationStartedOn: '2099-01-01' })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.violationStartedOn',
        rule: 'not-after-receipt',
      });
      expect(await bad({ violationEndedOn: '2024-01-01' })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.violationStartedOn',
        rule: 'required-with-end',
      });
    });
  });
});
