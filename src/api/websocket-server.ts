import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import {
  GraphQLError,
  getOperationAST,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Orm } from '../db/database';
import type { CaseEventFeed } from '../events/case-event-feed';
import { graphqlWsNextPayload } from '../events/direct-delivery';
import { sharedSubscriptionExecution } from '../events/shared-execution';
import type { Logger } from '../logger';
import { CallerGuard } from './caller-guard';
import type { Actor, RequestContext } from './context';
import { DocumentRefused } from './document-limits';
import { DomainError, ErrorCode } from '../domain/errors';
import { toGraphQLError } from './errors';
import { formatError } from './format-error';
import { PrincipalSlots } from './principal-slots';
import { executionContext } from '../app/execution';

/** A WebSocket message may be as large as an HTTP body (1 MB); `ws` would otherwise accept 100 MB. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Live subscriptions on one socket: an integrator needs one or two; each holds a feed cursor and memory. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;
/** Live subscriptions of one principal (user or address) across all its sockets in this process. */
export const MAX_SUBSCRIPTIONS_PER_PRINCIPAL = 20;
/**
 * Open sockets without a token, per address. Nothing runs on one (subscriptions need a token), but each is held
 * open until its client leaves: without a cap an address could pile up tens of thousands a day.
 */
export const MAX_ANONYMOUS_SOCKETS_PER_ADDRESS = 5;
/** Close code for a connection refused by the rate limit (4000–4999 are the application's). */
export const CLOSE_RATE_LIMITED = 4429;
/**
 * Close code when the process drains (SIGTERM): 1012 Service Restart (RFC 6455's registry), which graphql-ws clients
 * treat as retryable: they reconnect, to another process behind the load balancer, and resume from their cursor.
 */
export const CLOSE_SERVICE_RESTART = 1012;

interface Connection {
  actor?: Actor;
  address?: string;
  /** Whose subscriptions these are, for the cap across sockets: the user, or the address of an anonymous caller. */
  principal: string;
  /** Ids of this socket's running subscriptions; each holds one of the principal's slots. */
  live: Set<string>;
  /** Set when the socket closes: a subscribe still on its way must not take a slot that nothing would free. */
  closed?: boolean;
  /** An anonymous socket holds one of its address's slots until it closes. */
  anonymousSlot?: string;
}

/**
 * graphql-ws on the API's port and path, carrying subscriptions only: queries and mutations go over HTTP, where
 * the same checks run. The socket gets the HTTP rules from the same code (CallerGuard): the bearer token in
 * `connectionParams.authorization` is verified at `connection_init` (a bad one closes the socket with 4403, as
 * graphql-ws does when a connection is refused), each connection and each subscribe spends a point of the
 * principal's rate budget, and each document passes the caller tier's document limits before graphql-js's
 * validation runs.
 */
