import fc from 'fast-check';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { WsCaller } from './support/ws';

/**
 * Property-based fuzzing of the running API (fast-check): thousands of generated documents and variable sets —
 * malformed codes, negative or huge money, 1 MB strings, unicode tricks, deep nesting, wrong types. For every one:
 * no 5xx and no internal error, every error carries a code, and a rejected mutation leaves the database exactly as
 * it was. The generated documents also go over graphql-ws, which must refuse them the same way and never run a
 * mutation.
 */
const RUNS_VARIABLES = Number(process.env.FUZZ_RUNS ?? 3000);
const RUNS_DOCUMENTS = Math.round(RUNS_VARIABLES / 2);

describe('fuzzing the GraphQL API', () => {
  let db: TestDatabase;
  let api: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let caseId: string;
  const tally = { requests: 0, rejected: 0, accepted: 0 };

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    const created = await api.gql<{ intakeComplaint: { case: { id: string } } }>(
      'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id } } }',
      { i: { channel: 'WALK_IN', contactPhone: '13800000000', description: '拖欠工资', regionCode: '110102003' } },
      api.as(city.inspector, city.xichengHrss),
    );
    caseId = created.data!.intakeComplaint.case.id;
  });
  afterAll(async () => {
    process.stdout.write(`fuzz: ${tally.requests} requests (${tally.rejected} rejected, ${tally.accepted} accepted)\n`);
    await api?.stop();
    await db?.drop();
  });

  /** Everything a mutation could change, in one row: counts and version sums of every table. */
  const fingerprint = async () =>
    JSON.stringify(
      await db.orm.em.fork().getConnection().execute(`select
        (select count(*) from wage_case) cases, (select coalesce(sum(version), 0) from wage_case) case_versions,
        (select count(*) from case_event) events, (select count(*) from case_complainant) complainants, (select count(*) from person) people,
        (select count(*) from employer) employers, (select count(*) from project) projects, (select coalesce(sum(version), 0) from project) project_versions,
        (select count(*) from payment) payments, (select count(*) from contact) contacts, (select count(*) from case_process) processes,
        (select count(*) from process_party) parties, (select count(*) from workflow_outbox) outbox,
        (select coalesce(sum(n), 0) from case_tally) tallied`),
    );

  // ——— hostile values ———
  const unicodeTricks = fc.constantFrom(
    '\u202e1381234567',
    '\u200b',
    '\u0000',
    '\ud800',
    '１３８１２３４５６７８',
    'Ⅸ',
    '👷‍♂️'.repeat(50),
    'ＤＲＯＰ TABLE',
    "'; drop table wage_case; --",
    '${7*7}',
    '<script>',
    '\\u0000',
  );
  const hugeString = fc.constantFrom('x'.repeat(300_000), '工'.repeat(200_000), ' '.repeat(100_000));
  const badCode = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.stringMatching(/^[0-9A-Z]{18}$/),
    fc.stringMatching(/^\d{6,12}$/),
    fc.constantFrom('91110000600037341M', '110199', '999999', '11010219900307451X', '2026-13-45', 'O0O0O0'),
  );
  const badMoney = fc.oneof(
    fc.integer({ min: -1e9, max: 0 }),
    fc.constantFrom(2 ** 53, 2 ** 63, 1e30, -1e30, 12.5, Number.MAX_VALUE),
    fc.constantFrom('12', '1e3', 'NaN', '-0', '0x10'),
  );
  const wrongType = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  );
  const deep = fc.integer({ min: 50, max: 2000 }).map((n) => {
    let v: unknown = 'x';
    for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
    return v;
  });
  const hostile = fc.oneof(
    { weight: 3, arbitrary: badCode },
    { weight: 2, arbitrary: badMoney },
    { weight: 2, arbitrary: unicodeTricks },
    { weight: 1, arbitrary: hugeString },
    { weight: 3, arbitrary: wrongType },
    { weight: 1, arbitrary: deep },
  );
  const id = fc.oneof(fc.uuid(), fc.constant('not-a-uuid'), fc.constant(''), fc.constantFrom(caseIdRef()));
  function caseIdRef(): string {
    return 'case-id';
  }

  /** A mutation and its input, one field of which (at least) is hostile. */
  const MUTATIONS: Array<{ doc: string; input: Record<string, fc.Arbitrary<unknown>> }> = [
    {
      doc: 'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { outcome } }',
      input: {
        channel: fc.constantFrom('WALK_IN', 'HOTLINE_12345', 'NOPE'),
        contactPhone: badCode,
        description: fc.oneof(fc.constant(''), hugeString, unicodeTricks),
        regionCode: badCode,
        amountClaimed: badMoney,
        workersAffected: badMoney,
        complainantResidentId: badCode,
        employerUscc: badCode,
      },
    },
    {
      doc: 'mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }',
      input: {
        caseId: id,
        amount: badMoney,
        workersPaid: badMoney,
        paidOn: badCode,
        payer: fc.oneof(unicodeTricks, hugeString, fc.constant('')),
        source: fc.constantFrom('EMPLOYER', 'BANK', 7),
      },
    },
    {
      doc: 'mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }',
      input: {
        caseId: id,
        kind: fc.constantFrom('CALL', 'TELEPATHY'),
        outcome: fc.constantFrom('REACHED', 1),
        at: fc.oneof(badCode, fc.constant('2999-01-01T00:00:00Z')),
        notes: fc.oneof(hugeString, unicodeTricks),
      },
    },
    {
      doc: 'mutation($i: AcceptCaseInput!) { acceptCase(input: $i) { id } }',
      input: { caseId: id, employerUscc: badCode, projectCode: fc.oneof(badCode, hugeString), expectedVersion: badMoney },
    },
    {
      doc: 'mutation($i: RejectCaseInput!) { rejectCase(input: $i) { id } }',
      input: { caseId: id, reason: fc.oneof(fc.constant(''), fc.constant('no'), hugeString), expectedVersion: badMoney },
    },
    {
      doc: 'mutation($i: TransferCaseInput!) { transferCase(input: $i) { id } }',
      input: { caseId: id, to: fc.oneof(fc.constant(''), hugeString), reason: fc.oneof(fc.constant(''), wrongType) },
    },
    { doc: 'mutation($i: AssignLeadInput!) { assignLead(input: $i) { id } }', input: { caseId: id, inspectorId: id } },
    {
      doc: 'mutation($i: RegisterEmployerInput!) { registerEmployer(input: $i) { id } }',
      input: { uscc: badCode, name: fc.oneof(fc.constant('x'), hugeString, unicodeTricks) },
    },
    {
      doc: 'mutation($i: RegisterProjectInput!) { registerProject(input: $i) { id } }',
      input: {
        code: fc.oneof(fc.constant(''), hugeString),
        name: fc.oneof(fc.constant(''), unicodeTricks),
        regionCode: badCode,
        wageDeposit: badMoney,
        workerCount: badMoney,
        generalContractorUscc: badCode,
      },
    },
    {
      doc: 'mutation($i: UpdateProjectInput!) { updateProject(input: $i) { id } }',
      input: { id, expectedVersion: badMoney, wageDeposit: badMoney, workerCount: badMoney },
    },
    { doc: 'mutation($i: StartProcessInput!) { dispatchCase(input: $i) { id } }', input: { caseId: fc.oneof(id, wrongType) } },
    {
      doc: 'mutation($i: ProposePoliceReferralInput!) { proposePoliceReferral(input: $i) { id } }',
      input: {
        caseId: id,
        team: fc.oneof(fc.array(id, { maxLength: 30 }), wrongType),
        policeAgencyId: id,
        orderToPayIssuedOn: badCode,
        orderToPayDueOn: badCode,
        grounds: fc.oneof(fc.constant(''), hugeString),
      },
    },
    {
      doc: 'mutation($i: ConveneMediationInput!) { conveneMediation(input: $i) { id } }',
      input: {
        caseId: id,
        parties: fc.oneof(
          fc.constant([]),
          fc.array(fc.record({ role: fc.constantFrom('UNION', 'X'), name: unicodeTricks }), { maxLength: 60 }),
        ),
        agencyIds: fc.array(id, { maxLength: 25 }),
      },
    },
    {
      doc: 'mutation($i: RecordAgreementInput!) { recordMediationAgreement(input: $i) { id } }',
      input: {
        processId: id,
        instalments: fc.oneof(fc.constant([]), fc.array(fc.record({ dueOn: badCode, amount: badMoney }), { maxLength: 40 })),
      },
    },
    {
      doc: 'mutation($i: ApproveExtensionInput!) { approveExtension(input: $i) { id } }',
      input: { caseId: id, reason: fc.oneof(fc.constant(''), hugeString), idempotencyKey: hugeString },
    },
  ];

  function assertCoded(res: Awaited<ReturnType<TestApi['gql']>>, what: string): void {
    if (res.status >= 500) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.errors)?.slice(0, 500)}`);
    for (const e of res.errors ?? []) {
      const code = e.extensions?.code;
      if (typeof code !== 'string') throw new Error(`${what}: error without a code: ${JSON.stringify(e).slice(0, 300)}`);
      if (code === 'INTERNAL_SERVER_ERROR') throw new Error(`${what}: internal error: ${e.message}`);
    }
  }

  it('survives hostile variables: coded refusals, and a rejected mutation writes nothing', async () => {
    const inspector = api.as(city.inspector, city.xichengHrss);
    const request = fc
      .integer({ min: 0, max: MUTATIONS.length - 1 })
      .chain((m) => fc.record({ m: fc.constant(m), input: fc.record(MUTATIONS[m]!.input, { requiredKeys: [] }) }));
    await fc.assert(
      fc.asyncProperty(request, async ({ m, input }) => {
        const vars = JSON.parse(JSON.stringify({ i: input }).replaceAll('"case-id"', JSON.stringify(caseId)));
        const before = await fingerprint();
        const res = await api.gql(MUTATIONS[m]!.doc, vars, inspector);
        tally.requests++;
        assertCoded(res, MUTATIONS[m]!.doc);
        if (res.errors?.length) {
          tally.rejected++;
          expect(await fingerprint()).toBe(before);
        } else tally.accepted++;
      }),
      { numRuns: RUNS_VARIABLES, seed: 20261124 },
    );
  }, 600_000);

  /** Documents: valid ones mutated by a few edits, deep nesting, and garbage. */
  function documents(valid: string[]): fc.Arbitrary<string> {
    const mutate = fc
      .tuple(
        fc.constantFrom(...valid),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom('{', '}', '(', ')', '$', ':', '"', '...', '@skip', '#', '\u0000', 'fragment F on Case { id }', '', 'x'),
          ),
          { maxLength: 6 },
        ),
      )
      .map(([doc, edits]) => {
        let d = doc;
        for (const [at, s] of edits) {
          const i = at % (d.length + 1);
          d = s === '' ? d.slice(0, i) + d.slice(i + 1) : d.slice(0, i) + s + d.slice(i);
        }
        return d;
      });
    const nested = fc.integer({ min: 5, max: 400 }).map((n) => `{ regions { ${'code '.repeat(3)}${'a { '.repeat(n)}b${' }'.repeat(n)} } }`);
    const garbage = fc.oneof(fc.string({ maxLength: 2000 }), fc.string({ unit: 'binary', maxLength: 500 }));
    return fc.oneof({ weight: 4, arbitrary: mutate }, { weight: 1, arbitrary: nested }, { weight: 2, arbitrary: garbage });
  }
  const VALID = [
    '{ cases(first: 5) { totalCount edges { node { number status } } } }',
    '{ regions { code name } }',
    '{ case(number: "x") { id } }',
    'query($n: String!, $p: Mobile!) { caseStatus(number: $n, phone: $p) { status } }',
    'mutation { registerEmployer(input: { uscc: "x", name: "y" }) { id } }',
  ];
  const vars = fc.option(fc.dictionary(fc.string({ maxLength: 8 }), hostile, { maxKeys: 4 }), { nil: undefined });

  it('survives generated documents: garbage, mutated queries, deep nesting, anonymous or not', async () => {
    await fc.assert(
      fc.asyncProperty(documents(VALID), vars, fc.boolean(), async (d, v, signedIn) => {
        const before = await fingerprint();
        const res = await api.gql(d, v as Record<string, unknown> | undefined, signedIn ? api.as(city.inspector, city.xichengHrss) : {});
        tally.requests++;
        assertCoded(res, d.slice(0, 200));
        if (res.errors?.length) {
          tally.rejected++;
          expect(await fingerprint()).toBe(before);
        } else tally.accepted++;
      }),
      { numRuns: RUNS_DOCUMENTS, seed: 20261125 },
    );
  }, 600_000);

  it('survives generated documents over graphql-ws: coded refusals, no internal error, no mutation run', async () => {
    // The same documents, plus subscriptions and valid mutations, over one socket per caller.
    const overSocket = [
      ...VALID,
      'subscription { caseEvents { seq type caseNumber } }',
      'subscription($a: String) { caseEvents(after: $a) { cursor } }',
      `mutation { recordContact(input: { caseId: "${caseId}", kind: CALL, outcome: REACHED }) { id } }`,
    ];
    const sockets = {
      anonymous: new WsCaller(api.url),
      signedIn: new WsCaller(api.url, api.as(city.inspector, city.xichengHrss).authorization),
    };
    const sent = { requests: 0, refused: 0, subscribed: 0 };
    try {
      await fc.assert(
        fc.asyncProperty(documents(overSocket), vars, fc.boolean(), async (d, v, signedIn) => {
          const before = await fingerprint();
          const res = await sockets[signedIn ? 'signedIn' : 'anonymous'].run(d, v as Record<string, unknown> | undefined, 500);
          sent.requests++;
          // A message over 1 MB is refused by the WebSocket itself (1009, as HTTP answers 413); nothing else closes it.
          const oversized = Buffer.byteLength(JSON.stringify({ query: d, variables: v })) > 1_000_000;
          if (res.closeCode !== undefined && !(oversized && res.closeCode === 1009))
            throw new Error(`${d.slice(0, 200)}: the socket closed with ${res.closeCode}`);
          for (const e of res.errors ?? []) {
            const code = e.extensions?.code;
            if (typeof code !== 'string') throw new Error(`${d.slice(0, 200)}: error without a code: ${JSON.stringify(e).slice(0, 300)}`);
            if (code === 'INTERNAL_SERVER_ERROR') throw new Error(`${d.slice(0, 200)}: internal error: ${e.message}`);
          }
          if (res.errors?.length) sent.refused++;
          if (res.open) sent.subscribed++;
          // Nothing sent over the socket writes: a mutation is refused before it runs.
          expect(await fingerprint()).toBe(before);
        }),
        { numRuns: Math.round(RUNS_DOCUMENTS / 3), seed: 20261129 },
      );
    } finally {
      await Promise.all([sockets.anonymous.dispose(), sockets.signedIn.dispose()]);
      process.stdout.write(
        `fuzz over graphql-ws: ${sent.requests} documents (${sent.refused} refused, ${sent.subscribed} subscriptions)\n`,
      );
    }
  }, 600_000);
});
