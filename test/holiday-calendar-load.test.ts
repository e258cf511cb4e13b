import { Worker } from '@temporalio/worker';
import type { LoadHolidayYearInput } from '../src/calendar/holiday-calendar.service';
import { Case } from '../src/cases/case.entity';
import { toCaseType } from '../src/cases/case.types';
import { caseWorkflowId } from '../src/cases/case-workflow';
import { acceptanceDeadline, resolutionDeadline, sameDayContactDeadline } from '../src/cases/deadlines';
import { addWorkingDays, isProvisionalDeadline } from '../src/domain/working-days';
import { caseLifecycle, caseLifecycleStateQuery } from '../workflows';
import fixture2027 from './fixtures/holiday-year-2027.fixture.json';
import { addEmployer } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';
import { startTimeSkippingServer, workflowBundle } from './support/temporal';

const HOUR = 3_600_000;
/** A clearly labelled test fixture of New Year and Spring Festival 2027, not the State Council's notice. */
const fixture = fixture2027 as LoadHolidayYearInput;
const bj = (local: string) => new Date(`${local}+08:00`);

/**
 * Loading a year of the holiday calendar (issue 14, legal clocks item 1) on the time-skipping server: a case
 * accepted now (late 2026) has a 60-working-day resolution deadline counted across 2027, which the calendar does
 * not know yet, so it is provisional; loading 2027 counts it again, exact and later, writes the move into the case
 * file, and moves the lifecycle workflow's timer (deadlinesMoved through the outbox): the escalation fires at the
 * new deadline, not the old one. Needs the wall clock before 2027 (the test server starts at the real time).
 */
describe('loading a year of the holiday calendar', () => {
  const s = useProcessHarness('holiday-calendar-test');

  const escalations = async (caseId: string) =>
    (
      await s.db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ kind: string }>>(`select payload->>'kind' as kind from case_event where case_id = ? and type = 'ESCALATED'`, [
          caseId,
        ])
    ).map((r) => r.kind);

  it('makes a provisional resolution deadline exact and later, records it in the case file and moves the clock', async () => {
    const { case: received } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'WALK_IN',
      contactPhone: '13500007001',
      description: '年底拖欠工资',
      // An employer like the contractor, of its own: complaints about one employer join one case (一事一案).
      employerUscc: (await addEmployer(s.db.orm.em.fork(), s.city.contractor)).uscc,
      regionCode: '110102003',
    });
    await s.h.services.cases.recordContact(s.h.as(s.city.clerk), { caseId: received.id, kind: 'CALL', outcome: 'REACHED' });
    const accepted = await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: received.id });
    await s.h.relay.drain();
    const oldDue = accepted.resolutionDue!;
    expect(toCaseType(accepted).deadlines).toMatchObject({ resolutionProvisional: true, acceptanceProvisional: false, provisional: true });

    // Only the top-level inspection agency's director loads the calendar.
    for (const user of [s.city.director, s.city.inspector, s.city.supervisor])
      await expect(s.h.services.calendar.loadYear(s.h.as(user), fixture)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(
      s.h.services.calendar.loadYear(s.h.as(s.city.cityDirector), {
        ...fixture,
        days: [{ date: '2027-13-01', kind: 'HOLIDAY', name: '元旦' }],
      }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.days[0].date' } });
    expect(isProvisionalDeadline(oldDue)).toBe(true); // a refused load changes nothing

    const loaded = await s.h.services.calendar.loadYear(s.h.as(s.city.cityDirector), fixture);
    expect(loaded).toMatchObject({ year: 2027, holidays: 12, adjustedWorkdays: 1 });
    expect(loaded.casesMoved).toBeGreaterThanOrEqual(1);

    const c = await s.db.orm.em.fork().findOneOrFail(Case, { id: accepted.id });
    const newDue = c.resolutionDue!;
    expect(newDue.getTime()).toBeGreaterThan(oldDue.getTime());
    expect(newDue).toEqual(resolutionDeadline(c.acceptedAt!, 'WALK_IN'));
    expect(toCaseType(c).deadlines).toMatchObject({ resolution: newDue, resolutionProvisional: false, provisional: false });
    const file = (await s.h.fileOf(c.id)).filter((e) => e.type === 'DEADLINES_RECOUNTED');
    expect(file).toHaveLength(1);
    expect(file[0]!.payload).toMatchObject({
      calendarYear: 2027,
      before: { resolutionDue: oldDue.toISOString() },
      after: { resolutionDue: newDue.toISOString() },
    });
    const rows = await s.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ n: string; by: string }>>(
        `select count(*) as n, max(y.loaded_by::text) as by from calendar_day d join calendar_year y using (year) where year = 2027`,
      );
    expect(rows[0]).toEqual({ n: '13', by: s.city.cityDirector.id });

    await s.h.relay.drain();
    const handle = s.h.env.client.workflow.getHandle(caseWorkflowId(c.id));
    expect((await handle.query(caseLifecycleStateQuery)).openDeadlines).toEqual([
      { name: 'resolution', due: newDue.toISOString(), waitingOn: 'lead inspector' },
    ]);

    await s.h.env.sleep(oldDue.getTime() + HOUR - (await s.h.env.currentTimeMs())); // past the old, provisional deadline
    expect(await escalations(c.id)).toEqual([]);
    await s.h.env.sleep(newDue.getTime() - HOUR - (await s.h.env.currentTimeMs()));
    expect(await escalations(c.id)).toEqual([]);
    await s.h.env.sleep(2 * HOUR);
    expect(await escalations(c.id)).toEqual(['RESOLUTION_OVERDUE']);
  });
});

