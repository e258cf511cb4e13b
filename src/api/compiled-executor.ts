import type { ApolloServerOptions } from '@apollo/server';
import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Apollo Server's `gateway` option: since Apollo Server 4 the supported place for an executor of one's own. */
type Gateway = NonNullable<Extract<ApolloServerOptions<never>, { gateway: unknown }>['gateway']>;
type GatewayExecutor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type GatewayRequestContext = Parameters<GatewayExecutor>[0];

/** How many compiled documents one API process keeps (least recently used dropped first). */
export const COMPILED_DOCUMENTS = 500;

/** Which executor ran a request: what the tests and `stats()` look at. */
export type ExecutorPath = 'compiled' | 'graphql-js';

/**
 * A small least-recently-used map: a `Map` keeps insertion order, so a hit is moved to the end and the first key is
 * the oldest. A client sending endless distinct documents only ever holds `limit` compiled documents.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error('an LRU needs room for one entry');
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as K);
  }

  get size(): number {
    return this.map.size;
  }
}

/** A document graphql-jit would not compile: remembered so it is not tried again on every request. */
const NOT_COMPILED = Symbol('not compiled');

/**
 * Queries through graphql-jit: each document (with its operation name) compiled once into a JavaScript function
 * and kept in a bounded LRU; everything else through graphql-js as before. Apollo parses, validates (with the
 * document limits and armor's rules already applied in the guard's pre-check) and formats errors either way: only
 * `execute` changes. graphql-jit gives resolvers the same `info` (fieldNodes, fragments, variableValues), errors
 * as `GraphQLError`s with the resolver's error as `originalError` (its `extensions.code` kept) and a field path.
 *
 * Falls back to graphql-js for: subscriptions (graphql-ws executes those itself) and mutations (their serial
 * execution stays with the reference implementation: they are not the read path), a document graphql-jit fails to
 * compile, and a request whose variables do not coerce (nothing has run yet; graphql-js words that error the way
 * `formatError` and Apollo's HTTP 400 for bad variables expect).
 */
export class CompiledExecutor {
  private readonly cache: Lru<string, CompiledQuery | typeof NOT_COMPILED>;
  private counts = { compiled: 0, 'graphql-js': 0, compilations: 0, compileFailures: 0 };

  constructor(
    private readonly schema: GraphQLSchema,
    opts: { cacheSize?: number; compile?: typeof compileQuery } = {},
  ) {
    this.cache = new Lru(opts.cacheSize ?? COMPILED_DOCUMENTS);
    this.compile = opts.compile ?? compileQuery;
  }

  /** graphql-jit's `compileQuery` (a test gives one that fails, to see the fallback). */
  private readonly compile: typeof compileQuery;

  /** Counters since start (tests; a debugging aid): requests by path, compilations, documents that did not compile. */
  stats(): { compiled: number; 'graphql-js': number; compilations: number; compileFailures: number; cached: number } {
    return { ...this.counts, cached: this.cache.size };
  }

  /** Apollo's gateway interface around `execute`: the schema is fixed, so it is announced once and never updated. */
  gateway(): Gateway {
    const schema = this.schema;
    return {
      load: async () => ({ schema, executor: (rc: GatewayRequestContext) => this.execute(rc) }),
      onSchemaLoadOrUpdate: (callback) => {
        callback({ apiSchema: schema, coreSupergraphSdl: '' });
        return () => undefined;
      },
      stop: async () => undefined,
    };
  }

  async execute(rc: GatewayRequestContext): Promise<ExecutionResult> {
    const { document, operation, request } = rc;
    const operationName = rc.operationName ?? undefined;
    if (operation.operation === 'query') {
      const compiled = this.compiled(rc.queryHash, document, operationName);
      if (compiled) {
        const result = await compiled.query(undefined, rc.context, request.variables ?? {});
        // Variables that did not coerce: no data and nothing executed; graphql-js gives its own wording.
        if (!(result.errors?.length && result.data === undefined)) {
          this.count('compiled');
          return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : (result as ExecutionResult);
        }
      }
    }
    this.count('graphql-js');
    return execute({ schema: this.schema, document, contextValue: rc.context, variableValues: request.variables, operationName });
  }

  private count(path: ExecutorPath): void {
    this.counts[path]++;
  }

  private compiled(queryHash: string, document: DocumentNode, operationName: string | undefined): CompiledQuery | undefined {
    const key = `${operationName ?? ''}\n${queryHash}`;
    let entry = this.cache.get(key);
    if (entry === undefined) {
      this.counts.compilations++;
      let result: ReturnType<typeof compileQuery> | undefined;
      try {
        result = this.compile(this.schema, document, operationName);
      } catch {
        result = undefined;
      }
      entry = result && isCompiledQuery(result as Parameters<typeof isCompiledQuery>[0]) ? (result as CompiledQuery) : NOT_COMPILED;
      if (entry === NOT_COMPILED) this.counts.compileFailures++;
      this.cache.set(key, entry);
    }
    return entry === NOT_COMPILED ? undefined : entry;
  }
}

/**
 * graphql-jit's errors are GraphQLErrors whose properties are read-only; Apollo's plugins rewrite messages in place
 * (graphql-armor masks field suggestions in production), so each becomes graphql-js's own error, as
 * `locatedError` makes it: the same message, path, locations, extensions and original error.
 */
function asGraphQLJsError(e: GraphQLError): GraphQLError {
  const copy = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions });
  if (e.locations) (copy as { locations?: GraphQLError['locations'] }).locations = e.locations;
  return copy;
}
