import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, printSchema } from 'graphql';
import type { Orm } from '../db/database';
import type { Logger } from '../logger';
import type { Actor, RequestContext } from './context';
import { Tokens } from '../auth/tokens';
import { CaseEventListener } from '../events/event-listener';
import { CaseTallyCompactor } from '../cases/case-tally';
import { StatisticsCompactor } from '../statistics/statistics-compactor';
import { CaseEventFeed } from '../events/case-event-feed';
import { FeedHorizon } from '../events/feed-horizon';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { postgresRateLimiters, type RateLimiters } from '../infra/rate-limiters';
import { CallerGuard } from './caller-guard';
import { DOCUMENT_LIMITS, DocumentRefused } from './document-limits';
import type { DevPersona } from './dev-personas';
import { graphiqlRouter } from './graphiql';
import { formatError } from './format-error';
import { ErrorCode } from '../domain/errors';
import { executionContext } from '../app/execution';
import type { AnyProcessModule } from '../processes/process-module';
import { buildAppSchema } from './schema';
import type { Services } from '../app/services';
import { startWebSocketServer } from './websocket-server';
import { mountDailyReportDownloads } from './daily-report-downloads';
import { feedLagSeconds } from '../events/feed-lag';
import { graphqlMetricsPlugin, Metrics } from '../observability/metrics';
import { opsRouter, Probes } from '../observability/probes';
import { graphqlSpanMiddleware, graphqlTracingPlugin } from '../observability/tracing';
import { CompiledExecutor } from './compiled-executor';

/** A demo persona offered on the dashboard's sign-in page under `npm start` (development only). */
export interface ApiServer {
  url: string;
  /** The dashboard's address (`/`), when this server serves it. */
  dashboardUrl: string | null;
  /** Open case-event subscriptions in this process. */
  subscribers(): number;
  /** The compiled executor's counters (requests by executor, compilations), or null when `GRAPHQL_JIT` is off. */
  executorStats(): ReturnType<CompiledExecutor['stats']> | null;
  stop(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Logs one line per operation with its request id and duration; faults with their stack. */
function requestLogging(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async didResolveOperation({ operation, contextValue: ctx }) {
          // The case file records which operation wrote each entry: the root field(s) of the document.
          if (!operation) return;
          const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === 'Field' ? [s.name.value] : []));
          ctx.operation = `${operation.operation}:${fields.join(',')}`.slice(0, 80);
        },
        async didEncounterErrors({ errors, contextValue: ctx }) {
          for (const err of errors) {
            const code = err.extensions?.code;
            if (!code || code === 'INTERNAL_SERVER_ERROR') ctx.log.error({ err: err.originalError ?? err }, 'unexpected error');
          }
        },
        async willSendResponse({ operationName, errors }) {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          contextValue.log.info(
            { operation: operationName ?? undefined, ms: Math.round(ms * 10) / 10, errors: errors?.length ?? 0 },
            'graphql',
          );
        },
      };
    },
  };
}

/**
 * A refusal that ends the whole request answers with its HTTP status (429 and Retry-After past a limit), as an
 * edge refusal does; the use cases throw domain errors and know nothing of HTTP.
 */
function domainErrorStatus(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || response.body.singleResult.data) return;
          const limited = response.body.singleResult.errors?.find((e) => e.extensions?.code === ErrorCode.RateLimited);
          if (!limited) return;
          response.http.status = 429;
          response.http.headers.set('retry-after', String(limited.extensions?.retryAfterSeconds ?? 1));
        },
      };
    },
  };
}

