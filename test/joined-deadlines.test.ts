import { caseWorkflowId } from '../src/cases/case-workflow';
import { caseLifecycleStateQuery } from '../workflows';
import { addProject } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

/**
 * Issue 14: a complaint on a channel with a stricter clock (12345: accept within 1 working day, answer within 15)
 * joins a walk-in case (5 and 60 working days): the case's deadline moves earlier, and its lifecycle workflow,
 * told through the outbox, escalates at the new instant — the real durations, on the time-skipping server.
 */
describe('a joining channel’s stricter clock reaches the lifecycle workflow', () => {
  const s = useProcessHarness('joined-deadlines');
  let phone = 13_600_005_000;

  const escalations = async (caseId: string) =>
    s.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ kind: string; deadline: string }>>(
        `select payload->>'kind' as kind, payload->>'deadline' as deadline from case_event where case_id = ? and type = 'ESCALATED' order by seq`,
        [caseId],
      );
  const untilPast = async (due: string) => {
    const now = await s.h.env.currentTimeMs();
    await s.h.env.sleep(Math.max(1, Date.parse(due) - now + 60_000));
  };
  const movedOf = async (caseId: string) => {
    const file = await s.h.fileOf(caseId);
    return file.at(-1)!.payload.deadlinesMoved as Record<string, { from: string; to: string }>;
  };

  /**
   * A walk-in case on a project like XC-2026-001 (of its own: complaints about one project join one case), contacted;
   * then the same worker calls 12345 about it.
   */
  async function walkInJoinedBy12345(opts: { accept: boolean }) {
    const p = String(phone++);
    const projectCode = (await addProject(s.db.orm.em.fork(), s.city.project)).code;
    const clerk = s.h.as(s.city.inspector);
    const { case: c } = await s.h.services.intake.intake(clerk, {
      channel: 'WALK_IN',
      contactPhone: p,
      description: '项目部拖欠工资',
      projectCode,
    });
    await s.h.services.cases.recordContact(s.h.as(s.city.inspector), { caseId: c.id, kind: 'CALL', outcome: 'REACHED' });
    if (opts.accept) await s.h.services.cases.acceptCase(s.h.as(s.city.director), { caseId: c.id });
    await s.h.relay.drain();
    const hotline = s.h.as(s.city.hotline);
    const joined = await s.h.services.intake.intake(hotline, {
      channel: 'HOTLINE_12345',
      contactPhone: p,
      description: '12345: 项目部拖欠工资',
      projectCode,
    });
    expect(joined.outcome).toBe('JOINED');
    expect(joined.case.id).toBe(c.id);
    await s.h.relay.drain();
    return c;
  }

  it('escalates a missed acceptance at the hotline’s 1 working day, not the walk-in’s 5', async () => {
    const c = await walkInJoinedBy12345({ accept: false });
    const moved = (await movedOf(c.id)).acceptance!;
    expect(moved.from).toBe(c.acceptanceDue.toISOString());
    const handle = s.h.env.client.workflow.getHandle(caseWorkflowId(c.id));
    expect((await handle.query(caseLifecycleStateQuery)).openDeadlines).toEqual([
      { name: 'acceptance', due: moved.to, waitingOn: 'inspection agency' },
    ]);

    await untilPast(moved.to);
    expect(await escalations(c.id)).toEqual([{ kind: 'ACCEPTANCE_OVERDUE', deadline: moved.to }]);
    expect(await s.h.env.currentTimeMs()).toBeLessThan(Date.parse(moved.from));
  });

  it('escalates a missed resolution at the hotline’s 15 working days, not the statute’s 60', async () => {
    const c = await walkInJoinedBy12345({ accept: true });
    const moved = (await movedOf(c.id)).resolution!;
    const handle = s.h.env.client.workflow.getHandle(caseWorkflowId(c.id));
    expect((await handle.query(caseLifecycleStateQuery)).openDeadlines).toEqual([
      { name: 'resolution', due: moved.to, waitingOn: 'lead inspector' },
    ]);

    await untilPast(moved.to);
    expect(await escalations(c.id)).toEqual([{ kind: 'RESOLUTION_OVERDUE', deadline: moved.to }]);
    expect(await s.h.env.currentTimeMs()).toBeLessThan(Date.parse(moved.from));
  });
});
