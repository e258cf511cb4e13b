import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { User, type Agency } from '../src/agencies/agency.entity';
import type { TestContext as RequestContext } from './support/test-services';
import { buildAppSchema } from '../src/api/schema';
import { CaseProcess, ProcessParty } from '../src/processes/process.entity';
import { OwedWorker } from '../src/cases/owed-worker.entity';
import { processServiceOf } from '../src/processes/process-module';
import { handoverModule } from '../src/processes/handover/handover.module';
import { externalReferralModule } from '../src/processes/external-referral/external-referral.module';
import { orderToPayModule } from '../src/processes/order-to-pay/order-to-pay.module';
import { penaltyModule } from '../src/processes/penalty/penalty.module';
import { penaltyRules } from '../src/rules/penalty-rules';
import type { TestApi } from './support/api';
import type { TestDatabase } from './support/database';
import { addEmployer, addProject, type loadTestCity } from './support/fixtures';
import { startLiveStack, type LiveStack } from './support/live-stack';
import { WsCaller } from './support/ws';
import { signedInPersonas } from './support/personas';

/**
 * Every query and mutation, as every role of every agency kind (and anonymously), against data in and out of
 * the caller's scope, over HTTP: allowed or denied, cell by cell; and over graphql-ws, where every query and
 * mutation is refused with OPERATION_NOT_ALLOWED (the socket carries subscriptions only) and the subscription
 * cells are checked by subscribing. The matrix is data below; an operation the
 * schema has and the matrix lacks fails the test. "Denied" means UNAUTHENTICATED, FORBIDDEN or NOT_FOUND (a
 * record out of scope does not exist for the caller); anything else — data, or a business answer such as
 * CONFLICT — means the caller got past access control. Callers expected to be denied go first in each row, so an
 * allowed call's effects cannot make a denial look right.
 */
type Who =
  | 'anonymous'
  | 'xcClerk'
  | 'xcInspector'
  | 'xcSupervisor'
  | 'xcDirector'
  | 'cityDirector'
  | 'cyInspector'
  | 'districtOfficer'
  | 'gridWorker'
  | 'housing'
  | 'transport'
  | 'hqLiaison'
  | 'police'
  | 'prosecutor'
  | 'unionMediator'
  | 'petitionOfficer'
  | 'justiceMediator'
  | 'courtOfficer'
  | 'arbitrator'
  | 'workInjuryOfficer'
  | 'integrator';

const DENIED = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND']);

