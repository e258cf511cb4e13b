import { randomUUID } from 'node:crypto';
import { beijingDate } from '../../src/domain/working-days';
import type { ExecutionContext } from '../../src/core/execution-context';
import type { Services } from '../../src/app/services';
import { executionContext } from '../../src/app/execution';
import { processServiceOf } from '../../src/processes/process-module';
import { threeWayDispatchModule } from '../../src/processes/three-way-dispatch/dispatch.module';
import { policeReferralModule } from '../../src/processes/police-referral/referral.module';
import { jointMediationModule } from '../../src/processes/joint-mediation/mediation.module';
import { callbackModule } from '../../src/processes/callback/callback.module';
import type { Orm } from '../../src/db/database';
import type { AgencyKind } from '../../src/agencies/agency.entity';
import type { Logger } from '../../src/logger';
import { policeReferralRules } from '../../src/rules/process-rules';
import { SEED_002 } from './demo-city';
import { chineseName } from './identities';
import { Random } from './random';

interface Person {
  id: string;
  agency_id: string;
  kind: AgencyKind;
  roles: string[];
}

/**
 * On a freshly loaded demo city, one of each cross-agency process under way, so the Temporal UI shows them
 * beside the case lifecycles: a three-way dispatch the contractor HQ has acknowledged, a police referral the
 * director has approved, a joint mediation with the union invited. Started through the same services as the API.
 */