export async function startApiServer(opts: {
  host: string;
  port: number;
  orm: Orm;
  services: Services;
  /** The processes whose resolvers the schema carries (default: the registry's). */
  processModules?: ReadonlyArray<AnyProcessModule>;
  log: Logger;
  /** Verifies the bearer token of each request. */
  tokens: Tokens;
  exposeErrorDetails?: boolean;
  /** Production: no introspection, no field suggestions, no stack traces. */
  production?: boolean;
  /** Requests per minute for one signed-in user (HTTP requests, WebSocket connections and subscribes together). */
  rateLimitPerMinute?: number;
  /** Requests per minute for one address without a token: anonymous callers only use the public lookups. */
  anonymousRateLimitPerMinute?: number;
  /** Where the rate limits count (default PostgreSQL, shared by every API process on the database). */
  rateLimiters?: RateLimiters;
  /** Live subscriptions of one principal across its sockets (default 20); the feed bench runs 1,000 as one user. */
  subscriptionsPerPrincipal?: number;
  /** The built dashboard (`npm run build:web`), served at `/` (default: dist/web beside this build, when it exists). */
  webRoot?: string | null;
  /**
   * Development only: the demo personas with their tokens, listed at GET /dev/personas for the dashboard's sign-in.
   * Never given in production (the route then does not exist).
   */
  devPersonas?: () => ReadonlyArray<DevPersona>;
  /** The process's metrics, served at GET /metrics with the probes (default: a registry of this server's own). */
  metrics?: Metrics;
  /** True once the process drains (Lifecycle.draining): /readyz answers 503. */
  draining?: () => boolean;
  /** How long in-flight requests get to finish when the server stops (SHUTDOWN_GRACE_MS; default 10 s). */
  shutdownGraceMs?: number;
  /** Spans for GraphQL requests (tracing is on: src/observability/tracing.ts). */
  tracing?: boolean;
  /** Queries through graphql-jit (src/api/compiled-executor.ts); default on (the entry points pass `GRAPHQL_JIT`). */
  graphqlJit?: boolean;
}): Promise<ApiServer> {
  const app = express();
  // No ETag on GraphQL answers (a hash of every response body for a header no client sends back on a POST); the
  // dashboard's static files keep theirs (express.static sets its own).
  app.set('etag', false);
  const httpServer = http.createServer(app);
  const metrics = opts.metrics ?? new Metrics();
  let stopping = false;
  const probes = new Probes({ health: opts.services.health, orm: opts.orm, draining: () => stopping || (opts.draining?.() ?? false) });
  app.use(metrics.inFlight());
  // Prometheus and the orchestrator's probes: counts and states, no token (README "Metrics, traces and probes").
  app.use(opsRouter({ metrics, probes }));
  const schema = await buildAppSchema({ services: opts.services, modules: opts.processModules });
  // One guard for both transports: authentication, per-principal rate limits and the document limits by caller tier
  // (src/api/document-limits.ts), checked before graphql-js's validation runs.
  const guard = new CallerGuard(
    opts.tokens,
    schema,
    { signedInPerMinute: opts.rateLimitPerMinute ?? 600, anonymousPerMinute: opts.anonymousRateLimitPerMinute ?? 60 },
    opts.rateLimiters ?? postgresRateLimiters(opts.orm),
  );
  // graphql-armor here only hides field suggestions in production; its limits run in the guard's pre-check.
  const armor = new ApolloArmor({
    maxDepth: { enabled: false },
    maxAliases: { enabled: false },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    maxDirectives: { enabled: false },
    blockFieldSuggestion: { enabled: !!opts.production },
  }).protect();

  // Subscriptions: graphql-ws on the same port and path, fed from the case file through this process's listener.
  const listener = new CaseEventListener(String(opts.orm.config.get('clientUrl')), opts.log.child({ component: 'event-listener' }));
  await listener.start();
  const horizon = new FeedHorizon(opts.orm, listener);
  const feed = new CaseEventFeed(opts.orm, horizon);
  const tally = new CaseTallyCompactor(opts.orm, opts.log.child({ component: 'case-tally' }));
  tally.start();
  const statisticsRollup = new StatisticsCompactor(opts.orm, opts.log.child({ component: 'statistics-rollup' }));
  statisticsRollup.start();
  const wsCleanup = startWebSocketServer({
    httpServer,
    schema,
    guard,
    orm: opts.orm,
    log: opts.log,
    feed,
    production: !!opts.production,
    subscriptionsPerPrincipal: opts.subscriptionsPerPrincipal,
  });
  metrics.watchDatabase(opts.orm);
  metrics.watchFeed({ subscribers: () => feed.subscribers, lagSeconds: () => feedLagSeconds(opts.orm, horizon.top) });

  // Queries run compiled by graphql-jit, given to Apollo as its gateway's executor (Apollo Server 4 and 5 take no
  // executor option: the gateway interface is the supported place). Parsing, validation, plugins and error
  // formatting are Apollo's either way.
  const executor = (opts.graphqlJit ?? true) ? new CompiledExecutor(schema) : undefined;
  const apollo = new ApolloServer<RequestContext>({
    ...(executor ? { gateway: executor.gateway() } : { schema }),
    introspection: !opts.production,
    includeStacktraceInErrorResponses: !opts.production && (opts.exposeErrorDetails ?? false),
    allowBatchedHttpRequests: false,
    // A second bound behind the pre-check; the pre-check has already parsed within the caller's tier.
    parseOptions: { maxTokens: DOCUMENT_LIMITS.signedIn.maxTokens },
    // Automatic persisted queries would run a document by its hash, past the pre-check of its text.
    persistedQueries: false,
    validationRules: armor.validationRules,
    plugins: [
      // On stop: no new connections, idle ones closed, in-flight requests given the grace, then cut.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: opts.shutdownGraceMs ?? 10_000 }),
      // No HTTP cache hints are given (answers are per caller): the default plugin wrapped every field to look for them.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads from a CDN: a browser gets the self-hosted GraphiQL instead (src/api/graphiql.ts).
      ApolloServerPluginLandingPageDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => void (await wsCleanup.dispose()) }) },
      requestLogging(),
      domainErrorStatus(),
      graphqlMetricsPlugin(metrics),
      ...(opts.tracing ? [graphqlTracingPlugin<RequestContext>()] : []),
      ...armor.plugins,
    ],
    formatError,
  });
  await apollo.start();

  // A browser's GET /graphql gets the self-hosted GraphiQL page, and /graphiql/ its assets; GraphQL requests pass on.
  app.use(
    graphiqlRouter({
      production: !!opts.production,
      devPersonas: opts.production ? undefined : opts.devPersonas,
      sdl: opts.production ? undefined : printSchema(schema),
    }),
  );

  app.use(
    '/graphql',
    // Who is calling and whether their budget allows it, before the body is read or Apollo starts a request: a
    // caller flooding past its rate then costs a header check and a 429, not a parse (bench:attacker's flood).
    (req: express.Request, res: express.Response, next: express.NextFunction) => {
      const given = req.header('x-request-id');
      res.locals.requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', res.locals.requestId as string);
      void (async () => {
        const actor = guard.authenticate(req.header('authorization'));
        await guard.admit(actor, req.ip);
        res.locals.actor = actor;
      })().then(
        () => next(),
        (err: unknown) => answerRefusal(res, err, next),
      );
    },
    express.json({ limit: '1mb' }),
    // The request's span is made active here, after the body is read, so Apollo's work (and the outbox relay pass
    // a mutation nudges) runs in it.
    ...(opts.tracing ? [graphqlSpanMiddleware()] : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        const actor = res.locals.actor as Actor | undefined;
        // Apollo builds the context before it parses: refusing here keeps a hostile document from its validation.
        const body =
          req.method === 'GET'
            ? { query: req.query.query, variables: jsonOrUndefined(req.query.variables) }
            : (req.body as { query?: unknown; variables?: unknown } | undefined);
        if (typeof body?.query === 'string') {
          try {
            guard.checkDocument(body.query, actor, body.variables);
          } catch (err) {
            // Apollo answers a context failure with one error: the first refusal.
            if (err instanceof DocumentRefused) throw err.errors[0]!;
            throw err;
          }
        }
        const log = opts.log.child({ requestId, ...(actor ? { userId: actor.userId } : {}) });
        return executionContext({ requestId, log, em: opts.orm.em.fork(), actor, clientAddress: req.ip });
      },
    }),
  );

  // 日通报 downloads: the same token, limits and policy as the `dailyReport` query.
  mountDailyReportDownloads(app, { orm: opts.orm, services: opts.services, guard, log: opts.log });

  // Body errors (too large, not JSON) answer in GraphQL's shape with a code, not as an HTML error page.
  app.use(
    '/graphql',
    (
      err: { status?: number; type?: string; message?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!err || typeof err.status !== 'number' || err.status >= 500) return next(err);
      const code = err.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
      const message = err.type === 'entity.too.large' ? 'the request body is over the 1 MB limit' : 'the request body is not valid JSON';
      res.status(err.status).json({ errors: [{ message, extensions: { code } }] });
    },
  );

  if (opts.devPersonas && !opts.production) {
    const personas = opts.devPersonas;
    app.get('/dev/personas', (_req: express.Request, res: express.Response) => {
      res.setHeader('cache-control', 'no-store');
      res.json(personas());
    });
  }
  const webRoot = opts.webRoot === undefined ? defaultWebRoot() : opts.webRoot;
  if (webRoot) serveDashboard(app, webRoot);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  return {
    url: `http://${host}:${port}/graphql`,
    dashboardUrl: webRoot ? `http://${host}:${port}/` : null,
    subscribers: () => feed.subscribers,
    executorStats: () => executor?.stats() ?? null,
    stop: async () => {
      // Draining: readiness answers 503; subscribers are told to reconnect (elsewhere); then Apollo's drain stops
      // accepting connections and waits for the requests in flight, within the grace.
      stopping = true;
      wsCleanup.closeForRestart();
      await apollo.stop();
      probes.stop();
      feed.stop();
      horizon.stop();
      await tally.stop();
      await statisticsRollup.stop();
      await listener.stop();
    },
  };
}

