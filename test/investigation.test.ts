import type { User } from '../src/agencies/agency.entity';
import { addEmployer } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';
import { statementsOf } from './support/background-statements';

const HOUR = 3_600_000;

/** 调查 on the record: the team, inquiries and evidence, each with two inspectors present (行政处罚法 第四十二条). */
describe('investigation on the record', () => {
  const s = useProcessHarness('investigation-test');
  let phone = 13600006000;
  const inv = () => s.h.services.investigation;

  async function accepted(accept = true) {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'HOTLINE_12333',
      contactPhone: String(phone++),
      description: '工地拖欠工资',
      // An employer like the contractor, of its own: complaints about one employer join one case (一事一案).
      employerUscc: (await addEmployer(s.db.orm.em.fork(), s.city.contractor)).uscc,
      regionCode: '110102003',
    });
    if (accept) await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    return c;
  }
  const inquiry = (caseId: string, inspectors: User[]) => ({
    caseId,
    personAsked: '张某（工人代表）',
    capacity: '工人',
    askedAt: new Date(Date.now() - HOUR),
    place: '西城区人社局询问室',
    inspectorIds: inspectors.map((u) => u.id),
    fileRef: '京西人社监询〔2026〕7号',
  });
  const evidence = (caseId: string, inspectors: User[]) => ({
    caseId,
    kind: 'DOCUMENTARY' as const,
    description: '2026年8月至10月工资表复印件',
    collectedAt: new Date(Date.now() - 2 * HOUR),
    collectedBy: inspectors.map((u) => u.id),
    fileRef: '证据〔2026〕7-1',
  });

  it('needs two inspectors of the owning agency present, each record a case-file entry, and shows it to labour inspection only', async () => {
    const c = await accepted();
    const { inspector, inspector2, supervisor, director, clerk, chaoyangInspector } = s.city;

    // 行政处罚法 第四十二条: one inspector alone (or named twice) is refused, with the field and the rule.
    await expect(inv().recordInquiry(s.h.as(inspector), inquiry(c.id, [inspector]))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.inspectorIds', rule: 'officers.two-present' },
    });
    await expect(inv().recordInquiry(s.h.as(inspector), inquiry(c.id, [inspector, inspector]))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', rule: 'officers.two-present' },
    });
    await expect(inv().recordEvidence(s.h.as(inspector), evidence(c.id, [inspector]))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.collectedBy', rule: 'officers.two-present' },
    });
    // Present means inspectors of the agency that owns the case: not a clerk, not another district's inspector.
    await expect(inv().recordInquiry(s.h.as(inspector), inquiry(c.id, [inspector, clerk]))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', rule: 'inspector.own-agency' },
    });
    await expect(inv().recordInquiry(s.h.as(inspector), inquiry(c.id, [inspector, chaoyangInspector]))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', rule: 'inspector.own-agency' },
    });
    await expect(
      inv().recordInquiry(s.h.as(inspector), { ...inquiry(c.id, [inspector, inspector2]), askedAt: new Date(Date.now() + 2 * HOUR) }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.askedAt', rule: 'time.not-future' } });
    // Who may record: the owning agency's caseworkers; the team is named by a supervisor or director.
    await expect(inv().recordInquiry(s.h.as(clerk), inquiry(c.id, [inspector, inspector2]))).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(inv().recordInquiry(s.h.as(s.city.cityDirector), inquiry(c.id, [inspector, inspector2]))).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(inv().recordInquiry(s.h.as(s.city.policeOfficer), inquiry(c.id, [inspector, inspector2]))).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    await expect(inv().setTeam(s.h.as(inspector), { caseId: c.id, inspectorIds: [inspector2.id] })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });

    await inv().setTeam(s.h.as(supervisor), { caseId: c.id, inspectorIds: [inspector2.id, director.id] });
    await inv().setTeam(s.h.as(director), { caseId: c.id, inspectorIds: [inspector2.id] });
    await inv().recordInquiry(s.h.as(inspector), inquiry(c.id, [inspector, inspector2]));
    await inv().recordEvidence(s.h.as(inspector2), evidence(c.id, [inspector, inspector2]));

    const file = await s.h.fileOf(c.id);
    expect(file.filter((e) => e.type === 'INVESTIGATION_TEAM_SET').map((e) => e.payload)).toEqual([
      { team: [inspector2.id, director.id], previous: [] },
      { team: [inspector2.id], previous: expect.arrayContaining([inspector2.id, director.id]) },
    ]);
    expect(file.find((e) => e.type === 'INQUIRY_RECORDED')!.payload).toMatchObject({
      inspectorIds: [inspector.id, inspector2.id],
      fileRef: '京西人社监询〔2026〕7号',
    });
    expect(file.find((e) => e.type === 'EVIDENCE_RECORDED')!.payload).toMatchObject({ kind: 'DOCUMENTARY', fileRef: '证据〔2026〕7-1' });

    await s.h.services.cases.assignLead(s.h.as(supervisor), { caseId: c.id, inspectorId: inspector.id });
    const lead = { id: c.id, leadInspectorId: inspector.id };
    const seen = await inv().investigationOf(s.h.as(supervisor), lead);
    expect(seen).toMatchObject({
      leadId: inspector.id,
      teamIds: [inspector2.id],
      inquiries: [{ personAsked: '张某（工人代表）', place: '西城区人社局询问室', inspectorIds: [inspector.id, inspector2.id] }],
      evidence: [{ kind: 'DOCUMENTARY', collectedBy: [inspector.id, inspector2.id] }],
    });
    // Labour inspection's alone: any other agency sees nothing of it.
    for (const other of [s.city.districtOfficer, s.city.policeOfficer, s.city.regulatorOfficer, s.city.unionMediator, s.city.hotline])
      expect(await inv().investigationOf(s.h.as(other), lead)).toBeNull();
  });

  it('is recorded only on an accepted case', async () => {
    const c = await accepted(false);
    await expect(inv().recordInquiry(s.h.as(s.city.inspector), inquiry(c.id, [s.city.inspector, s.city.inspector2]))).rejects.toMatchObject(
      { extensions: { code: 'CONFLICT', rule: 'case.status' } },
    );
  });

  it('reads the investigations of many cases in three queries (no N+1)', async () => {
    const cases = [await accepted(), await accepted(), await accepted()];
    for (const c of cases) await inv().recordEvidence(s.h.as(s.city.inspector), evidence(c.id, [s.city.inspector, s.city.inspector2]));
    const ctx = s.h.as(s.city.inspector);
    const { result: all, statements } = await statementsOf(ctx.em.getConnection(), () =>
      Promise.all(cases.map((c) => inv().investigationOf(ctx, { id: c.id, leadInspectorId: null }))),
    );
    expect(all.map((i) => i!.evidence.length)).toEqual([1, 1, 1]);
    expect(statements).toHaveLength(3);
  });
});