export async function startDemoProcesses(deps: {
  orm: Orm;
  services: Services;
  log: Logger;
  drainOutbox: () => Promise<number>;
}): Promise<void> {
  const sql = <T>(q: string, params: unknown[] = []) => deps.orm.em.fork().getConnection().execute<T[]>(q, params);
  const as = (p: Person): ExecutionContext => {
    return executionContext({
      em: deps.orm.em.fork(),
      log: deps.log,
      actor: { userId: p.id, agencyId: p.agency_id, agencyKind: p.kind, roles: p.roles },
    });
  };
  const staff = async (agencyId: string, role: string) =>
    (
      await sql<Person>(
        `select u.id, u.agency_id, a.kind, u.roles from app_user u join agency a on a.id = u.agency_id where u.agency_id = ? and ? = any(u.roles) order by u.name`,
        [agencyId, role],
      )
    )[0];

  // Seed 002 first (its case is then resolved, with the referral the police hold, and no other step picks it).
  const seed002 = await startSeed002(deps, sql, as, staff);

  // A construction case in handling whose project has a regulator and a contractor HQ on record.
  const [dispatchCase] = await sql<{ id: string; owning_agency_id: string; hq_id: string }>(
    `select c.id, c.owning_agency_id, hq.id as hq_id from wage_case c
       join project p on p.id = c.project_id
       join agency hq on hq.kind = 'CONTRACTOR_HQ' and hq.employer_id = p.general_contractor_id
      where c.status in ('ACCEPTED','IN_PROGRESS') and p.regulator_id is not null order by c.number limit 1`,
  );
  if (dispatchCase) {
    const inspector = await staff(dispatchCase.owning_agency_id, 'INSPECTOR');
    const liaison = await staff(dispatchCase.hq_id, 'LIAISON');
    if (inspector && liaison) {
      const p = await processServiceOf(deps.services, threeWayDispatchModule).dispatchCase(as(inspector), { caseId: dispatchCase.id });
      while ((await deps.drainOutbox()) > 0);
      await processServiceOf(deps.services, threeWayDispatchModule).acknowledge(as(liaison), { processId: p.id });
    }
  }

  // A case in handling whose arrears meet the crime threshold, with a police agency in its district.
  // Its order to pay was issued a week after the complaint and ran two weeks: both after the case was received.
  const [referralCase] = await sql<{ id: string; owning_agency_id: string; police_id: string; received_at: Date }>(
    `select c.id, c.owning_agency_id, pol.id as police_id, c.received_at from wage_case c
       join agency h on h.id = c.owning_agency_id
       join agency pol on pol.kind = 'POLICE' and pol.region_code = h.region_code
      where c.status in ('ACCEPTED','IN_PROGRESS') and coalesce(c.amount_claimed_fen, 0) - c.amount_recovered_fen >= ?
        and coalesce(c.workers_affected, 0) >= ?
        and c.received_at < now() - interval '30 days' and c.id <> ? order by c.number limit 1`,
    [
      policeReferralRules.crimeThreshold.manyWorkers.amountFen,
      policeReferralRules.crimeThreshold.manyWorkers.workers,
      dispatchCase?.id ?? randomUUID(),
    ],
  );
  if (referralCase) {
    const team = await sql<Person>(
      `select u.id, u.agency_id, a.kind, u.roles from app_user u join agency a on a.id = u.agency_id where u.agency_id = ? and 'INSPECTOR' = any(u.roles) order by u.name limit 2`,
      [referralCase.owning_agency_id],
    );
    const director = await staff(referralCase.owning_agency_id, 'DIRECTOR');
    if (team.length === 2 && director) {
      const p = await processServiceOf(deps.services, policeReferralModule).proposePoliceReferral(as(team[0]!), {
        caseId: referralCase.id,
        team: team.map((t) => t.id),
        policeAgencyId: referralCase.police_id,
        orderToPayIssuedOn: beijingDate(new Date(new Date(referralCase.received_at).getTime() + 7 * 86_400_000)),
        orderToPayDueOn: beijingDate(new Date(new Date(referralCase.received_at).getTime() + 21 * 86_400_000)),
        grounds: '责令支付逾期未履行，拖欠数额达到追诉标准，涉嫌拒不支付劳动报酬罪',
      });
      while ((await deps.drainOutbox()) > 0);
      await processServiceOf(deps.services, policeReferralModule).approve(as(director), {
        processId: p.id,
        approve: true,
        note: '同意移送公安机关',
      });
    }
  }

  // Another case in handling: a joint mediation with the parties and the district union.
  const [mediationCase] = await sql<{ id: string; owning_agency_id: string; union_id: string | null }>(
    `select c.id, c.owning_agency_id, (select u.id from agency u where u.kind = 'UNION' order by length(u.region_code) desc limit 1) as union_id
       from wage_case c where c.status in ('ACCEPTED','IN_PROGRESS') and c.id not in (?, ?) order by c.number limit 1`,
    [dispatchCase?.id ?? randomUUID(), referralCase?.id ?? randomUUID()],
  );
  if (mediationCase) {
    const inspector = await staff(mediationCase.owning_agency_id, 'INSPECTOR');
    if (inspector) {
      await processServiceOf(deps.services, jointMediationModule).conveneMediation(as(inspector), {
        caseId: mediationCase.id,
        parties: [
          { role: 'GENERAL_CONTRACTOR', name: '施工总承包单位' },
          { role: 'LABOUR_SUBCONTRACTOR', name: '劳务分包单位' },
          { role: 'WORKER_REPRESENTATIVE', name: '农民工代表' },
        ],
        agencyIds: mediationCase.union_id ? [mediationCase.union_id] : [],
      });
    }
  }
  // Resolved cases closed through the procedure (结案: report by the lead's colleague, approved by the supervisor), each
  // followed by its callback (回访): two complainants satisfied, one who says the wages did not all arrive, which
  // opens the supervisor's review.
  const resolved = await sql<{ id: string; owning_agency_id: string }>(
    `select c.id, c.owning_agency_id from wage_case c
      where c.status = 'RESOLVED' and not exists (select 1 from case_process cp where cp.case_id = c.id and cp.ended_at is null)
      order by c.number limit 3`,
  );
  const outcomes = [
    { wagesReceivedInFull: true, satisfaction: 'SATISFIED' as const },
    { wagesReceivedInFull: true, satisfaction: 'BASICALLY_SATISFIED' as const },
    { wagesReceivedInFull: false, satisfaction: 'DISSATISFIED' as const },
  ];
  let closed = 0;
  for (const [i, r] of resolved.entries()) {
    const inspector = await staff(r.owning_agency_id, 'INSPECTOR');
    const supervisor = await staff(r.owning_agency_id, 'SUPERVISOR');
    if (!inspector || !supervisor) continue;
    await deps.services.closure.submitClosingReport(as(inspector), {
      caseId: r.id,
      findings: '经调查,用人单位拖欠工资属实',
      recovery: '已责令用人单位足额支付',
      outcome: '工资已支付到位',
    });
    await deps.services.closure.approveClosing(as(supervisor), { caseId: r.id, note: '同意结案' });
    while ((await deps.drainOutbox()) > 0);
    const [callback] = await sql<{ id: string }>(`select id from case_process where case_id = ? and kind = 'CALLBACK'`, [r.id]);
    if (callback) {
      await processServiceOf(deps.services, callbackModule).recordCallback(as(inspector), {
        processId: callback.id,
        reached: true,
        ...outcomes[i]!,
        notes: '电话回访投诉人',
      });
    }
    closed++;
  }
  deps.log.info(
    { seed002, dispatch: !!dispatchCase, referral: !!referralCase, mediation: !!mediationCase, closedWithCallback: closed },
    'demo processes started',
  );
}

