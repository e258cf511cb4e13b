import {
  GraphQLError,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  parse,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from 'graphql';
import { CompiledExecutor, Lru } from '../src/api/compiled-executor';
import { ConfigError, loadConfig } from '../src/config';
import { notFound } from '../src/domain/errors';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';

/** What the case list's resolver reads of `info`: the names below the field, through fragments and variables. */
let seenInfo: { fields: string[]; fragments: string[]; variables: Record<string, unknown> } | undefined;
const echoed = new GraphQLObjectType({
  name: 'Echoed',
  fields: { a: { type: GraphQLString }, b: { type: GraphQLString } },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: { type: GraphQLString, args: { name: { type: GraphQLString } }, resolve: (_r, a: { name?: string }) => `hi ${a.name ?? ''}` },
      echoed: {
        type: echoed,
        resolve: (_r, _a, _c, info: GraphQLResolveInfo) => {
          const fields = info.fieldNodes.flatMap((n) =>
            (n.selectionSet?.selections ?? []).flatMap((s) =>
              s.kind === Kind.FIELD
                ? [s.name.value]
                : s.kind === Kind.FRAGMENT_SPREAD
                  ? (info.fragments[s.name.value]?.selectionSet.selections ?? []).map((f) => (f.kind === Kind.FIELD ? f.name.value : '?'))
                  : [],
            ),
          );
          seenInfo = { fields, fragments: Object.keys(info.fragments), variables: info.variableValues };
          return { a: 'A', b: 'B' };
        },
      },
      missing: {
        type: new GraphQLNonNull(GraphQLString),
        resolve: () => {
          throw notFound('case', 'X');
        },
      },
    },
  }),
  mutation: new GraphQLObjectType({ name: 'Mutation', fields: { poke: { type: GraphQLString, resolve: () => 'poked' } } }),
});

/** The request context Apollo hands a gateway's executor, as far as the executor reads it. */
function request(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return {
    document,
    operation,
    operationName: operationName ?? operation.name?.value ?? null,
    queryHash: `hash:${query}`,
    request: { query, variables },
    context: {},
  } as unknown as Parameters<CompiledExecutor['execute']>[0];
}

describe('the compiled executor (graphql-jit behind Apollo’s gateway interface)', () => {
  it('runs a query compiled, once per document, with the info the case list reads and graphql-js’s answer', async () => {
    const ex = new CompiledExecutor(schema);
    const q = `query Q($n: String) { hello(name: $n) echoed { ...f b } } fragment f on Echoed { a }`;
    const first = await ex.execute(request(q, { n: 'x' }));
    const second = await ex.execute(request(q, { n: 'y' }));
    expect(first).toEqual({ data: { hello: 'hi x', echoed: { a: 'A', b: 'B' } } });
    expect(second.data?.hello).toBe('hi y');
    expect(ex.stats()).toMatchObject({ compiled: 2, 'graphql-js': 0, compilations: 1, cached: 1 });
    expect(seenInfo).toEqual({ fields: ['a', 'b'], fragments: ['f'], variables: { n: 'y' } });
  });

  it('keeps a resolver’s error as graphql-js does: a GraphQLError with the original error, its code and the field path', async () => {
    const ex = new CompiledExecutor(schema);
    const result = await ex.execute(request('{ hello missing }'));
    expect(ex.stats().compiled).toBe(1);
    expect(result.data).toBeNull();
    const err = result.errors![0]!;
    expect(err).toBeInstanceOf(GraphQLError);
    expect(err.path).toEqual(['missing']);
    expect(err.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((err.originalError as Error).message).toBe('case X not found');
    expect(err.toJSON()).toMatchObject({ message: 'case X not found', path: ['missing'], extensions: { code: 'NOT_FOUND' } });
    expect(err.locations).toEqual([{ line: 1, column: 9 }]);
    // Apollo's plugins rewrite an error's message in place (graphql-armor's suggestion mask in production).
    err.message = 'rewritten';
    expect(err.message).toBe('rewritten');
  });

  it('falls back to graphql-js for a document that does not compile, for variables that do not coerce, and for mutations', async () => {
    const failing = (() => ({ errors: [new GraphQLError('cannot compile')] })) as unknown as ConstructorParameters<
      typeof CompiledExecutor
    >[1] extends infer O
      ? O extends { compile?: infer C }
        ? C
        : never
      : never;
    const ex = new CompiledExecutor(schema, { compile: failing });
    expect(await ex.execute(request('{ hello }'))).toEqual({ data: { hello: 'hi ' } });
    expect(await ex.execute(request('{ hello }'))).toEqual({ data: { hello: 'hi ' } });
    // Tried once, remembered as not compiling.
    expect(ex.stats()).toMatchObject({ compiled: 0, 'graphql-js': 2, compilations: 1, compileFailures: 1 });

    const throwing = new CompiledExecutor(schema, {
      compile: (() => {
        throw new Error('boom');
      }) as never,
    });
    expect(await throwing.execute(request('{ hello }'))).toEqual({ data: { hello: 'hi ' } });
    expect(throwing.stats()).toMatchObject({ 'graphql-js': 1, compileFailures: 1 });

    const real = new CompiledExecutor(schema);
    const bad = await real.execute(request('query($n: String) { hello(name: $n) }', { n: { not: 'a string' } }));
    expect(bad.data).toBeUndefined();
    expect(bad.errors?.[0]?.message).toMatch(/^Variable "\$n" got invalid value/);
    expect(await real.execute(request('mutation { poke }'))).toEqual({ data: { poke: 'poked' } });
    expect(real.stats()).toMatchObject({ compiled: 0, 'graphql-js': 2 });
  });

  it('holds at most its bound of compiled documents, whatever number of distinct documents arrive', async () => {
    const ex = new CompiledExecutor(schema, { cacheSize: 10 });
    for (let i = 0; i < 100; i++) await ex.execute(request(`{ hello(name: "${i}") }`));
    expect(ex.stats()).toMatchObject({ compiled: 100, compilations: 100, cached: 10 });
    // The most recent are kept; the oldest compile again.
    await ex.execute(request('{ hello(name: "99") }'));
    expect(ex.stats().compilations).toBe(100);
    await ex.execute(request('{ hello(name: "0") }'));
    expect(ex.stats()).toMatchObject({ compilations: 101, cached: 10 });
    // The same text under another operation name is another entry.
    const two = 'query A { hello } query B { hello(name: "b") }';
    expect((await ex.execute(request(two, undefined, 'B'))).data).toEqual({ hello: 'hi b' });
    expect((await ex.execute(request(two, undefined, 'A'))).data).toEqual({ hello: 'hi ' });
    expect(ex.stats().compilations).toBe(103);
  });

  it('the LRU drops the least recently used entry', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
  });

  it('is on unless GRAPHQL_JIT says off, and a value that is neither is a configuration error naming it', () => {
    expect(loadConfig({}).api.graphqlJit).toBe(true);
    expect(loadConfig({ GRAPHQL_JIT: 'on' }).api.graphqlJit).toBe(true);
    expect(loadConfig({ GRAPHQL_JIT: 'off' }).api.graphqlJit).toBe(false);
    expect(() => loadConfig({ GRAPHQL_JIT: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ GRAPHQL_JIT: 'maybe' })).toThrow(/GRAPHQL_JIT/);
  });
});

