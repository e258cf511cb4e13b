import { Connection, type Client } from '@temporalio/client';
import type { User, Agency } from '../../src/agencies/agency.entity';
import { Tokens } from '../../src/auth/tokens';
import type { Orm } from '../../src/db/database';
import { createServices } from './test-services';
import type { CaseStatusLimits } from '../../src/cases/case-status-attempts';
import { startApiServer, type ApiServer } from '../../src/api/server';
import { WebhookTargetPolicy } from '../../src/webhooks/webhook-targets';
import type { AnyProcessModule } from '../../src/processes/process-module';
import { testLog } from './logger';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export interface TestApi {
  url: string;
  /** Open case-event subscriptions in this API server. */
  subscribers(): number;
  /** POSTs one GraphQL operation over real HTTP. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T> & { status: number; headers: Headers }>;
  /** A signed token for a user of an agency, as `npm start` would print it. */
  tokenFor(user: User, agency: Agency): string;
  /** The Authorization header for that token. */
  as(user: User, agency: Agency): Record<string, string>;
  stop(): Promise<void>;
}

/** Tests' webhook receivers listen on 127.0.0.1: the operator's allowance (WEBHOOK_ALLOWED_NETWORKS) lets them. */
export const testWebhookTargets = new WebhookTargetPolicy(['127.0.0.1/32']);

/** The test suite's signing keys: two, so rotation is exercised (the second still verifies). */
export const testTokens = new Tokens([
  { kid: 'test-2', secret: 'test-secret-two-0123456789abcdefghijklmnop' },
  { kid: 'test-1', secret: 'test-secret-one-0123456789abcdefghijklmnop' },
]);

export async function startTestApi(opts: {
  orm: Orm;
  temporalAddress: string;
  workflowClient?: Client;
  outboxNudge?: () => void;
  repeatComplaintWindowDays?: number;
  /**
   * Join complaints by any phone about one project or employer (一事一案) within this many days: 30 unless told, as
   * under `npm start`; null turns it off. A test that needs separate cases names separate projects or employers
   * (`addEmployer`, `addProject` in ./fixtures).
   */
  collectiveComplaintWindowDays?: number | null;
  production?: boolean;
  rateLimitPerMinute?: number;
  anonymousRateLimitPerMinute?: number;
  caseStatusLimits?: CaseStatusLimits;
  processModules?: ReadonlyArray<AnyProcessModule>;
  /** Queries through graphql-jit (default on, as `GRAPHQL_JIT` unset). */
  graphqlJit?: boolean;
}): Promise<TestApi> {
  const temporal = Connection.lazy({ address: opts.temporalAddress });
  const services = createServices({
    orm: opts.orm,
    caseStatusLimits: opts.caseStatusLimits,
    temporal,
    workflowClient: opts.workflowClient,
    outboxNudge: opts.outboxNudge,
    webhookTargets: testWebhookTargets,
    intakeRules: {
      repeatComplaintWindowDays: opts.repeatComplaintWindowDays ?? 30,
      collectiveComplaintWindowDays: opts.collectiveComplaintWindowDays === undefined ? 30 : opts.collectiveComplaintWindowDays,
    },
    ...(opts.processModules ? { processModules: opts.processModules } : {}),
  });
  const server: ApiServer = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    orm: opts.orm,
    services,
    processModules: opts.processModules,
    tokens: testTokens,
    production: opts.production,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 1_000_000,
    anonymousRateLimitPerMinute: opts.anonymousRateLimitPerMinute ?? opts.rateLimitPerMinute ?? 1_000_000,
    log: testLog,
    ...(opts.graphqlJit === undefined ? {} : { graphqlJit: opts.graphqlJit }),
  });
  const tokenFor = (user: User, agency: Agency) =>
    testTokens.issue({ userId: user.id, agencyId: agency.id, agencyKind: agency.kind, roles: user.roles });
  return {
    url: server.url,
    subscribers: () => server.subscribers(),
    async gql(query, variables, headers) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { ...((await res.json()) as GraphQLResponse<never>), status: res.status, headers: res.headers };
    },
    tokenFor,
    as: (user, agency) => ({ authorization: `Bearer ${tokenFor(user, agency)}` }),
    async stop() {
      await server.stop();
      await temporal.close();
    },
  };
}
