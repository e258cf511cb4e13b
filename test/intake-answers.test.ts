import type { Agency, User } from '../src/agencies/agency.entity';
import type { TestApi } from './support/api';
import { useCityApi, type TestCity } from './support/city-api';
import type { TestDatabase } from './support/database';

const INTAKE = `mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) {
  outcome caseNumber owningAgency { name } warnings { field rule }
  case { id number complainants { channel person { name mobile } } } } }`;

/**
 * Issue 12 (1, 7): an intake answers only what its caller may read, an idempotency key is its agency's own, and a
 * complaint never rewrites who a known complainant is.
 */
describe('intake answers the caller, and only the caller', () => {
  const env = useCityApi();
  let db: TestDatabase;
  let api: TestApi;
  let city: TestCity;
  beforeAll(() => ({ db, api, city } = env));

  async function intake(who: [User, Agency], input: Record<string, unknown>) {
    const res = await api.gql<{ intakeComplaint: Record<string, any> }>(
      INTAKE,
      { i: { description: '工地拖欠三个月工资', ...input } },
      api.as(...who),
    );
    expect(res.errors).toBeUndefined();
    return { answer: res.data!.intakeComplaint, raw: JSON.stringify(res) };
  }
  const chaoyang = (): [User, Agency] => [city.chaoyangInspector, city.chaoyangHrss];

  it('a channel reference from another district answers DUPLICATE with the number and owner, and nothing of the case', async () => {
    const first = await intake(chaoyang(), {
      channel: 'HOTLINE_12333',
      channelRef: '12333-20261123-00075',
      contactPhone: '13911110001',
      complainantName: '张秘密',
      regionCode: '110105001',
    });
    expect(first.answer.outcome).toBe('CREATED');

    const probe = await intake([city.clerk, city.xichengHrss], {
      channel: 'HOTLINE_12333',
      channelRef: '12333-20261123-00075',
      contactPhone: '13911119999',
      regionCode: '110102003',
    });
    expect(probe.answer).toMatchObject({
      outcome: 'DUPLICATE',
      case: null,
      caseNumber: first.answer.caseNumber,
      owningAgency: { name: '朝阳区劳动保障监察大队' },
    });
    expect(probe.raw).not.toContain('13911110001');
    expect(probe.raw).not.toContain('张秘密');
    expect(probe.raw).not.toContain(first.answer.case.id);
  });

  it('an idempotency key is its agency’s own: another agency’s equal key opens its own case', async () => {
    const walkIn = await intake(chaoyang(), {
      channel: 'WALK_IN',
      idempotencyKey: 'shared-key-1',
      contactPhone: '13911110002',
      complainantName: '李窗口',
      regionCode: '110105001',
    });
    const hotline = await intake([city.hotline, city.integrator], {
      channel: 'HOTLINE_12345',
      idempotencyKey: 'shared-key-1',
      contactPhone: '13911110003',
      regionCode: '110102003',
    });
    expect(hotline.answer.outcome).toBe('CREATED');
    expect(hotline.answer.caseNumber).not.toBe(walkIn.answer.caseNumber);
    expect(hotline.raw).not.toContain('13911110002');
    // The integrator sees its own case, masked (it is not labour inspection).
    expect(hotline.answer.case.complainants[0].person.mobile).toBe('139****0003');
    // Its own retry is still a replay of its own case.
    const retry = await intake([city.hotline, city.integrator], {
      channel: 'HOTLINE_12345',
      idempotencyKey: 'shared-key-1',
      contactPhone: '13911110003',
      regionCode: '110102003',
    });
    expect(retry.answer).toMatchObject({
      outcome: 'DUPLICATE',
      caseNumber: hotline.answer.caseNumber,
      case: { id: hotline.answer.case.id },
    });
  });

  it('a grid worker’s repeat complaint joins another district’s case without seeing it, and renames no one', async () => {
    const phone = '13911110004';
    const first = await intake(chaoyang(), { channel: 'WALK_IN', contactPhone: phone, employerUscc: city.restaurant.uscc });
    const joined = await intake([city.gridWorker, city.xinjiekou], {
      channel: 'GRID_PATROL',
      contactPhone: phone,
      employerUscc: city.restaurant.uscc,
      complainantName: '篡改者',
      complainantResidentId: '110101199003074514',
    });
    expect(joined.answer).toMatchObject({
      outcome: 'JOINED',
      case: null,
      caseNumber: first.answer.caseNumber,
      owningAgency: { name: '朝阳区劳动保障监察大队' },
    });

    // The owner reads the person as it was, and what each complaint said of its complainant beside it.
    const read = await api.gql<{
      case: {
        complainants: Array<{
          channel: string;
          person: { name: string | null; residentId: string | null };
          stated: { name: string | null; residentId: string | null };
        }>;
      };
    }>(
      `query($id: ID!) { case(id: $id) { complainants { channel person { name residentId } stated { name residentId } } } }`,
      { id: first.answer.case.id },
      api.as(...chaoyang()),
    );
    expect(read.data?.case.complainants).toEqual([
      { channel: 'WALK_IN', person: { name: null, residentId: null }, stated: { name: null, residentId: null } },
      { channel: 'GRID_PATROL', person: { name: null, residentId: null }, stated: { name: '篡改者', residentId: '110101199003074514' } },
    ]);
    // Labour inspection still finds the case by the name the complaint gave.
    const search = await api.gql('{ cases(filter: { text: "篡改者" }) { totalCount } }', undefined, api.as(...chaoyang()));
    expect(search.data).toEqual({ cases: { totalCount: 1 } });
  });

  it('labour inspection records who a complainant is, on the record; nobody else may', async () => {
    const first = await intake(chaoyang(), { channel: 'WALK_IN', contactPhone: '13911110005', regionCode: '110105001' });
    const caseId = first.answer.case.id as string;
    const personId = (
      await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ person_id: string }>>('select person_id from case_complainant where case_id = ?', [caseId])
    )[0]!.person_id;
    const IDENTIFY = `mutation($i: RecordComplainantIdentityInput!) { recordComplainantIdentity(input: $i) { events { type payload } complainants { person { name residentId } } } }`;
    const input = { caseId, personId, name: '王实名', residentId: '110101199003074514' };

    const refused = await api.gql(IDENTIFY, { i: input }, api.as(city.gridWorker, city.xinjiekou));
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const done = await api.gql<{
      recordComplainantIdentity: {
        events: Array<{ type: string; payload: Record<string, unknown> }>;
        complainants: Array<{ person: unknown }>;
      };
    }>(IDENTIFY, { i: input }, api.as(...chaoyang()));
    expect(done.errors).toBeUndefined();
    expect(done.data!.recordComplainantIdentity.complainants[0]!.person).toEqual({ name: '王实名', residentId: '110101199003074514' });
    // The file says which fields changed, not their values: other agencies read the file.
    expect(done.data!.recordComplainantIdentity.events.at(-1)).toEqual({
      type: 'COMPLAINANT_IDENTIFIED',
      payload: { personId, fields: ['name', 'residentId'] },
    });

    const unchanged = await api.gql(IDENTIFY, { i: { caseId, personId, name: '王实名' } }, api.as(...chaoyang()));
    expect(unchanged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name', rule: 'identity.changes' });
  });

  it('a known phone brings no identity into another agency’s case, and identifying it there changes no other case', async () => {
    const phone = '13911110008';
    const chaoyangCase = await intake(chaoyang(), {
      channel: 'WALK_IN',
      contactPhone: phone,
      complainantName: '黎梅超',
      complainantResidentId: '370724200803186443',
      regionCode: '110105001',
    });
    // A Xicheng clerk with nothing but the phone: the new case shows what its own complaint said (nothing).
    const probe = await intake([city.clerk, city.xichengHrss], { channel: 'WALK_IN', contactPhone: phone, regionCode: '110102003' });
    expect(probe.answer.outcome).toBe('CREATED');
    expect(probe.answer.case.complainants[0].person).toEqual({ name: null, mobile: phone });
    expect(probe.raw).not.toContain('黎梅超');
    const IDENTITY = 'query($id: ID!) { case(id: $id) { complainants { person { name residentId } } } }';
    expect(
      (
        await api.gql(
          `query($id: ID!) { case(id: $id) { complainants { person { residentId } } } }`,
          { id: probe.answer.case.id },
          api.as(city.clerk, city.xichengHrss),
        )
      ).data,
    ).toEqual({ case: { complainants: [{ person: { residentId: null } }] } });

    // Xicheng records an identity on its own case, with the ID number the Chaoyang case holds: no CONFLICT that
    // would confirm whose it is, and the Chaoyang case is unchanged.
    const personId = (
      await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ person_id: string }>>('select person_id from case_complainant where case_id = ?', [probe.answer.case.id])
    )[0]!.person_id;
    const identified = await api.gql(
      'mutation($i: RecordComplainantIdentityInput!) { recordComplainantIdentity(input: $i) { complainants { person { name residentId } } } }',
      { i: { caseId: probe.answer.case.id, personId, name: '篡改者', residentId: '370724200803186443' } },
      api.as(city.inspector, city.xichengHrss),
    );
    expect(identified.errors).toBeUndefined();
    expect((await api.gql(IDENTITY, { id: chaoyangCase.answer.case.id }, api.as(...chaoyang()))).data).toEqual({
      case: { complainants: [{ person: { name: '黎梅超', residentId: '370724200803186443' } }] },
    });
  });

  it('a region nothing covers fails the same way whatever the phone: a repeat complaint is no oracle for a masked number', async () => {
    const phone = '13341102353';
    await intake(chaoyang(), { channel: 'WALK_IN', contactPhone: phone, employerUscc: city.restaurant.uscc });
    const guess = async (p: string) => {
      const res = await api.gql(
        INTAKE,
        {
          i: { channel: 'HOTLINE_12345', contactPhone: p, employerUscc: city.restaurant.uscc, regionCode: '110199', description: 'probe' },
        },
        api.as(city.hotline, city.integrator),
      );
      return res.errors?.[0]?.extensions ?? res.data;
    };
    const right = await guess(phone);
    const wrong = await guess('13341100000');
    expect(right).toEqual(wrong);
    expect(right).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'known-region-with-inspection' });
  });

  it('an unknown project code or employer code is said in the answer, and the complaint is still taken in', async () => {
    const r = await intake(chaoyang(), {
      channel: 'WALK_IN',
      contactPhone: '13911110006',
      regionCode: '110105001',
      projectCode: 'NO-SUCH-PROJECT',
      employerUscc: '91110000MA01AAAA10',
    });
    expect(r.answer.outcome).toBe('CREATED');
    expect(r.answer.warnings).toEqual([
      { field: 'input.employerUscc', rule: 'employer.known' },
      { field: 'input.projectCode', rule: 'project.known' },
    ]);
    const known = await intake(chaoyang(), { channel: 'WALK_IN', contactPhone: '13911110007', projectCode: 'XC-2026-001' });
    expect(known.answer.warnings).toEqual([]);
  });
});
