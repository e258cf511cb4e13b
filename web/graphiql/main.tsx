// The self-hosted GraphiQL served at GET /graphql to a browser: bundled by Vite (web/graphiql/vite.config.mjs) into
// dist/graphiql, with no CDN. Queries and mutations go over HTTP; subscriptions over graphql-ws on the same path,
// with the Authorization header of the headers editor sent as `connectionParams.authorization` (what the API's
// WebSocket server verifies). In development the server prefills that header with a demo persona's token.
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { buildSchema, getOperationAST, type GraphQLSchema } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { createRoot } from 'react-dom/client';

interface PageConfig {
  /** A demo persona's bearer token (development only). */
  token?: string;
  /** Who that token is, shown in the default query's comment. */
  persona?: string;
}

const config: PageConfig = JSON.parse(document.getElementById('anxin-graphiql-config')?.textContent || '{}');
const httpUrl = `${location.origin}/graphql`;
const wsUrl = httpUrl.replace(/^http/, 'ws');

const http = createGraphiQLFetcher({ url: httpUrl });
const sockets = new Map<string, Client>();

/** One graphql-ws client per Authorization value the editor sends (a changed token opens a new socket). */
function socket(authorization: string | undefined): Client {
  const key = authorization ?? '';
  let client = sockets.get(key);
  if (!client) {
    client = createClient({ url: wsUrl, connectionParams: authorization ? { authorization } : {}, lazy: true });
    sockets.set(key, client);
  }
  return client;
}

const prefilled = config.token ? `Bearer ${config.token}` : undefined;

const fetcher: Fetcher = (params, opts) => {
  const headers = Object.fromEntries(Object.entries(opts?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const op = opts?.documentAST ? getOperationAST(opts.documentAST, params.operationName ?? undefined) : null;
  if (op?.operation !== 'subscription') return http(params, opts);
  return socket(headers.authorization).iterate({
    query: params.query,
    variables: params.variables ?? undefined,
    operationName: params.operationName ?? undefined,
  });
};

const defaultQuery = `# Anxin (安薪) GraphQL API${config.persona ? `: signed in as ${config.persona} (a demo token, development only)` : ''}.
# Queries and mutations go over HTTP, subscriptions (caseEvents) over graphql-ws on this same path.
{
  myTasks(first: 10) {
    label
    dueAt
    overdue
    case { number status }
  }
}
`;

/**
 * The schema, from the server's /graphiql/schema.graphql (outside production, where introspection is allowed too):
 * the standard introspection query selects more fields than the API's document limits let any caller select.
 * Without it (production) GraphiQL falls back to introspection, which production refuses: no docs, queries still run.
 */
async function loadSchema(): Promise<GraphQLSchema | undefined> {
  try {
    const res = await fetch('/graphiql/schema.graphql');
    return res.ok ? buildSchema(await res.text()) : undefined;
  } catch {
    return undefined;
  }
}

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL
    schema={await loadSchema()}
    fetcher={fetcher}
    defaultQuery={defaultQuery}
    headers={prefilled ? JSON.stringify({ Authorization: prefilled }, null, 2) : undefined}
    isHeadersEditorEnabled
  />,
);