/**
 * A refusal made before Apollo (bad token: 401; past the rate: 429 with retry-after), in the shape Apollo gives the
 * same errors; anything else is a fault for express's error handling.
 */
function answerRefusal(res: express.Response, err: unknown, next: express.NextFunction): void {
  const http =
    err instanceof GraphQLError ? (err.extensions.http as { status?: number; headers?: Map<string, string> } | undefined) : undefined;
  if (!(err instanceof GraphQLError) || !http?.status) return next(err);
  const { http: _http, ...extensions } = err.extensions;
  for (const [name, value] of http.headers ?? []) res.setHeader(name, value);
  res.status(http.status).json({ errors: [{ message: err.message, extensions }] });
}

/** A GET request's `variables` parameter, parsed; anything else is left for Apollo to refuse. */
function jsonOrUndefined(v: unknown): unknown {
  if (typeof v !== 'string') return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/**
 * The built dashboard, when `npm run build:web` has made it: dist/web beside this build (dist/src/api → dist/web),
 * or, run from source (ts-jest), the repository's dist/web. The web/ sources hold an index.html too: a build has
 * its assets folder.
 */
function defaultWebRoot(): string | null {
  const candidates = [path.resolve(__dirname, '..', '..', 'web'), path.resolve(__dirname, '..', '..', 'dist', 'web')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html')) && existsSync(path.join(dir, 'assets'))) ?? null;
}

/**
 * The dashboard: its hashed assets cached for a year, and index.html for every other browser GET outside the API
 * (the single-page app's own routes: /cases/…, /tasks), never cached so a new build is picked up.
 */
function serveDashboard(app: express.Express, root: string): void {
  app.use('/assets', express.static(path.join(root, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  app.use(express.static(root, { index: false, maxAge: 0 }));
  app.get(/^\/(?!graphql(?:\/|$)|dev\/).*/, (req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!req.accepts('html')) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(path.join(root, 'index.html'));
  });
}
