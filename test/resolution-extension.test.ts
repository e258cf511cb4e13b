import { caseWorkflowId } from '../src/cases/case-workflow';
import { caseLifecycleStateQuery } from '../workflows';
import { addEmployer } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

/**
 * 延期 on the time-skipping server: the resolution clock of 60 working days, extended once by 30 working days
 * with a supervisor's approval (劳动保障监察条例 第十七条), escalates only when the extended deadline passes.
 */
describe('resolution extension', () => {
  const s = useProcessHarness('extension-test');

  it('a supervisor extends once; the clock then runs to the extended deadline, not the original one', async () => {
    const { case: received } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'WALK_IN',
      contactPhone: '13500004001',
      description: '拖欠三个月工资',
      // An employer like the contractor, of its own: complaints about one employer join one case (一事一案).
      employerUscc: (await addEmployer(s.db.orm.em.fork(), s.city.contractor)).uscc,
      regionCode: '110102003',
    });
    await s.h.services.cases.recordContact(s.h.as(s.city.clerk), { caseId: received.id, kind: 'CALL', outcome: 'REACHED' });
    const c = await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: received.id });
    await s.h.relay.drain();
    const handle = s.h.env.client.workflow.getHandle(caseWorkflowId(c.id));
    const escalations = async () =>
      (
        await s.db.orm.em
          .fork()
          .getConnection()
          .execute<Array<{ kind: string }>>(`select payload->>'kind' as kind from case_event where case_id = ? and type = 'ESCALATED'`, [
            c.id,
          ])
      ).map((r) => r.kind);

    await expect(
      s.h.services.processes.approveExtension(s.h.as(s.city.inspector), { caseId: c.id, reason: '需调取银行流水' }),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const extended = await s.h.services.processes.approveExtension(s.h.as(s.city.supervisor), {
      caseId: c.id,
      reason: '需调取银行流水，延长三十个工作日',
    });
    expect(extended.resolutionExtendedDue!.getTime()).toBeGreaterThan(c.resolutionDue!.getTime());
    await expect(
      s.h.services.processes.approveExtension(s.h.as(s.city.director), { caseId: c.id, reason: '再次延长' }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    const state = await handle.query(caseLifecycleStateQuery);
    expect(state).toMatchObject({
      extended: true,
      openDeadlines: [{ name: 'resolution', due: extended.resolutionExtendedDue!.toISOString() }],
    });

    await s.h.env.sleep(c.resolutionDue!.getTime() + 86_400_000 - (await s.h.env.currentTimeMs())); // a day past the 60 working days
    expect(await escalations()).toEqual([]);
    await s.h.env.sleep(extended.resolutionExtendedDue!.getTime() + 3_600_000 - (await s.h.env.currentTimeMs()));
    expect(await escalations()).toEqual(['RESOLUTION_OVERDUE']);
    const file = await s.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ type: string; actor_user_id: string; after: Record<string, unknown> }>>(
        `select type, actor_user_id, after from case_event where case_id = ? and type = 'RESOLUTION_EXTENDED'`,
        [c.id],
      );
    expect(file).toEqual([
      {
        type: 'RESOLUTION_EXTENDED',
        actor_user_id: s.city.supervisor.id,
        after: { resolutionExtendedDue: extended.resolutionExtendedDue!.toISOString() },
      },
    ]);
  });
});
