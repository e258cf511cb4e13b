import { Connection } from '@temporalio/client';
import type { Orm } from '../../src/db/database';
import { createServices } from '../../src/api/services';
import { startApiServer, type ApiServer } from '../../src/api/server';
import { testLog } from './logger';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export interface TestApi {
  url: string;
  /** POSTs one GraphQL operation over real HTTP. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T> & { status: number; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startTestApi(opts: { orm: Orm; temporalAddress: string; repeatComplaintWindowDays?: number }): Promise<TestApi> {
  const temporal = Connection.lazy({ address: opts.temporalAddress });
  const server: ApiServer = await startApiServer({ host: '127.0.0.1', port: 0, orm: opts.orm, services: createServices({ orm: opts.orm, temporal }), config: { cases: { repeatComplaintWindowDays: opts.repeatComplaintWindowDays ?? 30 } }, log: testLog });
  return {
    url: server.url,
    async gql(query, variables, headers) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { ...((await res.json()) as GraphQLResponse<never>), status: res.status, headers: res.headers };
    },
    async stop() {
      await server.stop();
      await temporal.close();
    },
  };
}