export function startWebSocketServer(opts: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  guard: CallerGuard;
  orm: Orm;
  log: Logger;
  feed: CaseEventFeed;
  production: boolean;
  /** Defaults to MAX_SUBSCRIPTIONS_PER_PRINCIPAL. */
  subscriptionsPerPrincipal?: number;
}): { dispose(): void | Promise<void>; closeForRestart(): void } {
  // No permessage-deflate (`ws`'s default, stated here): compressing each subscriber's frame would cost more CPU
  // per delivery than the bytes it saves on the small `next` messages of the feed.
  const wsServer = new WebSocketServer({
    server: opts.httpServer,
    path: '/graphql',
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  const connections = new WeakMap<object, Connection>();
  const perPrincipal = new PrincipalSlots(opts.subscriptionsPerPrincipal ?? MAX_SUBSCRIPTIONS_PER_PRINCIPAL);
  const anonymousSockets = new PrincipalSlots(MAX_ANONYMOUS_SOCKETS_PER_ADDRESS);
  /** Frees a subscription's slot once, whichever comes first: its completion or its socket's close. */
  const release = (conn: Connection | undefined, id: string) => {
    if (conn?.live.delete(id)) perPrincipal.release(conn.principal);
  };
  const validationRules = opts.production ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
  type Ctx = Context<Record<string, unknown> | undefined, Extra>;

  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((e) => {
      const { http: _http, ...extensions } = (e.toJSON().extensions ?? {}) as Record<string, unknown>;
      const formatted = formatError({ ...e.toJSON(), extensions }, e);
      // As graphql-armor's blockFieldSuggestion does over HTTP: production does not hint at the schema.
      return opts.production ? { ...formatted, message: formatted.message.replace(/ Did you mean .*$/s, '') } : formatted;
    });

  /** graphql-ws's `onNext` hook: errors formatted as over HTTP. The direct path sends the same payload. */
  const onNext = (result: ExecutionResult) => (result.errors ? { ...result, errors: format(result.errors) } : undefined);
  const subscribe = sharedSubscriptionExecution({ nextPayload: (result) => onNext(result) ?? graphqlWsNextPayload(result) });

  const cleanup = useServer<Record<string, unknown> | undefined>(
    {
      schema: opts.schema,
      subscribe,
      onConnect: async (ctx: Ctx) => {
        const auth = ctx.connectionParams?.authorization;
        let actor: Actor | undefined;
        try {
          actor = opts.guard.authenticate(typeof auth === 'string' ? auth : undefined);
        } catch {
          return false; // 4403 Forbidden
        }
        const address = ctx.extra.request.socket.remoteAddress;
        try {
          await opts.guard.admit(actor, address);
        } catch (err) {
          const retry = (err as GraphQLError).extensions?.retryAfterSeconds;
          ctx.extra.socket.close(CLOSE_RATE_LIMITED, `too many requests: retry in ${String(retry ?? 60)} s`);
          return false;
        }
        const anonymousSlot = actor ? undefined : `address:${address ?? 'unknown'}`;
        if (anonymousSlot && !anonymousSockets.tryAcquire(anonymousSlot)) {
          ctx.extra.socket.close(CLOSE_RATE_LIMITED, `at most ${MAX_ANONYMOUS_SOCKETS_PER_ADDRESS} open connections without a token`);
          return false;
        }
        connections.set(ctx, {
          actor,
          address,
          principal: actor ? `user:${actor.userId}` : `address:${address ?? 'unknown'}`,
          live: new Set(),
          anonymousSlot,
        });
        if (actor?.expiresAt) closeAtExpiry(ctx.extra.socket, actor.expiresAt);
        return true;
      },
      onSubscribe: async (ctx: Ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const conn = connections.get(ctx);
        if (!conn) return [new GraphQLError('the connection is not initialised', { extensions: { code: ErrorCode.Unauthenticated } })];
        try {
          await opts.guard.admit(conn.actor, conn.address);
          // The operation is picked out first: a query or mutation is refused as such, whatever its size.
          const subscriptionsOnly = (doc: DocumentNode) => {
            const operation = getOperationAST(doc, payload.operationName);
            if (!operation)
              throw new DocumentRefused([
                new GraphQLError('the document must name one operation to run (operationName)', {
                  extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
                }),
              ]);
            if (operation.operation !== 'subscription') {
              throw new DocumentRefused([
                new GraphQLError(`a ${operation.operation} is not carried over the WebSocket: send it with HTTP POST to /graphql`, {
                  extensions: { code: ErrorCode.OperationNotAllowed },
                }),
              ]);
            }
          };
          const document = opts.guard.checkDocument(payload.query, conn.actor, payload.variables, subscriptionsOnly);
          if (conn.live.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
            return [
              new GraphQLError(`at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions on one connection`, {
                extensions: { code: ErrorCode.RateLimited, retryAfterSeconds: 1 },
              }),
            ];
          }
          if (conn.closed) return [new GraphQLError('the connection is closed', { extensions: { code: ErrorCode.Unauthenticated } })];
          if (perPrincipal.held(conn.principal) >= perPrincipal.maxPerPrincipal) {
            return [
              new GraphQLError(`at most ${perPrincipal.maxPerPrincipal} subscriptions at once for one caller, across its connections`, {
                extensions: { code: ErrorCode.RateLimited, retryAfterSeconds: 1 },
              }),
            ];
          }
          const errors = validate(opts.schema, document, validationRules);
          if (errors.length > 0)
            return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
          // No await since the check above: the slot cannot have been taken meanwhile.
          perPrincipal.tryAcquire(conn.principal);
          conn.live.add(id);
          const requestId = randomUUID();
          const contextValue: RequestContext = {
            ...executionContext({
              requestId,
              log: opts.log.child({ requestId, subscription: true, ...(conn.actor ? { userId: conn.actor.userId } : {}) }),
              em: opts.orm.em.fork(),
              actor: conn.actor,
              clientAddress: conn.address,
            }),
            feed: opts.feed,
          };
          // Live entries of this subscription go straight to its socket, one prebuilt frame per group and entry.
          subscribe.directTo(contextValue, ctx.extra.socket, id);
          return { schema: opts.schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
        } catch (err) {
          if (err instanceof DocumentRefused) return err.errors;
          if (err instanceof GraphQLError) return [err];
          if (err instanceof DomainError) return [toGraphQLError(err)];
          throw err;
        }
      },
      onComplete: (ctx: Ctx, id) => release(connections.get(ctx), id),
      // graphql-ws ends a closed socket's subscriptions without onComplete: their slots are freed here.
      onClose: (ctx: Ctx) => {
        const conn = connections.get(ctx);
        if (conn) conn.closed = true;
        for (const id of [...(conn?.live ?? [])]) release(conn, id);
        if (conn?.anonymousSlot) anonymousSockets.release(conn.anonymousSlot);
      },
      onError: (_ctx: Ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx: Ctx, _id, _payload, _args, result) => onNext(result),
    },
    wsServer,
  );
  return {
    dispose: () => cleanup.dispose(),
    // Every open socket is told to reconnect elsewhere; new upgrades are refused once the HTTP server stops accepting.
    closeForRestart: () => {
      for (const socket of wsServer.clients) socket.close(CLOSE_SERVICE_RESTART, 'service restart: reconnect');
    },
  };
}

/** Close code for a socket whose token has expired: the token verified at connect no longer names a caller. */
export const CLOSE_TOKEN_EXPIRED = 4403;
/** setTimeout holds at most 2^31 - 1 ms (about 24.8 days); a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A socket lives no longer than the token it was opened with: a subscription must not outlive its caller's right. */
function closeAtExpiry(
  socket: { close(code: number, reason: string): void; once(event: 'close', listener: () => void): unknown },
  expiresAt: number,
): void {
  let timer: NodeJS.Timeout;
  const wait = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return socket.close(CLOSE_TOKEN_EXPIRED, 'token expired');
    timer = setTimeout(wait, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  wait();
  socket.once('close', () => clearTimeout(timer));
}
