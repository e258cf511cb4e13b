import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';
import { currentToken } from './session';

/** One urql client per sign-in: HTTP for queries and mutations, graphql-ws on the same path for `caseEvents`. */
export function createApiClient(): Client {
  const token = currentToken();
  const authorization = token ? `Bearer ${token}` : undefined;
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const ws = createWsClient({ url: wsUrl, connectionParams: authorization ? { authorization } : {}, lazy: true, retryAttempts: 20 });
  return new Client({
    url: '/graphql',
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
    fetchOptions: (): RequestInit => (authorization ? { headers: { authorization } } : {}),
    requestPolicy: 'cache-and-network',
    // POST always: Apollo's CSRF prevention refuses a GET without a preflight header, and the token travels in a header anyway.
    preferGetMethod: false,
  });
}