describe('access matrix: every operation × every role of every agency kind, in and out of scope', () => {
  let stack: LiveStack;
  let db: TestDatabase;
  let api: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let seq = 0;
  const phone = () => `1370000${String(1000 + seq++).padStart(4, '0')}`;

  beforeAll(async () => {
    stack = await startLiveStack('access-matrix');
    ({ db, api, city } = stack);
    await stack.startWorker();
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  function principals(): Record<Who, [User, Agency] | null> {
    return { anonymous: null, ...signedInPersonas(city) };
  }
  const headers = (who: Who) => {
    const p = principals()[who];
    return p ? api.as(p[0], p[1]) : {};
  };

  /** The services as a user, for setting targets up. */
  const as = (user: User, agency: Agency): RequestContext => stack.as(user, agency);
  const hrss = () => as(city.inspector, city.xichengHrss);
  const director = () => as(city.director, city.xichengHrss);

  /**
   * A Xicheng construction case on a project like XC-2026-001 (same site, contractor and regulator) under a code of
   * its own, so it is a matter of its own (complaints about one project join one case), sent in by the 12345
   * integrator; accepted unless told not.
   */
  async function xichengCase(opts: { accept?: boolean } = {}) {
    const ctx = as(city.hotline, city.integrator);
    const { case: c } = await ctx.services.intake.intake(ctx, {
      channel: 'HOTLINE_12345',
      contactPhone: phone(),
      complainantName: '张三',
      complainantResidentId: '110101199003074514',
      description: '工地拖欠工资',
      projectCode: (await addProject(db.orm.em.fork(), city.project)).code,
      amountClaimedFen: 63_713_000,
      workersAffected: 49,
    });
    if (opts.accept !== false) await hrss().services.cases.acceptCase(hrss(), { caseId: c.id });
    return c;
  }
  async function chaoyangCase() {
    const ctx = as(city.chaoyangInspector, city.chaoyangHrss);
    const { case: c } = await ctx.services.intake.intake(ctx, {
      channel: 'WALK_IN',
      contactPhone: phone(),
      description: '餐厅拖欠工资',
      // A restaurant like the Chaoyang one, of its own: complaints about one employer join one case.
      employerUscc: (await addEmployer(db.orm.em.fork(), city.restaurant)).uscc,
      regionCode: '110105001',
    });
    return c;
  }
  const settle = () => stack.settle();
  async function referral(
    caseId: string,
    to: 'AWAITING_APPROVAL' | 'APPROVED' | 'SENT' | 'DECLINED' | 'RECONSIDERATION_REQUESTED' | 'FILED',
  ) {
    const p = await hrss().services.processes.proposePoliceReferral(hrss(), {
      caseId,
      team: [city.inspector.id, city.inspector2.id],
      policeAgencyId: city.police.id,
      orderToPayIssuedOn: '2026-10-01',
      orderToPayDueOn: '2026-10-15',
      grounds: '逾期未支付',
    });
    await settle();
    const step = (ctx: RequestContext, update: string, args: Record<string, unknown> = {}) =>
      ctx.services.processes.step(ctx, { processId: p.id, update, args });
    if (to === 'AWAITING_APPROVAL') return p;
    await step(director(), 'approveReferral', { approve: true });
    if (to === 'APPROVED') return p;
    await step(hrss(), 'sendReferral');
    if (to === 'SENT') return p;
    const police = as(city.policeOfficer, city.police);
    if (to === 'FILED') {
      await step(police, 'decideReferral', { decision: 'FILED' });
      return p;
    }
    await step(police, 'decideReferral', { decision: 'DECLINED', reasons: '证据不足' });
    if (to === 'RECONSIDERATION_REQUESTED') await step(hrss(), 'requestReconsideration', { grounds: '补充证据' });
    return p;
  }
  async function mediation(caseId: string, agreed = false) {
    const p = await hrss().services.processes.conveneMediation(hrss(), {
      caseId,
      parties: [{ role: 'WORKER_REPRESENTATIVE', name: '工人代表' }],
      agencyIds: [city.union.id],
    });
    await settle();
    if (agreed) {
      const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
      await hrss().services.processes.step(hrss(), {
        processId: p.id,
        update: 'recordAgreement',
        args: {
          instalments: [
            { dueOn: tomorrow, amountFen: 100 },
            { dueOn: tomorrow, amountFen: 100 },
          ],
        },
      });
    }
    return p;
  }
  /** An order to pay issued by the Xicheng supervisor, due in ten days (not missed: a step that needs MISSED answers CONFLICT). */
  async function orderToPay(caseId: string) {
    const supervisor = as(city.supervisor, city.xichengHrss);
    const p = await processServiceOf(supervisor.services, orderToPayModule).issue(supervisor, {
      caseId,
      workers: [{ name: '王建国', amountFen: 500_000 }],
      dueOn: new Date(Date.now() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10),
    });
    await settle();
    return p;
  }
  async function handover(caseId: string) {
    const p = await processServiceOf(hrss().services, handoverModule).handOver(hrss(), {
      caseId,
      toAgencyId: city.cityHrss.id,
      reason: '提级由市总队办理',
    });
    await settle();
    return p;
  }
  async function referralOut(caseId: string, receiverAgencyId = city.court.id) {
    const p = await processServiceOf(hrss().services, externalReferralModule).refer(hrss(), {
      caseId,
      receiverAgencyId,
      grounds: '属劳动争议，转介人民法院',
    });
    await settle();
    return p;
  }
  async function dispatch(caseId: string) {
    const p = await hrss().services.processes.dispatchCase(hrss(), { caseId });
    await settle();
    return p;
  }

  const HRSS_XC_ALL: Who[] = ['xcClerk', 'xcInspector', 'xcSupervisor', 'xcDirector', 'cityDirector'];
  const XC_CASEWORKERS: Who[] = ['xcInspector', 'xcSupervisor', 'xcDirector'];
  const EVERYONE: Who[] = [
    'anonymous',
    'xcClerk',
    'xcInspector',
    'xcSupervisor',
    'xcDirector',
    'cityDirector',
    'cyInspector',
    'districtOfficer',
    'gridWorker',
    'housing',
    'transport',
    'hqLiaison',
    'police',
    'prosecutor',
    'unionMediator',
    'petitionOfficer',
    'justiceMediator',
    'courtOfficer',
    'arbitrator',
    'workInjuryOfficer',
    'integrator',
  ];
  const SIGNED_IN = EVERYONE.filter((w) => w !== 'anonymous');

  interface Row {
    op: string;
    scope: string;
    allow: Who[];
    /** Builds the target once per row; returns the document and variables for a caller. */
    setup: () => Promise<
      (who: Who) => { doc: string; vars?: Record<string, unknown>; included?: (data: Record<string, unknown>) => boolean }
    >;
  }

  const rows: Row[] = [];
  const row = (op: string, scope: string, allow: Who[], setup: Row['setup']) => rows.push({ op, scope, allow, setup });

  // ——— public ———
  row('health', 'public', ['anonymous', ...SIGNED_IN], async () => () => ({ doc: '{ health { database } }' }));
  row('caseStatus', 'public', ['anonymous', ...SIGNED_IN], async () => {
    const c = await xichengCase({ accept: false });
    const person = (
      await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ mobile: string }>>(
          `select p.mobile from person p join wage_case c on c.primary_complainant_id = p.id where c.id = ?`,
          [c.id],
        )
    )[0]!.mobile;
    return () => ({
      doc: 'query($n: String!, $p: Mobile!) { caseStatus(number: $n, phone: $p) { status } }',
      vars: { n: c.number, p: person },
    });
  });

  // ——— cases ———
  const IN_CASE_VIEWERS: Who[] = [...HRSS_XC_ALL, 'districtOfficer', 'housing', 'hqLiaison', 'police', 'unionMediator', 'integrator'];
  let inCase: { id: string; number: string };
  let inDispatch: { id: string };
  let inReferral: { id: string };
  let inMediation: { id: string };
  const inCaseReady = async () => {
    if (inCase) return;
    inCase = await xichengCase();
    inDispatch = await dispatch(inCase.id);
    inReferral = await referral(inCase.id, 'SENT');
    inMediation = await mediation(inCase.id);
  };
  row('case', 'in scope (dispatched, regulated, own project, referred, mediated, own channel)', IN_CASE_VIEWERS, async () => {
    await inCaseReady();
    return () => ({ doc: 'query($id: ID!) { case(id: $id) { number } }', vars: { id: inCase.id } });
  });
  row('case', 'out of scope (a Chaoyang restaurant)', ['cityDirector', 'cyInspector'], async () => {
    const c = await chaoyangCase();
    return () => ({ doc: 'query($id: ID!) { case(id: $id) { number } }', vars: { id: c.id } });
  });
  row('cases', 'in scope', IN_CASE_VIEWERS, async () => {
    await inCaseReady();
    return () => ({
      doc: '{ cases(first: 100) { totalCount edges { node { id } } } }',
      included: (d) => JSON.stringify(d).includes(inCase.id),
    });
  });
  row('cases', 'out of scope', ['cityDirector', 'cyInspector'], async () => {
    const c = await chaoyangCase();
    return () => ({ doc: '{ cases(first: 100) { edges { node { id } } } }', included: (d) => JSON.stringify(d).includes(c.id) });
  });
  // Statistics count what the case list lists (the same scope): whoever sees a case counts it, nobody else does.
  const received = (d: Record<string, unknown>) => (d.statistics as { totals: { casesReceived: number } }).totals.casesReceived;
  row(
    'statistics',
    'in scope (the 12345 cases: dispatched, regulated, own project, referred, mediated, own channel)',
    IN_CASE_VIEWERS,
    async () => {
      await inCaseReady();
      return () => ({
        doc: '{ statistics(filter: { channel: HOTLINE_12345 }, groupBy: [DISTRICT, OWNING_AGENCY]) { totals { casesReceived } groups { district { code } owningAgency { name } } openByAge { count } overdueSteps { count } callbacks { due } } }',
        included: (d) => received(d) > 0,
      });
    },
  );
  row('statistics', 'out of scope (Chaoyang’s cases)', ['cityDirector', 'cyInspector'], async () => {
    await chaoyangCase();
    return () => ({
      doc: '{ statistics(filter: { regionCode: "110105" }) { totals { casesReceived } } }',
      included: (d) => received(d) > 0,
    });
  });
  // Case.owedWorkers: whoever sees the case sees its roster (masked but for labour inspection: test/owed-workers.test.ts).
  row('case', 'in scope, with its roster of owed workers (Case.owedWorkers)', IN_CASE_VIEWERS, async () => {
    await inCaseReady();
    if ((await db.orm.em.fork().count(OwedWorker, { case: inCase.id })) === 0)
      await hrss().services.roster.addOwedWorker(hrss(), { caseId: inCase.id, name: '张三', monthsOwed: 3, amountOwedFen: 1_300_000 });
    return () => ({
      doc: 'query($id: ID!) { case(id: $id) { owedWorkers { id name monthsOwed amountOwed amountPaid } } }',
      vars: { id: inCase.id },
      included: (d) => ((d.case as { owedWorkers: unknown[] } | null)?.owedWorkers.length ?? 0) > 0,
    });
  });
  // Complainant.personId: it links a person's complaints across cases, so only labour inspection (who records
  // identities by it) gets it; every other agency that sees the case gets null, out of scope NOT_FOUND.
  row('case', 'its complainants’ person ids (Complainant.personId)', HRSS_XC_ALL, async () => {
    await inCaseReady();
    return () => ({
      doc: 'query($id: ID!) { case(id: $id) { complainants { personId } } }',
      vars: { id: inCase.id },
      included: (d) =>
        ((d.case as { complainants: Array<{ personId: string | null }> } | null)?.complainants ?? []).some((c) => !!c.personId),
    });
  });
  // Case.availableActions: the steps a client may offer. Labour inspection that sees the case gets some (the clerk
  // the contact, caseworkers more); every other agency that sees the case gets none, and out of scope it is NOT_FOUND.
  row('case', 'the steps the caller may take on it (Case.availableActions)', HRSS_XC_ALL, async () => {
    await inCaseReady();
    return () => ({
      doc: 'query($id: ID!) { case(id: $id) { availableActions } }',
      vars: { id: inCase.id },
      included: (d) => ((d.case as { availableActions: unknown[] } | null)?.availableActions.length ?? 0) > 0,
    });
  });
  // The investigation is labour inspection's alone: other agencies that see the case see null in its place.
  row('case', 'its investigation (team, inquiries, evidence)', HRSS_XC_ALL, async () => {
    await inCaseReady();
    return () => ({
      doc: 'query($id: ID!) { case(id: $id) { investigation { team { id } inquiries { id } evidence { id } } } }',
      vars: { id: inCase.id },
      included: (d) => (d.case as { investigation: unknown } | null)?.investigation != null,
    });
  });
  row('process', 'a dispatch', [...HRSS_XC_ALL, 'districtOfficer', 'housing', 'hqLiaison'], async () => {
    await inCaseReady();
    return () => ({ doc: 'query($id: ID!) { process(id: $id) { status } }', vars: { id: inDispatch.id } });
  });
  row('process', 'a referral sent to the police', [...HRSS_XC_ALL, 'police'], async () => {
    await inCaseReady();
    return () => ({ doc: 'query($id: ID!) { process(id: $id) { status } }', vars: { id: inReferral.id } });
  });
  row('process', 'a mediation', [...HRSS_XC_ALL, 'unionMediator'], async () => {
    await inCaseReady();
    return () => ({ doc: 'query($id: ID!) { process(id: $id) { status } }', vars: { id: inMediation.id } });
  });
  // 我的待办: a step awaited shows only to the agency that must take it (the case's owner or a party), on a process it may
  // see, and there only to the roles that may take it (a referral's approval is the director's; a mediation's agreement
  // is recorded by the mediation staff, not the clerk).
  const taskRow = (scope: string, allow: Who[], make: (caseId: string) => Promise<{ id: string }>) =>
    row('myTasks', scope, allow, async () => {
      const p = await make((await xichengCase()).id);
      return () => ({ doc: '{ myTasks(first: 200) { action process { id } } }', included: (d) => JSON.stringify(d).includes(p.id) });
    });
  taskRow('a dispatch to acknowledge (its recipients)', ['districtOfficer', 'housing', 'hqLiaison'], (id) => dispatch(id));
  taskRow('a referral awaiting approval (the owning agency’s director)', ['xcDirector'], (id) => referral(id, 'AWAITING_APPROVAL'));
  taskRow('a referral sent, to decide (the police)', ['police'], (id) => referral(id, 'SENT'));
  taskRow('a mediation convened (the owner records the agreement, the invitee confirms)', [...XC_CASEWORKERS, 'unionMediator'], (id) =>
    mediation(id),
  );
  taskRow('a handover to accept (the receiving agency)', ['cityDirector'], (id) => handover(id));
  // 我的待办（案件）: a step on a case shows only to the owning agency's holders of the roles that take it.
  const caseTaskRow = (scope: string, allow: Who[], make: () => Promise<{ id: string }>) =>
    row('myCaseTasks', scope, allow, async () => {
      const c = await make();
      return () => ({ doc: '{ myCaseTasks(first: 200) { caseAction case { id } } }', included: (d) => JSON.stringify(d).includes(c.id) });
    });
  caseTaskRow('a received case to accept (the owning agency’s caseworkers)', XC_CASEWORKERS, () => xichengCase({ accept: false }));
  caseTaskRow(
    'a closing report to approve (the owning agency’s supervisor or director, not its author)',
    ['xcSupervisor', 'xcDirector'],
    async () => {
      const c = await xichengCase();
      await db.orm.em.getConnection().execute(`update wage_case set status = 'RESOLVED' where id = ?`, [c.id]);
      await hrss().services.closure.submitClosingReport(hrss(), {
        caseId: c.id,
        findings: '查明欠薪',
        recovery: '已追回',
        outcome: '已解决',
      });
      return c;
    },
  );
  // A case referred to the court (转介): the court sees the case and the referral, not the case's other processes (the
  // union, invited to its mediation, sees the case and the mediation, not the referral).
  let referredCase: { id: string } | undefined;
  let referredOut: { id: string };
  let referredMediation: { id: string };
  const referredReady = async () => {
    if (referredCase) return;
    referredCase = await xichengCase();
    referredMediation = await mediation(referredCase.id);
    referredOut = await referralOut(referredCase.id);
  };
  const PROJECT_CASE_VIEWERS: Who[] = [...HRSS_XC_ALL, 'housing', 'hqLiaison', 'integrator'];
  row(
    'case',
    'referred to the court (转介), waiting for its acknowledgement',
    [...PROJECT_CASE_VIEWERS, 'unionMediator', 'courtOfficer'],
    async () => {
      await referredReady();
      return () => ({ doc: 'query($id: ID!) { case(id: $id) { number } }', vars: { id: referredCase!.id } });
    },
  );
  row('process', 'a referral to the court (转介)', [...HRSS_XC_ALL, 'courtOfficer'], async () => {
    await referredReady();
    return () => ({ doc: 'query($id: ID!) { process(id: $id) { status } }', vars: { id: referredOut.id } });
  });
  row('process', 'a mediation on a case referred to the court', [...HRSS_XC_ALL, 'unionMediator'], async () => {
    await referredReady();
    return () => ({ doc: 'query($id: ID!) { process(id: $id) { status } }', vars: { id: referredMediation.id } });
  });
  // Referred to the labour dispute arbitration commission / the work-injury office (转介): each sees that case and its
  // referral, nothing else (every other row denies them).
  let arbitrationCase: { id: string } | undefined;
  let toArbitration: { id: string };
  let toWorkInjury: { id: string };
  const arbitrationReady = async () => {
    if (arbitrationCase) return;
    arbitrationCase = await xichengCase();
    toArbitration = await referralOut(arbitrationCase.id, city.arbitration.id);
    toWorkInjury = await referralOut((await xichengCase()).id, city.workInjury.id);
  };
  row('case', 'referred to the labour dispute arbitration commission (转介)', [...PROJECT_CASE_VIEWERS, 'arbitrator'], async () => {
    await arbitrationReady();
    return () => ({ doc: 'query($id: ID!) { case(id: $id) { number } }', vars: { id: arbitrationCase!.id } });
  });
  row('process', 'a referral to the labour dispute arbitration commission', [...HRSS_XC_ALL, 'arbitrator'], async () => {
    await arbitrationReady();
    return () => ({ doc: 'query($id: ID!) { process(id: $id) { status } }', vars: { id: toArbitration.id } });
  });
  row('process', 'a referral to the work-injury office', [...HRSS_XC_ALL, 'workInjuryOfficer'], async () => {
    await arbitrationReady();
    return () => ({ doc: 'query($id: ID!) { process(id: $id) { status } }', vars: { id: toWorkInjury.id } });
  });
  row('cases', 'referred to the arbitration commission', [...PROJECT_CASE_VIEWERS, 'arbitrator'], async () => {
    await arbitrationReady();
    return () => ({
      doc: '{ cases(first: 100) { edges { node { id } } } }',
      included: (d) => JSON.stringify(d).includes(arbitrationCase!.id),
    });
  });
  row('process', 'a handover to the city corps (移交)', HRSS_XC_ALL, async () => {
    const p = await handover((await xichengCase()).id);
    return () => ({ doc: 'query($id: ID!) { process(id: $id) { status } }', vars: { id: p.id } });
  });

  // ——— employers, projects, agencies, regions ———
  const CONTRACTOR_VIEWERS: Who[] = [
    'xcInspector',
    'xcSupervisor',
    'xcDirector',
    'xcClerk',
    'cityDirector',
    'districtOfficer',
    'housing',
    'hqLiaison',
  ];
  row('employer', 'the Xicheng general contractor', CONTRACTOR_VIEWERS, async () => () => ({
    doc: '{ employer(uscc: "91110000600037341L") { name } }',
  }));
  row('employers', 'the Xicheng general contractor', CONTRACTOR_VIEWERS, async () => () => ({
    doc: '{ employers(first: 100) { nodes { uscc } } }',
    included: (d) => JSON.stringify(d).includes('91110000600037341L'),
  }));
  row('employer', 'a Chaoyang restaurant', ['cityDirector', 'cyInspector'], async () => () => ({
    doc: '{ employer(uscc: "91350100M000100Y43") { name } }',
  }));
  const PROJECT_VIEWERS: Who[] = [...CONTRACTOR_VIEWERS, 'gridWorker'];
  row('project', 'XC-2026-001 in Xinjiekou', PROJECT_VIEWERS, async () => () => ({ doc: '{ project(code: "XC-2026-001") { name } }' }));
  row('projects', 'XC-2026-001 in Xinjiekou', PROJECT_VIEWERS, async () => () => ({
    doc: '{ projects(first: 100) { code } }',
    included: (d) => JSON.stringify(d).includes('XC-2026-001'),
  }));
  row('agencies', 'all', SIGNED_IN, async () => () => ({ doc: '{ agencies { name } }' }));
  row('regions', 'all', SIGNED_IN, async () => () => ({ doc: '{ regions { code } }' }));

  // ——— case mutations ———
  const INTAKE = 'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { outcome } }';
  row('intakeComplaint', 'on the 12345 channel', [...HRSS_XC_ALL, 'cyInspector', 'integrator'], async () => () => ({
    doc: INTAKE,
    vars: { i: { channel: 'HOTLINE_12345', contactPhone: phone(), description: '拖欠工资', regionCode: '110102003' } },
  }));
  row('intakeComplaint', 'as a grid patrol finding', [...HRSS_XC_ALL, 'cyInspector', 'gridWorker'], async () => () => ({
    doc: INTAKE,
    vars: { i: { channel: 'GRID_PATROL', contactPhone: phone(), description: '巡查发现欠薪', regionCode: '110102003' } },
  }));
  row('intakeComplaint', 'as a 110 police alert', [...HRSS_XC_ALL, 'cyInspector', 'police'], async () => () => ({
    doc: INTAKE,
    vars: { i: { channel: 'POLICE_ALERT', contactPhone: phone(), description: '110接警: 工人聚集讨薪', regionCode: '110102003' } },
  }));
  // A replay of another district's channel reference is answered, but the case itself only to who may read it.
  row('intakeComplaint', 'replaying a Chaoyang case’s 12333 reference (answers the case)', ['cityDirector', 'cyInspector'], async () => {
    const cy = as(city.chaoyangInspector, city.chaoyangHrss);
    await cy.services.intake.intake(cy, {
      channel: 'HOTLINE_12333',
      channelRef: '12333-MATRIX-1',
      contactPhone: phone(),
      description: '餐厅拖欠工资',
      regionCode: '110105001',
    });
    return () => ({
      doc: 'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { outcome case { id } } }',
      vars: {
        i: {
          channel: 'HOTLINE_12333',
          channelRef: '12333-MATRIX-1',
          contactPhone: phone(),
          description: '拖欠工资',
          regionCode: '110102003',
        },
      },
      included: (d) => (d.intakeComplaint as { case: unknown }).case !== null,
    });
  });
  const caseMutation = (op: string, input: string, allow: Who[], vars: (caseId: string) => Record<string, unknown>, accept = false) =>
    row(op, 'a Xicheng case', allow, async () => {
      const c = await xichengCase({ accept });
      return () => ({ doc: `mutation($i: ${input}!) { ${op}(input: $i) { id } }`, vars: { i: vars(c.id) } });
    });
  caseMutation('recordContact', 'RecordContactInput', HRSS_XC_ALL, (caseId) => ({ caseId, kind: 'CALL', outcome: 'REACHED' }));
  row('recordComplainantIdentity', 'a Xicheng case', HRSS_XC_ALL, async () => {
    const c = await xichengCase({ accept: false });
    const personId = (
      await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ id: string }>>('select primary_complainant_id as id from wage_case where id = ?', [c.id])
    )[0]!.id;
    let n = 0;
    return () => ({
      doc: 'mutation($i: RecordComplainantIdentityInput!) { recordComplainantIdentity(input: $i) { id } }',
      vars: { i: { caseId: c.id, personId, name: `核实姓名${++n}` } },
    });
  });
  caseMutation('acceptCase', 'AcceptCaseInput', [...XC_CASEWORKERS, 'cityDirector'], (caseId) => ({ caseId }));
  caseMutation('rejectCase', 'RejectCaseInput', [...XC_CASEWORKERS, 'cityDirector'], (caseId) => ({ caseId, reason: '超过两年时效' }));
  caseMutation('recordViolationPeriod', 'RecordViolationPeriodInput', [...XC_CASEWORKERS, 'cityDirector'], (caseId) => ({
    caseId,
    startedOn: '2024-01-01',
    endedOn: '2024-06-30',
  }));
  caseMutation('transferCase', 'TransferCaseInput', [...XC_CASEWORKERS, 'cityDirector'], (caseId) => ({
    caseId,
    to: '劳动人事争议仲裁委员会',
    reason: '属劳动争议',
  }));
  caseMutation('assignLead', 'AssignLeadInput', ['xcSupervisor', 'xcDirector', 'cityDirector'], (caseId) => ({
    caseId,
    inspectorId: city.inspector.id,
  }));
  // 主办人候选: who may assign the lead may list the inspectors to pick from (the dashboard's assign-lead form), nobody else.
  row('leadCandidates', 'a Xicheng case', ['xcSupervisor', 'xcDirector', 'cityDirector'], async () => {
    const c = await xichengCase();
    return () => ({
      doc: 'query($c: ID!) { leadCandidates(caseId: $c) { id name agencyId roles } }',
      vars: { c: c.id },
      included: (d) => JSON.stringify(d).includes(city.inspector.id),
    });
  });
  row('investigatorCandidates', 'a Xicheng case (the owning agency’s caseworkers only)', XC_CASEWORKERS, async () => {
    const c = await xichengCase();
    return () => ({
      doc: 'query($c: ID!) { investigatorCandidates(caseId: $c) { id name agencyId } }',
      vars: { c: c.id },
      included: (d) => JSON.stringify(d).includes(city.inspector2.id),
    });
  });
  caseMutation(
    'recordPayment',
    'RecordPaymentInput',
    [...XC_CASEWORKERS, 'cityDirector'],
    (caseId) => ({ caseId, amount: 100, workersPaid: 1, paidOn: '2026-11-20', payer: '总包单位', source: 'GENERAL_CONTRACTOR' }),
    true,
  );
  // The roster of owed workers (issue 14): labour inspection's caseworkers keep it; one line per caller, so an
  // allowed caller's change leaves the next caller's line in place.
  const rosterRow = (op: string, input: string, vars: (caseId: string, lineId: string, n: number) => Record<string, unknown>) =>
    row(op, 'a line of a Xicheng case’s roster', [...XC_CASEWORKERS, 'cityDirector'], async () => {
      const c = await xichengCase({ accept: false });
      const lines = new Map<Who, string>();
      for (const who of EVERYONE) {
        const before = await db.orm.em.fork().count(OwedWorker, { case: c.id });
        await hrss().services.roster.addOwedWorker(hrss(), { caseId: c.id, name: `工人${before}`, monthsOwed: 2, amountOwedFen: 100_000 });
        const added = await db.orm.em.fork().find(OwedWorker, { case: c.id }, { orderBy: { addedAt: 'desc', id: 'desc' } });
        lines.set(who, added.find((l) => l.name === `工人${before}`)!.id);
      }
      let n = 0;
      return (who) => ({ doc: `mutation($i: ${input}!) { ${op}(input: $i) { id } }`, vars: { i: vars(c.id, lines.get(who)!, ++n) } });
    });
  rosterRow('addOwedWorker', 'AddOwedWorkerInput', (caseId, _line, n) => ({
    caseId,
    name: `新增工人${n}`,
    monthsOwed: 1,
    amountOwed: 5_000,
  }));
  rosterRow('correctOwedWorker', 'CorrectOwedWorkerInput', (caseId, owedWorkerId, n) => ({
    caseId,
    owedWorkerId,
    amountOwed: 200_000 + n,
  }));
  rosterRow('removeOwedWorker', 'RemoveOwedWorkerInput', (caseId, owedWorkerId) => ({ caseId, owedWorkerId, reason: '重复登记' }));
  row('approveExtension', 'an accepted Xicheng case', ['xcSupervisor', 'xcDirector'], async () => {
    const c = await xichengCase();
    await settle();
    return () => ({
      doc: 'mutation($i: ApproveExtensionInput!) { approveExtension(input: $i) { id } }',
      vars: { i: { caseId: c.id, reason: '需要调取银行流水' } },
    });
  });

  // ——— closing and callback ———
  async function resolvedXichengCase() {
    const c = await xichengCase();
    await hrss().services.cases.recordPayment(hrss(), {
      caseId: c.id,
      amountFen: 63_713_000,
      workersPaid: 49,
      paidOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
      payer: '总包单位',
      source: 'GENERAL_CONTRACTOR',
    });
    await settle();
    return c;
  }
  const closingReport = { findings: '查明拖欠工资', recovery: '已追回全部工资', outcome: '工资已足额支付' };
  async function callbackOf(opts: { underReview?: boolean } = {}) {
    const c = await resolvedXichengCase();
    await hrss().services.closure.submitClosingReport(hrss(), { caseId: c.id, ...closingReport });
    await director().services.closure.approveClosing(director(), { caseId: c.id });
    await settle();
    const p = await db.orm.em.fork().findOneOrFail(CaseProcess, { case: c.id, kind: 'CALLBACK' });
    if (opts.underReview)
      await hrss().services.processes.step(hrss(), {
        processId: p.id,
        update: 'recordCallback',
        args: {
          reached: true,
          wagesReceivedInFull: false,
          satisfaction: 'DISSATISFIED',
          notes: null,
          reviewDue: new Date(Date.now() + 86_400_000).toISOString(),
        },
      });
    return p;
  }
  row('submitClosingReport', 'a resolved Xicheng case', XC_CASEWORKERS, async () => {
    const c = await resolvedXichengCase();
    return () => ({
      doc: 'mutation($i: SubmitClosingReportInput!) { submitClosingReport(input: $i) { id } }',
      vars: { i: { caseId: c.id, ...closingReport } },
    });
  });
  row('approveClosing', 'a resolved Xicheng case with its closing report', ['xcSupervisor', 'xcDirector'], async () => {
    const c = await resolvedXichengCase();
    await hrss().services.closure.submitClosingReport(hrss(), { caseId: c.id, ...closingReport });
    return () => ({ doc: 'mutation($i: ApproveClosingInput!) { approveClosing(input: $i) { id } }', vars: { i: { caseId: c.id } } });
  });
  row('recordCallback', 'the callback of a closed Xicheng case', ['xcClerk', 'xcInspector', 'xcSupervisor', 'xcDirector'], async () => {
    const p = await callbackOf();
    return () => ({
      doc: 'mutation($i: RecordCallbackInput!) { recordCallback(input: $i) { id } }',
      vars: { i: { processId: p.id, reached: false, notes: '无人接听' } },
    });
  });
  row('reviewCallback', 'a callback under the supervisor’s review', ['xcSupervisor', 'xcDirector'], async () => {
    const p = await callbackOf({ underReview: true });
    return () => ({
      doc: 'mutation($i: ReviewCallbackInput!) { reviewCallback(input: $i) { id } }',
      vars: { i: { processId: p.id, decision: 'CLOSURE_UPHELD', findings: '复核后维持结案' } },
    });
  });
  // ——— investigation ———
  caseMutation(
    'setInvestigationTeam',
    'SetInvestigationTeamInput',
    ['xcSupervisor', 'xcDirector'],
    (caseId) => ({ caseId, inspectorIds: [city.inspector2.id] }),
    true,
  );
  const present = () => [city.inspector.id, city.inspector2.id];
  caseMutation(
    'recordInquiry',
    'RecordInquiryInput',
    XC_CASEWORKERS,
    (caseId) => ({
      caseId,
      personAsked: '张某',
      askedAt: new Date(Date.now() - 3_600_000).toISOString(),
      place: '询问室',
      inspectorIds: present(),
      fileRef: '询〔2026〕1号',
    }),
    true,
  );
  caseMutation(
    'recordEvidence',
    'RecordEvidenceInput',
    XC_CASEWORKERS,
    (caseId) => ({
      caseId,
      kind: 'DOCUMENTARY',
      description: '工资表',
      collectedAt: new Date(Date.now() - 3_600_000).toISOString(),
      collectedBy: present(),
      fileRef: '证〔2026〕1号',
    }),
    true,
  );

  // ——— registry ———
  const REGISTRARS: Who[] = [...XC_CASEWORKERS, 'cityDirector', 'cyInspector', 'housing', 'transport'];
  row('registerEmployer', 'a new employer', REGISTRARS, async () => () => ({
    doc: 'mutation($i: RegisterEmployerInput!) { registerEmployer(input: $i) { id } }',
    vars: { i: { uscc: '91440300708461136T', name: '深圳某公司' } },
  }));
  row('registerProject', 'a new project', REGISTRARS, async () => () => ({
    doc: 'mutation($i: RegisterProjectInput!) { registerProject(input: $i) { id } }',
    vars: { i: { code: 'MATRIX-1', name: '矩阵测试项目', regionCode: '110102003' } },
  }));
  row('updateProject', 'XC-2026-001', [...XC_CASEWORKERS, 'cityDirector', 'housing'], async () => {
    const id = (
      await db.orm.em.fork().getConnection().execute<Array<{ id: string }>>(`select id from project where code = 'XC-2026-001'`)
    )[0]!.id;
    return () => ({
      doc: 'mutation($i: UpdateProjectInput!) { updateProject(input: $i) { id } }',
      vars: { i: { id, expectedVersion: 999, workerCount: 121 } },
    });
  });

  // ——— the holiday calendar ———
  // The allowed caller gets past the policy to the input check (a day outside the year: BAD_USER_INPUT), so the
  // matrix leaves the calendar every other row counts on as it is.
  row('loadHolidayYear', 'the calendar (top-level inspection director only)', ['cityDirector'], async () => () => ({
    doc: 'mutation($i: LoadHolidayYearInput!) { loadHolidayYear(input: $i) { year } }',
    vars: { i: { year: 2027, source: '矩阵测试 (not a notice)', days: [{ date: '2028-01-01', kind: 'HOLIDAY', name: '元旦' }] } },
  }));

  // ——— processes ———
  const startRow = (op: string, input: string, vars: (caseId: string) => Record<string, unknown>) =>
    row(op, 'an accepted Xicheng case', XC_CASEWORKERS, async () => {
      const c = await xichengCase();
      return () => ({ doc: `mutation($i: ${input}!) { ${op}(input: $i) { id } }`, vars: { i: vars(c.id) } });
    });
  startRow('dispatchCase', 'StartProcessInput', (caseId) => ({ caseId }));
  startRow('proposePoliceReferral', 'ProposePoliceReferralInput', (caseId) => ({
    caseId,
    team: [city.inspector.id, city.inspector2.id],
    policeAgencyId: city.police.id,
    orderToPayIssuedOn: '2026-10-01',
    orderToPayDueOn: '2026-10-15',
    grounds: '逾期未支付',
  }));
  startRow('conveneMediation', 'ConveneMediationInput', (caseId) => ({
    caseId,
    parties: [{ role: 'WORKER_REPRESENTATIVE', name: '工人代表' }],
    agencyIds: [city.union.id],
  }));
  const stepRow = (
    op: string,
    input: string,
    allow: Who[],
    target: () => Promise<{ id: string }>,
    args: (processId: string) => Promise<Record<string, unknown>> | Record<string, unknown> = () => ({}),
  ) =>
    row(op, 'a Xicheng process', allow, async () => {
      const p = await target();
      const extra = await args(p.id);
      return () => ({ doc: `mutation($i: ${input}!) { ${op}(input: $i) { id } }`, vars: { i: { processId: p.id, ...extra } } });
    });
  const RECIPIENTS: Who[] = ['districtOfficer', 'housing', 'hqLiaison'];
  stepRow('acknowledgeDispatch', 'ProcessStepInput', RECIPIENTS, async () => dispatch((await xichengCase()).id));
  stepRow(
    'reportDispatch',
    'ReportDispatchInput',
    RECIPIENTS,
    async () => dispatch((await xichengCase()).id),
    () => ({ report: '已约谈项目负责人' }),
  );
  stepRow(
    'approvePoliceReferral',
    'ApprovePoliceReferralInput',
    ['xcDirector'],
    async () => referral((await xichengCase()).id, 'AWAITING_APPROVAL'),
    () => ({ approve: true }),
  );
  stepRow('sendPoliceReferral', 'ProcessStepInput', ['xcInspector', 'xcDirector'], async () =>
    referral((await xichengCase()).id, 'APPROVED'),
  );
  stepRow(
    'decidePoliceReferral',
    'DecidePoliceReferralInput',
    ['police'],
    async () => referral((await xichengCase()).id, 'SENT'),
    () => ({ decision: 'DECLINED', reasons: '证据不足' }),
  );
  stepRow(
    'requestReconsideration',
    'RequestReconsiderationInput',
    XC_CASEWORKERS,
    async () => referral((await xichengCase()).id, 'DECLINED'),
    () => ({ grounds: '补充证据' }),
  );
  stepRow(
    'decideReconsideration',
    'DecideReconsiderationInput',
    ['police'],
    async () => referral((await xichengCase()).id, 'RECONSIDERATION_REQUESTED'),
    () => ({ decision: 'UPHELD', reasons: '维持' }),
  );
  stepRow(
    'requestProcuratorateSupervision',
    'RequestSupervisionInput',
    XC_CASEWORKERS,
    async () => referral((await xichengCase()).id, 'DECLINED'),
    () => ({ procuratorateAgencyId: city.procuratorate.id, grounds: '立案监督' }),
  );
  stepRow(
    'recordCriminalOutcome',
    'RecordCriminalOutcomeInput',
    ['police'],
    async () => referral((await xichengCase()).id, 'FILED'),
    () => ({ outcome: '判决' }),
  );
  const unionParty = async (processId: string) => ({
    partyId: (await db.orm.em.fork().findOneOrFail(ProcessParty, { process: processId, agency: city.union.id })).id,
  });
  stepRow(
    'confirmMediationAttendance',
    'ConfirmAttendanceInput',
    [...XC_CASEWORKERS, 'unionMediator'],
    async () => mediation((await xichengCase()).id),
    unionParty,
  );
  stepRow(
    'recordMediationSession',
    'RecordSessionInput',
    XC_CASEWORKERS,
    async () => mediation((await xichengCase()).id),
    () => ({ heldAt: new Date(Date.now() - 60_000).toISOString(), summary: '第一次调解', attendeePartyIds: [] }),
  );
  const dueTomorrow = () => new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
  stepRow(
    'recordMediationAgreement',
    'RecordAgreementInput',
    XC_CASEWORKERS,
    async () => mediation((await xichengCase()).id),
    () => ({ instalments: [{ dueOn: dueTomorrow(), amount: 100 }] }),
  );
  stepRow(
    'recordInstalmentPaid',
    'RecordInstalmentPaidInput',
    XC_CASEWORKERS,
    async () => mediation((await xichengCase()).id, true),
    () => ({ seq: 1, paidOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10), payer: '总包单位', workersPaid: 1 }),
  );

  row('issueOrderToPay', 'an accepted Xicheng case', ['xcSupervisor', 'xcDirector'], async () => {
    const c = await xichengCase();
    const dueOn = new Date(Date.now() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    return () => ({
      doc: 'mutation($i: IssueOrderToPayInput!) { issueOrderToPay(input: $i) { id } }',
      vars: { i: { caseId: c.id, dueOn, workers: [{ name: '王建国', amount: 500_000 }] } },
    });
  });
  stepRow(
    'recordOrderComplied',
    'RecordOrderCompliedInput',
    XC_CASEWORKERS,
    async () => orderToPay((await xichengCase()).id),
    () => ({ paidOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10) }),
  );
  stepRow(
    'orderAdditionalCompensation',
    'OrderAdditionalCompensationInput',
    ['xcSupervisor', 'xcDirector'],
    async () => orderToPay((await xichengCase()).id),
    () => ({ ratePercent: 50 }),
  );

  // ——— administrative penalty ———
  async function penalty(caseId: string, to: 'PROPOSED' | 'NOTICE_SERVED' | 'HEARING_REQUESTED') {
    const penalties = processServiceOf(hrss().services, penaltyModule);
    const p = await penalties.proposePenalty(hrss(), {
      caseId,
      amountFen: penaltyRules.largeFine.amountFen,
      provision: '劳动保障监察条例 第二十六条',
    });
    await settle();
    if (to === 'PROPOSED') return p;
    await penalties.serveNotice(hrss(), { processId: p.id, noticeRef: '告〔2026〕1号' });
    if (to === 'NOTICE_SERVED') return p;
    await penalties.requestHearing(hrss(), { processId: p.id, requestedBy: '法定代表人' });
    return p;
  }
  startRow('proposePenalty', 'ProposePenaltyInput', (caseId) => ({ caseId, amount: 100_000, provision: '劳动保障监察条例 第二十六条' }));
  stepRow(
    'servePenaltyNotice',
    'ServePenaltyNoticeInput',
    XC_CASEWORKERS,
    async () => penalty((await xichengCase()).id, 'PROPOSED'),
    () => ({ noticeRef: '告〔2026〕1号' }),
  );
  stepRow(
    'recordPenaltyStatement',
    'RecordPenaltyStatementInput',
    XC_CASEWORKERS,
    async () => penalty((await xichengCase()).id, 'NOTICE_SERVED'),
    () => ({ summary: '已补发工资' }),
  );
  stepRow(
    'requestPenaltyHearing',
    'RequestPenaltyHearingInput',
    XC_CASEWORKERS,
    async () => penalty((await xichengCase()).id, 'NOTICE_SERVED'),
    () => ({ requestedBy: '法定代表人' }),
  );
  stepRow(
    'recordPenaltyHearing',
    'RecordPenaltyHearingInput',
    XC_CASEWORKERS,
    async () => penalty((await xichengCase()).id, 'HEARING_REQUESTED'),
    () => ({ heldAt: new Date(Date.now() - 60_000).toISOString(), summary: '听证笔录' }),
  );
  // Taken in turn: the allowed callers get past the policy to the workflow's order (CONFLICT), the others are refused first.
  stepRow(
    'recordPenaltyDeliberation',
    'RecordPenaltyDeliberationInput',
    ['xcDirector'],
    async () => penalty((await xichengCase()).id, 'NOTICE_SERVED'),
    () => ({ heldAt: new Date(Date.now() - 60_000).toISOString(), participants: ['甲', '乙'], conclusion: '同意' }),
  );
  // The proposer (xcInspector) investigated; supervisors and directors who did not may decide.
  stepRow(
    'decidePenalty',
    'DecidePenaltyInput',
    ['xcSupervisor', 'xcDirector'],
    async () => penalty((await xichengCase()).id, 'NOTICE_SERVED'),
    () => ({ decision: 'IMPOSE', amount: 100, decisionRef: '决〔2026〕1号' }),
  );
  stepRow(
    'servePenaltyDecision',
    'ServePenaltyDecisionInput',
    XC_CASEWORKERS,
    async () => penalty((await xichengCase()).id, 'NOTICE_SERVED'),
    () => ({ method: '直接送达' }),
  );

  startRow('handOverCase', 'HandOverCaseInput', (caseId) => ({ caseId, toAgencyId: city.cityHrss.id, reason: '提级由市总队办理' }));
  startRow('referCaseOutsideInspection', 'ReferCaseOutsideInspectionInput', (caseId) => ({
    caseId,
    receiverAgencyId: city.court.id,
    grounds: '属劳动争议，转介人民法院',
  }));
  stepRow(
    'acceptHandover',
    'AcceptHandoverInput',
    ['cityDirector'],
    async () => handover((await xichengCase()).id),
    () => ({ note: '市总队承办' }),
  );
  stepRow(
    'returnHandover',
    'ReturnHandoverInput',
    ['cityDirector'],
    async () => handover((await xichengCase()).id),
    () => ({ reason: '属地管辖，应由西城大队办理' }),
  );
  // ——— 协查: a Xicheng case handed over to another region's inspection agency (Chaoyang's region does not cover it;
  // test/cross-region-handover.test.ts plays it across cities). Pending: the receiver's supervisors and directors see
  // it, its inspector does not; accepted: all its staff see it, and it alone changes the case (the region reads it).
  const XC_CASE_VIEWERS: Who[] = [...HRSS_XC_ALL, 'housing', 'hqLiaison', 'integrator'];
  async function handedToChaoyang(accept: boolean) {
    const c = await xichengCase();
    const p = await processServiceOf(hrss().services, handoverModule).handOver(hrss(), {
      caseId: c.id,
      toAgencyId: city.chaoyangHrss.id,
      reason: '用人单位在朝阳，跨区协查',
    });
    await settle();
    if (accept) {
      const em = db.orm.em.fork();
      const head = em.create(User, { agency: city.chaoyangHrss.id, name: '朝阳队长', roles: ['DIRECTOR'] });
      await em.flush();
      const cy = as(head, city.chaoyangHrss);
      await cy.services.processes.step(cy, { processId: p.id, update: 'acceptHandover', args: { note: '朝阳大队承办' } });
    }
    return c;
  }
  row('case', 'handed over to Chaoyang (协查), awaiting its answer', XC_CASE_VIEWERS, async () => {
    const c = await handedToChaoyang(false);
    return () => ({ doc: 'query($id: ID!) { case(id: $id) { number } }', vars: { id: c.id } });
  });
  row('case', 'handed over to Chaoyang (协查), accepted', [...XC_CASE_VIEWERS, 'cyInspector'], async () => {
    const c = await handedToChaoyang(true);
    return () => ({ doc: 'query($id: ID!) { case(id: $id) { number } }', vars: { id: c.id } });
  });
  row('cases', 'handed over to Chaoyang (协查), accepted', [...XC_CASE_VIEWERS, 'cyInspector'], async () => {
    const c = await handedToChaoyang(true);
    return () => ({
      doc: 'query($a: ID) { cases(first: 100, filter: { agencyId: $a }) { edges { node { id } } } }',
      vars: { a: city.chaoyangHrss.id },
      included: (d) => JSON.stringify(d).includes(c.id),
    });
  });
  row('recordContact', 'a Xicheng case handed over to Chaoyang (协查), accepted', ['cyInspector'], async () => {
    const c = await handedToChaoyang(true);
    return () => ({
      doc: 'mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }',
      vars: { i: { caseId: c.id, kind: 'CALL', outcome: 'REACHED' } },
    });
  });
  stepRow(
    'acknowledgeExternalReferral',
    'AcknowledgeExternalReferralInput',
    ['courtOfficer'],
    async () => referralOut((await xichengCase()).id),
    () => ({ note: '已登记', reference: '(2026)京0102民初1号' }),
  );
  stepRow(
    'acknowledgeExternalReferral',
    'AcknowledgeExternalReferralInput',
    ['arbitrator'],
    async () => referralOut((await xichengCase()).id, city.arbitration.id),
    () => ({ note: '已立案受理', reference: '京西劳人仲字[2026]第1号' }),
  );
  stepRow(
    'acknowledgeExternalReferral',
    'AcknowledgeExternalReferralInput',
    ['workInjuryOfficer'],
    async () => referralOut((await xichengCase()).id, city.workInjury.id),
    () => ({ note: '已受理工伤认定申请' }),
  );

  // ——— webhooks ———
  row('registerWebhook', 'its own channel', ['integrator'], async () => () => ({
    doc: 'mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id } }',
    vars: { i: { url: 'http://127.0.0.1:9/hook', secret: 'x'.repeat(40), giveUpAfterSeconds: 1 } },
  }));
  /** An active endpoint of the 12345 integrator (each its own URL: one active endpoint per integrator and URL). */
  const endpoint = async () => {
    const id = randomUUID();
    await db.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into webhook_endpoint (id, agency_id, channel, url, secret, give_up_seconds) values (?, ?, 'HOTLINE_12345', ?, ?, 1)`,
        [id, city.integrator.id, `http://127.0.0.1:9/hook-${id}`, 'y'.repeat(40)],
      );
    return id;
  };
  /** A delivery to the 12345 integrator of a new case of its channel: a Xicheng one, or a Chaoyang one. */
  const deliveryId = async (where: 'xicheng' | 'chaoyang' = 'xicheng') => {
    await endpoint();
    const ctx = as(city.hotline, city.integrator);
    const c =
      where === 'xicheng'
        ? await xichengCase({ accept: false })
        : (
            await ctx.services.intake.intake(ctx, {
              channel: 'HOTLINE_12345',
              contactPhone: phone(),
              description: '餐厅拖欠工资',
              regionCode: '110105001',
            })
          ).case;
    return (
      await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ id: string }>>(`select id::text as id from webhook_delivery where case_id = ? order by id limit 1`, [c.id])
    )[0]!.id;
  };
  const WEBHOOK_ADMINS: Who[] = ['integrator', 'xcDirector', 'cityDirector'];
  row('webhookDeliveries', 'the 12345 integrator’s deliveries', WEBHOOK_ADMINS, async () => {
    const id = await deliveryId();
    return () => ({ doc: '{ webhookDeliveries(first: 100) { id } }', included: (d) => JSON.stringify(d).includes(`"${id}"`) });
  });
  row('replayWebhookDelivery', 'a delivery to the 12345 integrator', WEBHOOK_ADMINS, async () => {
    const id = await deliveryId();
    return () => ({ doc: 'mutation($id: String!) { replayWebhookDelivery(id: $id) { id } }', vars: { id } });
  });
  // A district's director administers the deliveries of its district's cases, not the city's (issue 12, item 11).
  row('webhookDeliveries', 'a delivery of a Chaoyang case', ['integrator', 'cityDirector'], async () => {
    const id = await deliveryId('chaoyang');
    return () => ({ doc: '{ webhookDeliveries(first: 100) { id } }', included: (d) => JSON.stringify(d).includes(`"${id}"`) });
  });
  row('replayWebhookDelivery', 'a delivery of a Chaoyang case', ['integrator', 'cityDirector'], async () => {
    const id = await deliveryId('chaoyang');
    return () => ({ doc: 'mutation($id: String!) { replayWebhookDelivery(id: $id) { id } }', vars: { id } });
  });
  // Endpoints are their integrator's alone.
  row('webhookEndpoints', 'the 12345 integrator’s endpoints', ['integrator'], async () => {
    const id = await endpoint();
    return () => ({ doc: '{ webhookEndpoints { id } }', included: (d) => JSON.stringify(d).includes(id) });
  });
  row('deactivateWebhook', 'an endpoint of the 12345 integrator', ['integrator'], async () => {
    const id = await endpoint();
    return () => ({ doc: 'mutation($id: ID!) { deactivateWebhook(id: $id) { id } }', vars: { id } });
  });
  row('rotateWebhookSecret', 'an endpoint of the 12345 integrator', ['integrator'], async () => {
    const id = await endpoint();
    return () => ({
      doc: 'mutation($i: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $i) { id } }',
      vars: { i: { id, secret: 'z'.repeat(40) } },
    });
  });

  // ——— daily reports (日通报): an agency's own inspection staff and the directors above it; made by a director ———
  const reportOf = async (agency: 'xicheng' | 'chaoyang') => {
    const ctx = as(city.cityDirector, city.cityHrss);
    const agencyId = agency === 'xicheng' ? city.xichengHrss.id : city.chaoyangHrss.id;
    return (await ctx.services.dailyReports.make(ctx, { agencyId, day: '2026-11-02' })).report.id;
  };
  row('dailyReports', 'Xicheng’s reports', HRSS_XC_ALL, async () => {
    const id = await reportOf('xicheng');
    return () => ({
      doc: 'query($a: ID!) { dailyReports(agencyId: $a, first: 10) { edges { node { id } } } }',
      vars: { a: city.xichengHrss.id },
      included: (d) => JSON.stringify(d).includes(id),
    });
  });
  row('dailyReports', 'Chaoyang’s reports', ['cyInspector', 'cityDirector'], async () => {
    const id = await reportOf('chaoyang');
    return () => ({
      doc: 'query($a: ID!) { dailyReports(agencyId: $a, first: 10) { edges { node { id } } } }',
      vars: { a: city.chaoyangHrss.id },
      included: (d) => JSON.stringify(d).includes(id),
    });
  });
  row('dailyReport', 'a Xicheng report', HRSS_XC_ALL, async () => {
    const id = await reportOf('xicheng');
    return () => ({ doc: 'query($id: ID!) { dailyReport(id: $id) { id figures { label value } } }', vars: { id } });
  });
  row('dailyReport', 'a Chaoyang report', ['cyInspector', 'cityDirector'], async () => {
    const id = await reportOf('chaoyang');
    return () => ({ doc: 'query($id: ID!) { dailyReport(id: $id) { id figures { label value } } }', vars: { id } });
  });
  row('makeDailyReport', 'for Xicheng', ['xcDirector', 'cityDirector'], async () => () => ({
    doc: 'mutation($a: ID!) { makeDailyReport(agencyId: $a) { id } }',
    vars: { a: city.xichengHrss.id },
  }));
  row('makeDailyReport', 'for Chaoyang (its inspector reads its reports, only a director makes one)', ['cityDirector'], async () => () => ({
    doc: 'mutation($a: ID!) { makeDailyReport(agencyId: $a) { id } }',
    vars: { a: city.chaoyangHrss.id },
  }));

  it('has a row for every query and mutation of the schema', async () => {
    const schema = await buildAppSchema();
    const ops = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()?.getFields() ?? {})].sort();
    expect([...new Set(rows.map((r) => r.op))].sort()).toEqual(ops);
    // Subscriptions are checked in their own cells below.
    expect(Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).sort()).toEqual(Object.keys(SUBSCRIPTION_ROWS).sort());
  });

  /** Who receives a new entry of the in-scope case and of the Chaoyang case, by subscription. */
  const SUBSCRIPTION_ROWS: Record<string, { in: Who[]; out: Who[] }> = {
    caseEvents: { in: IN_CASE_VIEWERS, out: ['cityDirector', 'cyInspector'] },
  };

  it('pushes subscription entries only to the callers that may see them', async () => {
    await inCaseReady();
    const outCase = await chaoyangCase();
    const received = new Map<Who, Set<string>>();
    const clients: Client[] = [];
    const denied = new Set<Who>();
    for (const who of EVERYONE) {
      received.set(who, new Set());
      const client = createClient({
        url: api.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: headers(who),
        retryAttempts: 0,
      });
      clients.push(client);
      client.subscribe<{ caseEvents: { caseId: string } }>(
        { query: 'subscription { caseEvents { caseId } }' },
        {
          next: (m) => (m.data ? received.get(who)!.add(m.data.caseEvents.caseId) : denied.add(who)),
          error: () => denied.add(who),
          complete: () => undefined,
        },
      );
    }
    // A subscription takes a moment to be in place, longer on a loaded machine, and sees only what is written after:
    // entries are written to both cases until every caller who may see them has one of each (30 s at most), then a
    // second more for anything that should not arrive. What may not be seen is checked over every entry written.
    const cy = as(city.chaoyangInspector, city.chaoyangHrss);
    const row = SUBSCRIPTION_ROWS.caseEvents!;
    const allArrived = () =>
      row.in.every((who) => received.get(who)!.has(inCase.id)) && row.out.every((who) => received.get(who)!.has(outCase.id));
    const giveUp = Date.now() + 30_000;
    while (!allArrived() && Date.now() < giveUp) {
      await hrss().services.cases.recordContact(hrss(), { caseId: inCase.id, kind: 'CALL', outcome: 'NO_ANSWER' });
      await cy.services.cases.recordContact(cy, { caseId: outCase.id, kind: 'CALL', outcome: 'NO_ANSWER' });
      const wait = Date.now() + 1_000;
      while (!allArrived() && Date.now() < wait) await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1_000));
    const failures: string[] = [];
    for (const who of EVERYONE) {
      const got = received.get(who)!;
      if (got.has(inCase.id) !== SUBSCRIPTION_ROWS.caseEvents!.in.includes(who))
        failures.push(`caseEvents (in scope) as ${who}: ${got.has(inCase.id) ? 'received' : 'not received'}`);
      if (got.has(outCase.id) !== SUBSCRIPTION_ROWS.caseEvents!.out.includes(who))
        failures.push(`caseEvents (out of scope) as ${who}: ${got.has(outCase.id) ? 'received' : 'not received'}`);
    }
    expect(denied.has('anonymous')).toBe(true);
    await Promise.all(clients.map((c) => c.dispose()));
    process.stdout.write(`access matrix (subscriptions): ${EVERYONE.length * 2} cells\n`);
    expect(failures).toEqual([]);
  }, 60_000);

  it('allows and denies each cell as the access table says', async () => {
    const everyone = EVERYONE;
    expect(new Set(Object.keys(principals()))).toEqual(new Set(EVERYONE));
    const failures: string[] = [];
    let cells = 0;
    // One socket per caller, as a client keeps it: the same cell over graphql-ws is refused, whoever asks.
    const sockets = new Map(everyone.map((w) => [w, new WsCaller(api.url, headers(w).authorization)] as const));
    for (const r of rows) {
      const call = await r.setup();
      const allowed = new Set(r.allow);
      // Denials first: an allowed call's effects must not be what makes a denial pass.
      for (const who of [...everyone.filter((w) => !allowed.has(w)), ...everyone.filter((w) => allowed.has(w))]) {
        const { doc, vars, included } = call(who);
        const res = await api.gql(doc, vars, headers(who));
        cells++;
        const code = res.errors?.[0]?.extensions?.code as string | undefined;
        if (res.status >= 500 || code === 'INTERNAL_SERVER_ERROR')
          failures.push(`${r.op} (${r.scope}) as ${who}: fault ${JSON.stringify(res.errors)}`);
        const got = included ? !res.errors && included(res.data as Record<string, unknown>) : !(code && DENIED.has(code));
        if (got !== allowed.has(who))
          failures.push(
            `${r.op} (${r.scope}) as ${who}: expected ${allowed.has(who) ? 'allow' : 'deny'}, got ${code ?? 'data'}${res.errors ? ` — ${res.errors[0]!.message}` : ''}`,
          );
        const ws = await sockets.get(who)!.run(doc, vars);
        const wsCode = ws.errors?.[0]?.extensions?.code;
        if (wsCode !== 'OPERATION_NOT_ALLOWED' || ws.data)
          failures.push(
            `${r.op} (${r.scope}) as ${who} over graphql-ws: expected OPERATION_NOT_ALLOWED, got ${JSON.stringify(ws).slice(0, 200)}`,
          );
      }
    }
    await Promise.all([...sockets.values()].map((s) => s.dispose()));
    // The note reports this figure.
    process.stdout.write(
      `access matrix: ${rows.length} rows × ${everyone.length} callers = ${cells} cells, over HTTP and over graphql-ws\n`,
    );
    expect(failures).toEqual([]);
  }, 300_000);
});
