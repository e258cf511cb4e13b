import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gql, interruptAndCheckNothingIsLeft, killLeftovers, npmStart, npmStartEnv } from './support/npm-start';

describe('npm start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-start-'));
  });
  afterAll(async () => {
    // Whatever a failed assertion left running is killed, so one failure does not leak servers into the run.
    killLeftovers();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts everything, answers health, stops cleanly on Ctrl-C and keeps its data for the next start', async () => {
    const env = await npmStartEnv(dataDir);

    const first = await npmStart(env);
    expect(first.graphqlUrl).toBe(`http://127.0.0.1:${env.PORT}/graphql`);
    expect(first.temporalUiUrl).toBe(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
    expect((await fetch(first.temporalUiUrl)).status).toBe(200);
    // The web dashboard beside it: its URL on the ready line, the app at /, and (development only) the demo
    // personas for its sign-in, whose tokens work.
    expect(first.dashboardUrl).toBe(`http://127.0.0.1:${env.PORT}/`);
    expect(await (await fetch(first.dashboardUrl!, { headers: { accept: 'text/html' } })).text()).toContain('<div id="root">');
    const personas = (await (await fetch(`${first.dashboardUrl}dev/personas`)).json()) as Array<{ role: string; token: string }>;
    expect(personas.map((p) => p.role)).toEqual(expect.arrayContaining(['INTAKE_CLERK', 'INSPECTOR', 'DIRECTOR', 'OFFICER']));
    expect(await gql(first.graphqlUrl, '{ cases(first: 1) { totalCount } }', undefined, personas[0]!.token)).toMatchObject({
      data: { cases: { totalCount: expect.any(Number) } },
    });
    expect(await gql(first.graphqlUrl, '{ health { database temporal } }')).toEqual({
      data: { health: { database: 'UP', temporal: 'UP' } },
    });
    // The demo tokens it printed (and wrote down) work: an inspector registers an employer.
    expect(first.lines.some((l) => l.startsWith('  Authorization: Bearer '))).toBe(true);
    const tokens = (await readFile(path.join(dataDir, 'demo-tokens.tsv'), 'utf8')).split('\n').map((l) => l.split('\t'));
    const inspector = tokens.find(([kind, , role]) => kind === 'HRSS_INSPECTION' && role === 'INSPECTOR')![4]!;
    const created = await gql(
      first.graphqlUrl,
      'mutation($i: RegisterEmployerInput!) { registerEmployer(input: $i) { id } }',
      {
        i: { uscc: '91350100M000100Y43', name: '福建某建设集团有限公司' },
      },
      inspector,
    );
    expect(created.errors).toBeUndefined();
    // Every log line is one JSON object carrying the request id of the request it belongs to.
    const graphqlLogLines = () =>
      first.lines.filter((l) => l.includes('"msg":"graphql"')).map((l) => JSON.parse(l) as { requestId?: string });
    // The line is written as the response goes out; the pipe may deliver it a moment after the response.
    for (let i = 0; i < 50 && graphqlLogLines().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    const graphqlLines = graphqlLogLines();
    expect(graphqlLines.length).toBeGreaterThanOrEqual(2);
    expect(graphqlLines.every((l) => typeof l.requestId === 'string')).toBe(true);
    await interruptAndCheckNothingIsLeft(first);

    const second = await npmStart(env);
    const again = await gql(second.graphqlUrl, '{ employer(uscc: "91350100M000100Y43") { id name } }', undefined, inspector); // the same token after a restart
    expect(again.data).toEqual({ employer: { id: (created.data!.registerEmployer as { id: string }).id, name: '福建某建设集团有限公司' } });
    await interruptAndCheckNothingIsLeft(second);
  });
});
