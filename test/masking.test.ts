import type { Agency, User } from '../src/agencies/agency.entity';
import type { TestApi } from './support/api';
import type { loadTestCity } from './support/fixtures';
import { startLiveStack, type LiveStack } from './support/live-stack';
import { processServiceOf } from '../src/processes/process-module';
import { externalReferralModule } from '../src/processes/external-referral/external-referral.module';

/**
 * Personal data leaves whole only to labour inspection. Every other agency that can see the case gets 张*,
 * 138****1234, 110***********1234 — through every field, every case-file entry and every error — and cannot find
 * a complainant by searching for their name.
 */
describe('masked personal data', () => {
  let stack: LiveStack;
  let api: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  const NAME = '张三丰';
  const MOBILE = '13812341234';
  const ID = '110101199003074514';
  let caseId: string;

  beforeAll(async () => {
    stack = await startLiveStack('masking');
    ({ api, city } = stack);
    await stack.startWorker();
    const as = (user: User, agency: Agency) => stack.as(user, agency);
    // A case on the Xicheng project with a named complainant, in every process; the same caller again joins it.
    const hotline = as(city.hotline, city.integrator);
    const first = await hotline.services.intake.intake(hotline, {
      channel: 'HOTLINE_12345',
      channelRef: 'BJ-MASK-1',
      contactPhone: MOBILE,
      complainantName: NAME,
      complainantResidentId: ID,
      description: '工地拖欠49名工人工资',
      projectCode: 'XC-2026-001',
      amountClaimedFen: 63_713_000,
      workersAffected: 49,
    });
    caseId = first.case.id;
    const again = await hotline.services.intake.intake(as(city.hotline, city.integrator), {
      channel: 'HOTLINE_12345',
      channelRef: 'BJ-MASK-2',
      contactPhone: MOBILE,
      description: '同一工地拖欠工资',
      projectCode: 'XC-2026-001',
    });
    expect(again.outcome).toBe('JOINED');
    const hrss = () => as(city.inspector, city.xichengHrss);
    await hrss().services.cases.recordContact(hrss(), { caseId, kind: 'CALL', outcome: 'REACHED' });
    await hrss().services.cases.acceptCase(hrss(), { caseId });
    await hrss().services.processes.dispatchCase(hrss(), { caseId });
    const referral = await hrss().services.processes.proposePoliceReferral(hrss(), {
      caseId,
      team: [city.inspector.id, city.inspector2.id],
      policeAgencyId: city.police.id,
      orderToPayIssuedOn: '2026-10-01',
      orderToPayDueOn: '2026-10-15',
      grounds: '逾期未支付',
    });
    await stack.settle();
    await hrss().services.processes.step(as(city.director, city.xichengHrss), {
      processId: referral.id,
      update: 'approveReferral',
      args: { approve: true },
    });
    await hrss().services.processes.step(hrss(), { processId: referral.id, update: 'sendReferral', args: {} });
    await hrss().services.processes.conveneMediation(hrss(), {
      caseId,
      parties: [{ role: 'WORKER_REPRESENTATIVE', name: '工人代表' }],
      agencyIds: [city.union.id],
    });
    // Referred to the labour dispute arbitration commission (转介), a body of HRSS: it sees personal data whole.
    await processServiceOf(hrss().services, externalReferralModule).refer(hrss(), {
      caseId,
      receiverAgencyId: city.arbitration.id,
      grounds: '工资数额有争议，属劳动争议，转介劳动人事争议仲裁委员会',
    });
    await stack.settle();
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  /** Everything a dashboard can ask of a case, including the file's payloads and the processes' parties. */
  const EVERYTHING = `query($id: ID!) { case(id: $id) {
    id number description channelRef
    complainants { channel channelRef person { name mobile residentId } stated { name residentId } }
    events { seq type payload before after actorUserId actorAgencyId }
    contacts { kind outcome notes } payments { amount payer }
    processes { kind status facts parties { role name status report agency { name } } instalments { seq amount } }
    employer { name } project { name team { role name mobile } } } }`;

  const nonHrss: Array<[string, () => [User, Agency]]> = [
    ['district government', () => [city.districtOfficer, city.xichengGov]],
    ['industry regulator', () => [city.regulatorOfficer, city.housing]],
    ['contractor HQ', () => [city.contractorLiaison, city.contractorHq]],
    ['police', () => [city.policeOfficer, city.police]],
    ['union', () => [city.unionMediator, city.union]],
    ['12345 integrator', () => [city.hotline, city.integrator]],
  ];

  it.each(nonHrss)('shows %s only masked forms, anywhere in the answer', async (_kind, who) => {
    const [user, agency] = who();
    const res = await api.gql(EVERYTHING, { id: caseId }, api.as(user, agency));
    expect(res.errors).toBeUndefined();
    const raw = JSON.stringify(res.data);
    for (const secret of [NAME, MOBILE, ID]) expect(raw).not.toContain(secret);
    const people = (res.data as { case: { complainants: Array<{ person: Record<string, string | null> }> } }).case.complainants.map(
      (c) => c.person,
    );
    expect(people).toEqual([
      { name: '张**', mobile: '138****1234', residentId: '110***********4514' },
      { name: '张**', mobile: '138****1234', residentId: '110***********4514' },
    ]);
    // Searching the list by a complainant's name finds nothing for them (it would reveal who complained).
    const search = await api.gql(`{ cases(filter: { text: "${NAME}" }, first: 10) { totalCount } }`, undefined, api.as(user, agency));
    expect(search.data).toEqual({ cases: { totalCount: 0 } });
    // Errors carry no personal data either: the public lookup with a wrong phone says only "not found".
    const wrong = await api.gql(
      'query($n: String!, $p: Mobile!) { caseStatus(number: $n, phone: $p) { status } }',
      { n: (res.data as { case: { number: string } }).case.number, p: '13700000000' },
      api.as(user, agency),
    );
    expect(JSON.stringify(wrong.errors)).not.toMatch(new RegExp(`${MOBILE}|${NAME}`));
  });

  it('shows labour inspection the whole data, and lets it search by name', async () => {
    const res = await api.gql(EVERYTHING, { id: caseId }, api.as(city.inspector, city.xichengHrss));
    const raw = JSON.stringify(res.data);
    for (const secret of [NAME, MOBILE, ID]) expect(raw).toContain(secret);
    const search = await api.gql(
      `{ cases(filter: { text: "${NAME}" }, first: 10) { totalCount } }`,
      undefined,
      api.as(city.inspector, city.xichengHrss),
    );
    expect(search.data).toEqual({ cases: { totalCount: 1 } });
  });

  it('shows the arbitration commission the case referred to it whole (a body of HRSS), and lets it search by name there', async () => {
    const arbitrator = api.as(city.arbitrator, city.arbitration);
    const res = await api.gql<{ case: { processes: Array<{ kind: string }> } }>(EVERYTHING, { id: caseId }, arbitrator);
    expect(res.errors).toBeUndefined();
    const raw = JSON.stringify(res.data);
    for (const secret of [NAME, MOBILE, ID]) expect(raw).toContain(secret);
    expect(res.data!.case.processes.map((p) => p.kind)).toEqual(['EXTERNAL_REFERRAL']);
    const search = await api.gql(`{ cases(filter: { text: "${NAME}" }, first: 10) { totalCount } }`, undefined, arbitrator);
    expect(search.data).toEqual({ cases: { totalCount: 1 } });
    // The work-injury office, to which this case was not referred, does not see it at all.
    const stranger = await api.gql(EVERYTHING, { id: caseId }, api.as(city.workInjuryOfficer, city.workInjury));
    expect(stranger.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('shows an agency only the processes it takes part in, and their entries in the case file', async () => {
    const res = await api.gql<{ case: { events: Array<{ type: string }>; processes: Array<{ kind: string }> } }>(
      EVERYTHING,
      { id: caseId },
      api.as(city.policeOfficer, city.police),
    );
    expect(res.data!.case.processes.map((p) => p.kind)).toEqual(['POLICE_REFERRAL']);
    const types = res.data!.case.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['RECEIVED', 'REFERRAL_PROPOSED', 'REFERRAL_SENT']));
    expect(types.filter((t) => t.startsWith('DISPATCH_') || t.startsWith('MEDIATION_'))).toEqual([]);
  });
});