/**
 * One clock across the 2026 National Day holiday (10-01 … 10-07, and Saturday 10-10 worked) with its real
 * duration: a complaint received Wednesday 30 Sep at 10:00 must be accepted by the end of Tuesday 13 Oct (5 working
 * days: 8, 9, 10, 12, 13), 13 days and 14 hours later, not by the end of Wednesday 7 Oct (5 weekdays). The test
 * server's clock starts at the real time, so the lifecycle runs that duration from now: the instants are those of
 * 30 Sep shifted to now, the waits are the real ones.
 */
describe('a clock across the 2026 National Day holiday', () => {
  it('escalates a missed acceptance 13 days and 14 hours after a 30 September arrival, not after 5 weekdays', async () => {
    const receivedAt = bj('2026-09-30T10:00:00');
    const acceptanceDue = acceptanceDeadline(receivedAt, 'WALK_IN');
    expect(acceptanceDue).toEqual(bj('2026-10-13T23:59:59.999'));
    expect(acceptanceDue.getTime() - receivedAt.getTime()).toBe(13 * 24 * HOUR + 14 * HOUR - 1);
    const weekdaysOnly = bj('2026-10-07T23:59:59.999');

    const env = await startTimeSkippingServer();
    const fired: string[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'national-day',
      workflowBundle: await workflowBundle(),
      activities: {
        recordEscalation: async ({ kind }: { kind: string }) => {
          fired.push(kind);
          return { recorded: true };
        },
        recordProcessStep: async () => ({ recorded: true }),
      },
    });
    try {
      await worker.runUntil(async () => {
        const start = await env.currentTimeMs();
        const shifted = (d: Date) => new Date(start + d.getTime() - receivedAt.getTime()).toISOString();
        const handle = await env.client.workflow.start(caseLifecycle, {
          taskQueue: 'national-day',
          workflowId: 'case-national-day',
          args: [
            {
              caseId: '00000000-0000-4000-8000-000000000930',
              sameDayContactDue: shifted(sameDayContactDeadline(receivedAt)),
              acceptanceDue: shifted(acceptanceDue),
              contacted: true,
            },
          ],
        });
        await handle.query(caseLifecycleStateQuery);
        await env.sleep(weekdaysOnly.getTime() - receivedAt.getTime() + HOUR); // five weekdays and an hour
        expect(fired).toEqual([]);
        await env.sleep(acceptanceDue.getTime() - weekdaysOnly.getTime() - 2 * HOUR); // an hour before the deadline
        expect(fired).toEqual([]);
        await env.sleep(2 * HOUR);
        expect(fired).toEqual(['ACCEPTANCE_OVERDUE']);
        expect(addWorkingDays(receivedAt, 5)).toEqual(acceptanceDue);
        await handle.terminate();
      });
    } finally {
      await env.teardown();
    }
  });
});
