import { Agency, User } from '../src/agencies/agency.entity';
import { canSeeCase } from '../src/auth/access';
import { Case } from '../src/cases/case.entity';
import { processServiceOf } from '../src/processes/process-module';
import { handoverModule } from '../src/processes/handover/handover.module';
import { inspectionSeesCase, mayChangeCase, type CaseGrant } from '../src/policy/case-grants';
import type { CaseScope } from '../src/policy/case-scope';
import { Region } from '../src/regions/region.entity';
import { addEmployer } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

/**
 * 协查: a case handed over to another city's inspection agency, whose region does not cover the case. While the
 * handover waits, the receiver's supervisors and directors see the case (to accept or return it) and change
 * nothing, the sender owns it (首问负责); on acceptance the receiver owns it, all its staff see it in their lists,
 * only it changes it, and the case's own region reads it; handed on again, the former owner keeps reading it.
 * Labour inspection without such a grant keeps the region-only scope (the list's per-region walk and tally).
 */
describe('cross-region handover (协查)', () => {
  const s = useProcessHarness('cross-region-handover-test');
  let phone = 13600009000;
  let tianjin: Agency;
  let tjSupervisor: User;
  let tjDirector: User;
  let tjInspector: User;

  beforeAll(async () => {
    const em = s.db.orm.em.fork();
    em.create(Region, { code: '120000', name: '天津市', level: 'PROVINCE', path: '120000' });
    em.create(Region, { code: '120100', name: '市辖区', level: 'CITY', path: '120000/120100', parent: '120000' });
    em.create(Region, { code: '120101', name: '和平区', level: 'DISTRICT', path: '120000/120100/120101', parent: '120100' });
    tianjin = em.create(Agency, { kind: 'HRSS_INSPECTION', name: '天津市劳动保障监察总队', region: '120100' });
    tjSupervisor = em.create(User, { agency: tianjin.id, name: '津科长', roles: ['SUPERVISOR'] });
    tjDirector = em.create(User, { agency: tianjin.id, name: '津队长', roles: ['DIRECTOR'] });
    tjInspector = em.create(User, { agency: tianjin.id, name: '津监察', roles: ['INSPECTOR'] });
    await em.flush();
  });

  const handovers = () => processServiceOf(s.h.services, handoverModule);
  const caseRow = (id: string) => s.db.orm.em.fork().findOneOrFail(Case, { id });
  const sees = (user: User, caseId: string) => {
    const ctx = s.h.as(user);
    return canSeeCase(ctx.em, ctx.actor, caseId);
  };
  const listed = async (user: User) => {
    const ctx = s.h.as(user);
    const list = ctx.services.cases.list(ctx, {});
    const page = await list.page({ first: 500, order: 'RECEIVED_AT_DESC' });
    return page.nodes.map((n) => n.id);
  };
  const countOf = (user: User, statuses: Case['status'][]) => {
    const ctx = s.h.as(user);
    return ctx.services.cases.list(ctx, { statuses }).count();
  };
  const scopeUsed = (user: User) => {
    const ctx = s.h.as(user);
    return (ctx.services.cases.list(ctx, {}) as unknown as { scope(): Promise<CaseScope> }).scope();
  };
  const contact = (user: User, caseId: string) =>
    s.h.services.cases.recordContact(s.h.as(user), { caseId, kind: 'CALL', outcome: 'REACHED' });

  /** An accepted Xicheng case about a Tianjin-registered contractor's site, owned by the Xicheng brigade. */
  async function xichengCase() {
    const employer = await addEmployer(s.db.orm.em.fork(), s.city.contractor, { region: null });
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'WALK_IN',
      contactPhone: String(phone++),
      description: '天津总包单位在西城项目拖欠8名工人工资',
      employerUscc: employer.uscc,
      regionCode: '110102003',
      amountClaimedFen: 6_400_000,
      workersAffected: 8,
    });
    await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    return c.id;
  }
  async function handedToTianjin(caseId: string) {
    const p = await handovers().handOver(s.h.as(s.city.inspector), {
      caseId,
      toAgencyId: tianjin.id,
      reason: '用人单位注册地在天津，请求协查',
    });
    await s.h.relay.drain();
    return p;
  }

  it('while pending: the receiver’s supervisors and directors see the case and change nothing; the sender owns and changes it', async () => {
    const caseId = await xichengCase();
    expect(await sees(tjSupervisor, caseId)).toBe(false);
    const p = await handedToTianjin(caseId);
    expect(p.status).toBe('REQUESTED');
    const requested = (await s.h.fileOf(caseId)).find((e) => e.type === 'HANDOVER_REQUESTED')!;
    expect(requested.payload).toMatchObject({ toAgencyId: tianjin.id, crossRegion: true });

    // The receiver's answerers see it, in their list too; its other staff do not, until it accepts.
    expect(await sees(tjSupervisor, caseId)).toBe(true);
    expect(await sees(tjDirector, caseId)).toBe(true);
    expect(await sees(tjInspector, caseId)).toBe(false);
    expect(await listed(tjSupervisor)).toContain(caseId);
    expect(await listed(tjInspector)).not.toContain(caseId);
    await expect(s.h.services.cases.byId(s.h.as(tjInspector), caseId)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect((await s.h.services.cases.byId(s.h.as(tjSupervisor), caseId)).id).toBe(caseId);
    // … and change nothing of it: it is not theirs yet (首问负责).
    await expect(contact(tjSupervisor, caseId)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(s.h.services.cases.assignLead(s.h.as(tjDirector), { caseId, inspectorId: tjInspector.id })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    // The sender owns it and keeps every right; the Beijing corps reads it by region.
    expect((await caseRow(caseId)).owningAgency).toBe(s.city.xichengHrss.id);
    await contact(s.city.inspector, caseId);
    expect(await sees(s.city.cityDirector, caseId)).toBe(true);
    // Other agencies' inspectors (Chaoyang) still do not see it.
    expect(await sees(s.city.chaoyangInspector, caseId)).toBe(false);
  });

  it('on acceptance the receiver owns it, lists and counts it, and alone changes it; the region reads it; handed back, Tianjin keeps reading', async () => {
    const caseId = await xichengCase();
    const p = await handedToTianjin(caseId);
    // A receiver's inspector cannot answer (not even see it); its director accepts.
    await expect(s.h.step(tjInspector, p.id, 'acceptHandover', { note: '' })).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await s.h.step(tjDirector, p.id, 'acceptHandover', { note: '天津总队二支队承办' });
    expect((await caseRow(caseId)).owningAgency).toBe(tianjin.id);

    // All Tianjin staff see it, in their lists and counts (not by region: by the grant).
    expect(await sees(tjInspector, caseId)).toBe(true);
    expect(await listed(tjInspector)).toContain(caseId);
    expect(await countOf(tjInspector, ['ACCEPTED', 'IN_PROGRESS'])).toBeGreaterThanOrEqual(1);
    expect((await scopeUsed(tjInspector)).regionOnly).toBeFalsy();
    // Its statistics count what it lists (read from its cases, not from the region rollup, which does not hold them).
    const tjStats = await s.h.services.statistics.figures(s.h.as(tjInspector), {});
    expect(tjStats.totals.casesReceived).toBe((await listed(tjInspector)).length);
    expect(tjStats.totals.casesReceived).toBeGreaterThanOrEqual(1);
    // Tianjin acts on it: a lead of its own, a contact.
    await s.h.services.cases.assignLead(s.h.as(tjDirector), { caseId, inspectorId: tjInspector.id });
    await contact(tjInspector, caseId);

    // The sender and its city read it (by region, on the fast path: Xicheng holds no grant) and change nothing.
    expect((await scopeUsed(s.city.inspector)).regionOnly).toBe(true);
    expect(await listed(s.city.inspector)).toContain(caseId);
    const xcCount = await countOf(s.city.inspector, ['IN_PROGRESS']);
    expect(xcCount).toBe(await countByRegion('110102', 'IN_PROGRESS'));
    await expect(contact(s.city.inspector, caseId)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(contact(s.city.cityDirector, caseId)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(handedToTianjin(caseId)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });

    // Tianjin hands it back to Xicheng (within Xicheng's region: no grant needed), which accepts.
    const back = await handovers().handOver(s.h.as(tjDirector), {
      caseId,
      toAgencyId: s.city.xichengHrss.id,
      reason: '协查完毕，交回属地',
    });
    await s.h.relay.drain();
    await s.h.step(s.city.supervisor, back.id, 'acceptHandover', { note: '西城大队继续办理' });
    expect((await caseRow(caseId)).owningAgency).toBe(s.city.xichengHrss.id);
    await contact(s.city.inspector, caseId);
    // Tianjin keeps reading what it handled, all its staff, and changes nothing.
    expect(await sees(tjInspector, caseId)).toBe(true);
    expect(await listed(tjInspector)).toContain(caseId);
    await expect(contact(tjInspector, caseId)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await grantsOf(caseId)).toEqual([{ agency_id: tianjin.id, access: 'HANDLED' }]);
  });

  it('returned, the receiver no longer sees the case', async () => {
    const caseId = await xichengCase();
    const p = await handedToTianjin(caseId);
    await s.h.step(tjSupervisor, p.id, 'returnHandover', { reason: '用人单位已迁出天津，不予协查' });
    expect((await caseRow(caseId)).owningAgency).toBe(s.city.xichengHrss.id);
    expect(await sees(tjSupervisor, caseId)).toBe(false);
    expect(await listed(tjSupervisor)).not.toContain(caseId);
    expect(await grantsOf(caseId)).toEqual([]);
    await contact(s.city.inspector, caseId);
  });

  it('the TypeScript predicates agree with the SQL scope and the change check, for every inspection persona and case', async () => {
    const em = s.db.orm.em.fork();
    const cases = await em.find(Case, {});
    const grants = await em
      .getConnection()
      .execute<Array<{ case_id: string; agency_id: string; access: CaseGrant }>>('select case_id, agency_id, access from case_access');
    expect(grants.length).toBeGreaterThan(0);
    const users = [
      s.city.clerk,
      s.city.inspector,
      s.city.supervisor,
      s.city.director,
      s.city.cityDirector,
      s.city.chaoyangInspector,
      tjSupervisor,
      tjDirector,
      tjInspector,
    ];
    const failures: string[] = [];
    let seen = 0;
    for (const user of users) {
      const ctx = s.h.as(user);
      for (const c of cases) {
        const [{ in_region: inRegion }] = (await em.getConnection().execute(
          `select c.region_code in (select r.code from region r where r.ancestors @> array[(select ag.region_code from agency ag where ag.id = ?)]::text[]) as in_region
               from wage_case c where c.id = ?`,
          [user.agency, c.id],
        )) as [{ in_region: boolean }];
        const caseGrants = grants.filter((g) => g.case_id === c.id).map((g) => ({ agencyId: g.agency_id, access: g.access }));
        const ts = inspectionSeesCase(ctx.actor!, { inRegionOfActor: inRegion, grants: caseGrants });
        const sql = await canSeeCase(em, ctx.actor, c.id);
        if (ts !== sql) failures.push(`${user.name} on ${c.number}: inspectionSeesCase ${ts}, SQL ${sql}`);
        if (!sql) continue;
        seen++;
        const may = mayChangeCase(ctx.actor!, {
          owningAgency: c.owningAgency,
          inRegionOfActor: inRegion,
          heldByGrant: caseGrants.some((g) => g.agencyId === c.owningAgency && g.access === 'OWNER'),
        });
        // The service's check (authorizeCaseChange, before the status is looked at) answers the same: a contact, a step
        // every labour inspection role may take.
        const refused = await s.h.services.cases
          .recordContact(s.h.as(user), { caseId: c.id, kind: 'CALL', outcome: 'NO_ANSWER' })
          .then(() => false)
          .catch((e: { extensions?: { code?: string } }) => e.extensions?.code === 'FORBIDDEN');
        if (may === refused) failures.push(`${user.name} on ${c.number}: mayChangeCase ${may}, service ${refused ? 'refused' : 'allowed'}`);
      }
    }
    expect(seen).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });

  async function grantsOf(caseId: string) {
    return s.db.orm.em
      .fork()
      .getConnection()
      .execute('select agency_id, access from case_access where case_id = ? order by agency_id', [caseId]);
  }
  async function countByRegion(district: string, status: string) {
    const [{ n }] = (await s.db.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as n from wage_case where region_code like ? and status = ?`, [`${district}%`, status])) as [
      { n: number },
    ];
    return n;
  }
});