/** What seed 002's 72 workers were owed: 60 × ¥2,900 and 12 × ¥3,000 make the article's ¥210,000 (the split is the demo's). */
export function seed002Roster(): Array<{ name: string; monthsOwed: number; amountOwedFen: number }> {
  const rng = new Random('anxin-demo-seed-002-roster');
  const lines = Array.from({ length: SEED_002.workers }, (_, i) => ({
    name: chineseName(rng),
    monthsOwed: 3,
    amountOwedFen: i < 60 ? 290_000 : 300_000,
  }));
  return lines;
}

/**
 * Seed 002 through the API's own services, on the case the demo city received and accepted: the roster of the 72
 * workers, the police referral (the order to pay, issued outside Anxin two days after the complaint with ten days to
 * pay, missed; a team of two inspectors; the director approves; sent; the police file the case), and after the
 * arrest the ¥210,000 paid, each worker's part allocated to their line, which resolves the case. The referral stays
 * FILED: the criminal case is tracked to its outcome after the case is resolved.
 */
async function startSeed002(
  deps: { services: Services; drainOutbox: () => Promise<number> },
  sql: <T>(q: string, params?: unknown[]) => Promise<T[]>,
  as: (p: Person) => ExecutionContext,
  staff: (agencyId: string, role: string) => Promise<Person | undefined>,
): Promise<boolean> {
  const [c] = await sql<{ id: string; owning_agency_id: string; lead_inspector_id: string; police_id: string; received_at: Date }>(
    `select c.id, c.owning_agency_id, c.lead_inspector_id, pol.id as police_id, c.received_at from wage_case c
       join agency h on h.id = c.owning_agency_id
       join agency pol on pol.kind = 'POLICE' and pol.region_code = h.region_code
      where c.description = ? and c.status in ('ACCEPTED','IN_PROGRESS') limit 1`,
    [SEED_002.description],
  );
  if (!c) return false;
  const inspectors = await sql<Person>(
    `select u.id, u.agency_id, a.kind, u.roles from app_user u join agency a on a.id = u.agency_id
      where u.agency_id = ? and 'INSPECTOR' = any(u.roles) and not 'DIRECTOR' = any(u.roles) order by u.id = ? desc, u.name limit 2`,
    [c.owning_agency_id, c.lead_inspector_id],
  );
  const director = await staff(c.owning_agency_id, 'DIRECTOR');
  const officer = await staff(c.police_id, 'OFFICER');
  if (inspectors.length < 2 || !director || !officer) return false;
  const lead = inspectors[0]!;

  for (const line of seed002Roster()) await deps.services.roster.addOwedWorker(as(lead), { caseId: c.id, ...line });

  const received = new Date(c.received_at).getTime();
  const referrals = processServiceOf(deps.services, policeReferralModule);
  const p = await referrals.proposePoliceReferral(as(lead), {
    caseId: c.id,
    team: inspectors.map((t) => t.id),
    policeAgencyId: c.police_id,
    orderToPayIssuedOn: beijingDate(new Date(received + 2 * 86_400_000)),
    orderToPayDueOn: beijingDate(new Date(received + 12 * 86_400_000)),
    grounds: '个体包工头经责令限期支付逾期仍不支付72名农民工工资21万元,达到追诉标准,涉嫌拒不支付劳动报酬罪',
  });
  while ((await deps.drainOutbox()) > 0);
  await referrals.approve(as(director), { processId: p.id, approve: true, note: '同意移送公安机关' });
  await referrals.send(as(lead), { processId: p.id });
  await referrals.decide(as(officer), { processId: p.id, decision: 'FILED', reasons: '涉嫌拒不支付劳动报酬罪,决定立案侦查' });
  while ((await deps.drainOutbox()) > 0);

  // After the arrest (抓捕归案): every worker paid what they were owed.
  const lines = await sql<{ id: string; amount_owed_fen: string | number }>(
    `select id, amount_owed_fen from owed_worker where case_id = ? order by added_at, id`,
    [c.id],
  );
  await deps.services.cases.recordPayment(as(lead), {
    caseId: c.id,
    amountFen: SEED_002.amountFen,
    workersPaid: lines.length,
    paidOn: beijingDate(new Date()),
    payer: '抓捕归案后落实到位(原文未载付款人)',
    source: 'OTHER',
    allocations: lines.map((l) => ({ owedWorkerId: l.id, amountFen: Number(l.amount_owed_fen) })),
  });
  while ((await deps.drainOutbox()) > 0);
  return true;
}
