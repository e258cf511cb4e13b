import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Orm } from '../db/database';
import type { Logger } from '../logger';
import type { Actor, RequestContext } from './context';
import { Tokens, TokenError } from '../auth/tokens';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { sharedSubscriptionExecution } from '../events/shared-execution';
import { CaseEventListener } from '../events/event-listener';
import { CaseTallyCompactor } from '../cases/case-tally';
import { CaseEventFeed } from '../events/case-event-feed';
import { FeedHorizon } from '../events/feed-horizon';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from './errors';
import { GraphQLError } from 'graphql';
import { formatError } from './format-error';
import { createLoaders } from './loaders';
import { buildAppSchema } from './schema';
import type { Services } from './services';

export interface ApiServer {
  url: string;
  /** Open case-event subscriptions in this process. */
  subscribers(): number;
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
          contextValue.log.info({ operation: operationName ?? undefined, ms: Math.round(ms * 10) / 10, errors: errors?.length ?? 0 }, 'graphql');
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
  config: RequestContext['config'];
  log: Logger;
  /** Verifies the bearer token of each request. */
  tokens: Tokens;
  exposeErrorDetails?: boolean;
  /** Production: no introspection, no field suggestions, no stack traces. */
  production?: boolean;
  /** Requests per minute for one principal (a user, or an address for anonymous callers). */
  rateLimitPerMinute?: number;
}): Promise<ApiServer> {
  const app = express();
  const httpServer = http.createServer(app);
  // Hostile documents are refused before they run (graphql-armor): depth, aliases, cost, tokens, directives.
  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    maxAliases: { n: 15 },
    costLimit: { maxCost: 20_000 },
    // Token counting is graphql-js's own parse limit below: graphql-armor's answers a syntax error with a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: !!opts.production },
  }).protect();
  const schema = await buildAppSchema();

  // Subscriptions: graphql-ws on the same port and path, fed from the case file through this process's listener.
  const listener = new CaseEventListener(String(opts.orm.config.get('clientUrl')), opts.log.child({ component: 'event-listener' }));
  await listener.start();
  const horizon = new FeedHorizon(opts.orm, listener);
  const feed = new CaseEventFeed(opts.orm, horizon);
  const tally = new CaseTallyCompactor(opts.orm, opts.log.child({ component: 'case-tally' }));
  tally.start();
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer(
    {
      schema,
      subscribe: sharedSubscriptionExecution(),
      context: async (ctx: { connectionParams?: Readonly<Record<string, unknown>> }): Promise<RequestContext> => {
        const auth = ctx.connectionParams?.authorization;
        const actor = authenticate(opts.tokens, typeof auth === 'string' ? auth : undefined);
        const em = opts.orm.em.fork();
        const requestId = randomUUID();
        return { requestId, log: opts.log.child({ requestId, subscription: true }), em, services: opts.services, loaders: createLoaders(em), config: opts.config, actor, feed };
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: !opts.production,
    includeStacktraceInErrorResponses: !opts.production && (opts.exposeErrorDetails ?? false),
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: 2000 },
    validationRules: armor.validationRules,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No HTTP cache hints are given (answers are per caller): the default plugin wrapped every field to look for them.
      ApolloServerPluginCacheControlDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => void (await wsCleanup.dispose()) }) },
      requestLogging(),
      ...armor.plugins,
    ],
    formatError,
  });
  const limiter = new RateLimiterMemory({ points: opts.rateLimitPerMinute ?? 600, duration: 60 });
  await apollo.start();

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const given = req.header('x-request-id');
        const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', requestId);
        const actor = authenticate(opts.tokens, req.header('authorization'));
        await rateLimit(limiter, actor ? `user:${actor.userId}` : `ip:${req.ip ?? 'unknown'}`);
        const em = opts.orm.em.fork();
        const log = opts.log.child({ requestId, ...(actor ? { userId: actor.userId } : {}) });
        return { requestId, log, em, services: opts.services, loaders: createLoaders(em), config: opts.config, actor };
      },
    }),
  );

  // Body errors (too large, not JSON) answer in GraphQL's shape with a code, not as an HTML error page.
  app.use('/graphql', (err: { status?: number; type?: string; message?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!err || typeof err.status !== 'number' || err.status >= 500) return next(err);
    const code = err.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
    const message = err.type === 'entity.too.large' ? 'the request body is over the 1 MB limit' : 'the request body is not valid JSON';
    res.status(err.status).json({ errors: [{ message, extensions: { code } }] });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  return {
    url: `http://${host}:${port}/graphql`,
    subscribers: () => feed.subscribers,
    stop: async () => {
      await apollo.stop();
      feed.stop();
      horizon.stop();
      await tally.stop();
      await listener.stop();
    },
  };
}

/**
 * The caller named by the bearer token, or nobody when there is none (the public paths answer anonymous callers).
 * A token that does not verify is refused outright with 401: it is never treated as anonymous.
 */
function authenticate(tokens: Tokens, header: string | undefined): Actor | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw unauthenticatedHttp('the Authorization header must be "Bearer <token>"');
  try {
    const p = tokens.verify(m[1]!);
    return { userId: p.userId, agencyId: p.agencyId, agencyKind: p.agencyKind, roles: p.roles };
  } catch (err) {
    if (err instanceof TokenError) throw unauthenticatedHttp(err.message);
    throw err;
  }
}

function unauthenticatedHttp(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } } });
}

/** Per-principal rate limit: past it, 429 with RATE_LIMITED and when to retry. */
async function rateLimit(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (res instanceof Error) throw res;
    const retryAfterSeconds = Math.ceil(((res as RateLimiterRes).msBeforeNext ?? 1000) / 1000);
    throw new GraphQLError(`too many requests: retry in ${retryAfterSeconds} s`, { extensions: { code: ErrorCode.RateLimited, retryAfterSeconds, http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) } } });
  }
}
