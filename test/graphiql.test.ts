import { readdirSync } from 'node:fs';
import path from 'node:path';
import { graphiqlDir, graphiqlPage } from '../src/api/graphiql';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';

/**
 * Hosts the bundle may name without loading anything from them: XML namespaces (identifiers, never fetched), and
 * links and messages a person may read (GraphiQL's and CodeMirror's help links, React's error-decoder link, comments).
 */
const NAMED_NOT_LOADED = new Set([
  'www.w3.org',
  'react.dev',
  'github.com',
  'codemirror.net',
  'yarnpkg.com',
  'en.wikipedia.org',
  'commonmark.org',
]);
/** Where an Apollo landing page or a typical GraphiQL page loads from. */
const CDN = /unpkg\.com|jsdelivr|cdnjs|googleapis|gstatic|apollographql\.com|embeddable-sandbox|esm\.sh|skypack/i;

describe('self-hosted GraphiQL at GET /graphql', () => {
  let db: TestDatabase;
  let api: TestApi;
  let origin: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    origin = new URL(api.url).origin;
  });
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  const get = (url: string, accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8') =>
    fetch(new URL(url, origin), { headers: { accept } });

  it('answers a browser with the page, every asset it references served from this server, nothing from a CDN', async () => {
    const res = await get('/graphql');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<div id="graphiql"');
    expect(html).not.toMatch(/https?:\/\//);

    const referenced = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(referenced.some((r) => r.endsWith('.js'))).toBe(true);
    expect(referenced.some((r) => r.endsWith('.css'))).toBe(true);
    // The entry's chunks, loaded by import() at run time, are served too: every file of the bundle.
    const bundle = readdirSync(path.join(graphiqlDir(), 'assets')).map((f) => `/graphiql/assets/${f}`);
    expect(bundle).toEqual(expect.arrayContaining(referenced));
    const hosts = new Set<string>();
    for (const asset of bundle) {
      const a = await get(asset, '*/*');
      expect([asset, a.status]).toEqual([asset, 200]);
      const text = await a.text();
      expect(text).not.toMatch(CDN);
      // Nothing is loaded by URL: no stylesheet url(http…), no import or fetch of one.
      expect(text).not.toMatch(/url\(\s*['"]?https?:|import\(\s*['"`]https?:|from\s*['"`]https?:|fetch\(\s*['"`]https?:/);
      for (const m of text.matchAll(/https?:\/\/([a-zA-Z0-9.-]+)/g)) hosts.add(m[1]!);
    }
    expect([...hosts].filter((h) => !NAMED_NOT_LOADED.has(h))).toEqual([]);
    expect(await (await get('/graphiql/assets/nothing-here.js', '*/*')).status).toBe(404);
    // Outside production the page reads the schema from here (the introspection query is over the document limits).
    const sdl = await get('/graphiql/schema.graphql', '*/*');
    expect(sdl.status).toBe(200);
    expect(await sdl.text()).toContain('myTasks(');
  });

  it('keeps GraphQL at /graphql: POST, GET with a query, and a GET asking for JSON', async () => {
    const post = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ health { database } }' }),
    });
    expect(((await post.json()) as any).data.health.database).toBe('UP');
    // A browser's GET with a query is GraphQL, not the page (Apollo's CSRF prevention asks such a GET for a preflight header).
    const withQuery = await fetch(new URL(`/graphql?query=${encodeURIComponent('{ health { database } }')}`, origin), {
      headers: { accept: 'text/html,*/*;q=0.8', 'apollo-require-preflight': 'true' },
    });
    expect(withQuery.headers.get('content-type')).toMatch(/json/);
    expect(((await withQuery.json()) as any).data.health.database).toBe('UP');
    const json = await get('/graphql', 'application/json');
    expect(json.headers.get('content-type')).toMatch(/json/);
    expect(await json.text()).not.toContain('graphiql');
  });

  it('prefills a demo persona’s token in development only', () => {
    const personas = [
      { role: 'OFFICER', agencyKind: 'POLICE', agencyName: '西城分局', userName: '郑警官', token: 'police-token' },
      {
        role: 'INSPECTOR',
        agencyKind: 'HRSS_INSPECTION',
        agencyName: '西城区劳动保障监察大队',
        userName: '李监察',
        token: 'inspector-token',
      },
    ];
    const config = (page: string | undefined) =>
      JSON.parse(/<script id="anxin-graphiql-config" type="application\/json">([^<]*)<\/script>/.exec(page ?? '')![1]!);
    expect(config(graphiqlPage({ production: false, devPersonas: () => personas }))).toEqual({
      token: 'inspector-token',
      persona: 'INSPECTOR 李监察, 西城区劳动保障监察大队',
    });
    expect(config(graphiqlPage({ production: true, devPersonas: () => personas }))).toEqual({});
    expect(config(graphiqlPage({ production: false, devPersonas: () => [] }))).toEqual({});
  });
});
