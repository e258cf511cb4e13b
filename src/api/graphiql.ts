import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { graphiqlPersona, type DevPersona } from './dev-personas';

/**
 * The self-hosted GraphiQL (web/graphiql, bundled by `npm run build:graphiql` into dist/graphiql): its assets at
 * /graphiql/, and its page for a browser's GET /graphql (Accept: text/html, no `query`): nothing loads from a CDN,
 * so it works on an intranet without internet. Any other request to /graphql (POST, GET with a query, a client that
 * asks for JSON) is left to GraphQL.
 */
export interface GraphiqlOptions {
  production: boolean;
  /**
   * Development only: the demo personas (a function: their tokens are issued after the API starts); the page's
   * Authorization header is prefilled with one of them (`graphiqlPersona`).
   */
  devPersonas?: () => ReadonlyArray<DevPersona>;
  /**
   * Outside production (where introspection is allowed): the schema's SDL, served at /graphiql/schema.graphql for the
   * page's docs and completion, because the introspection query is larger than the document limits allow.
   */
  sdl?: string;
}

/** Where the bundle is: beside the compiled server (dist/src/api → dist/graphiql), or under dist/ when run from source. */
export function graphiqlDir(): string {
  const candidates = [path.resolve(__dirname, '..', '..', 'graphiql'), path.resolve(__dirname, '..', '..', 'dist', 'graphiql')];
  return candidates.find((d) => existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}

/** Whether a request to /graphql is a browser asking for a page rather than a GraphQL request. */
export function wantsGraphiql(req: express.Request): boolean {
  if (req.method !== 'GET' || req.query.query !== undefined) return false;
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/** The page with its configuration (the demo token in development) in a JSON script element: data, not code. */
export function graphiqlPage(opts: GraphiqlOptions): string | undefined {
  const file = path.join(graphiqlDir(), 'index.html');
  if (!existsSync(file)) return undefined;
  const config = !opts.production && opts.devPersonas ? (graphiqlPersona(opts.devPersonas()) ?? {}) : {};
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return readFileSync(file, 'utf8').replace(
    '<!--anxin-graphiql-config-->',
    `<script id="anxin-graphiql-config" type="application/json">${json}</script>`,
  );
}

/** The routes: the assets, and the page for a browser at /graphql (before the GraphQL middleware). */
export function graphiqlRouter(opts: GraphiqlOptions): express.Router {
  const router = express.Router();
  router.get('/graphiql/schema.graphql', (_req, res, next) => {
    if (opts.production || !opts.sdl) return next();
    res.type('text/plain; charset=utf-8').send(opts.sdl);
  });
  router.use('/graphiql', express.static(graphiqlDir(), { index: false, immutable: true, maxAge: '365d', fallthrough: false }));
  router.get('/graphql', (req, res, next) => {
    if (!wantsGraphiql(req)) return next();
    const page = graphiqlPage(opts);
    if (!page) {
      res.status(404).type('text/plain').send('GraphiQL is not built: run `npm run build`.');
      return;
    }
    res.setHeader('cache-control', 'no-store');
    res.type('html').send(page);
  });
  return router;
}