describe('the API with the compiled executor and without it', () => {
  let db: TestDatabase;
  let jit: TestApi;
  let plain: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let executor: CompiledExecutor;

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    const gateway = jest.spyOn(CompiledExecutor.prototype, 'gateway');
    try {
      jit = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
      expect(gateway).toHaveBeenCalledTimes(1);
      executor = gateway.mock.contexts[0] as CompiledExecutor;
      plain = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1', graphqlJit: false });
      expect(gateway).toHaveBeenCalledTimes(1);
    } finally {
      gateway.mockRestore();
    }
    // A few cases to list (no Temporal here: the outbox keeps the starts).
    for (let i = 0; i < 3; i++) {
      const intake = await jit.gql(
        'mutation Intake($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id } } }',
        {
          i: {
            channel: 'HOTLINE_12345',
            channelRef: `JIT-${i}`,
            contactPhone: `1391234560${i}`,
            description: `拖欠工资 张三${i}`,
            regionCode: '110102003',
          },
        },
        jit.as(city.hotline, city.integrator),
      );
      expect(intake.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await jit?.stop();
    await plain?.stop();
    await db?.drop();
  });

  it('answers the dashboard list, errors and refusals the same through both, and the queries ran compiled', async () => {
    const before = executor.stats();
    const list = `query List($f: CaseFilter, $first: Int) { cases(filter: $f, first: $first) { totalCount edges { node { ...row } } pageInfo { hasNextPage endCursor } } }
      fragment row on Case { number status description employer { id name } project { id name } leadInspector { id name } region { code name } owningAgency { id name } }`;
    const asks: Array<[string, Record<string, unknown> | undefined, Record<string, string>]> = [
      // HRSS: the whole page; a district officer: masked, in its own scope.
      [list, { f: { regionCode: '110102' }, first: 50 }, jit.as(city.director, city.xichengHrss)],
      [list, { f: { regionCode: '110102' }, first: 2 }, jit.as(city.districtOfficer, city.xichengGov)],
      // Refusals: not found with its path; bad variables with the field; no token.
      ['query One { case(number: "110102-2026-999999") { id number } }', undefined, jit.as(city.director, city.xichengHrss)],
      [list, { f: { statuses: ['NO_SUCH_STATUS'] } }, jit.as(city.director, city.xichengHrss)],
      [list, { f: { regionCode: '110102' }, first: 50 }, {}],
    ];
    for (const [q, v, h] of asks) {
      const a = await jit.gql(q, v, h);
      const b = await plain.gql(q, v, h);
      const strip = (r: typeof a) => ({ status: r.status, data: r.data, errors: r.errors });
      expect(strip(a)).toEqual(strip(b));
    }
    const first = await jit.gql(list, { f: { regionCode: '110102' }, first: 50 }, jit.as(city.director, city.xichengHrss));
    expect((first.data as { cases: { totalCount: number } }).cases.totalCount).toBe(3);
    const bad = await jit.gql(list, { f: { statuses: ['NO_SUCH_STATUS'] } }, jit.as(city.director, city.xichengHrss));
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'f.statuses[0]' });
    const missing = await jit.gql(
      'query One { case(number: "110102-2026-999999") { id } }',
      undefined,
      jit.as(city.director, city.xichengHrss),
    );
    expect(missing.errors?.[0]).toMatchObject({ path: ['case'], extensions: { code: 'NOT_FOUND' } });

    const after = executor.stats();
    // Through the compiled path: the list (as HRSS twice, as the district once; its fragment and variables read by
    // the list's look-ahead) and the two case queries. Through graphql-js: the two requests whose variables did not
    // coerce. The unauthenticated request was refused before Apollo. Three documents compiled, each once.
    expect(after.compiled - before.compiled).toBe(5);
    expect(after['graphql-js'] - before['graphql-js']).toBe(2);
    expect(after.compilations - before.compilations).toBe(3);
  });
});
