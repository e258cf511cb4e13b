import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The schema lint (eslint.config.mjs, `npm run lint`): every type, field, argument, input value and enum value of
// schema/schema.graphql described, and the connections to the Relay cursor spec. Run here through the eslint CLI
// on the committed schema and on copies with one thing taken out, so that the lint itself is known to bite.
const root = path.resolve(__dirname, '..');
const schemaFile = path.join(root, 'schema', 'schema.graphql');
const committed = readFileSync(schemaFile, 'utf8');

function lint(sdl: string): { status: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--stdin', '--stdin-filename', 'schema/schema.graphql'],
    { cwd: root, input: sdl, encoding: 'utf8' },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The committed schema with the first match of `pattern` replaced. */
function without(pattern: RegExp, replacement = ''): string {
  expect(committed).toMatch(pattern);
  return committed.replace(pattern, replacement);
}

describe('schema lint over schema/schema.graphql', () => {
  it('passes on the committed schema', () => {
    const r = lint(committed);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it.each([
    ['a type', /"""A page of cases \(Relay cursor connection\)"""\n(?=type CaseConnection)/, 'type "CaseConnection"'],
    ['a field', / {2}"""Where this page is in the whole list"""\n(?= {2}pageInfo: PageInfo!\n\n {2}"""All cases)/, 'field "pageInfo"'],
    ['an enum', /"""Where a case is in its lifecycle \(案件状态\)"""\n(?=enum CaseStatus)/, 'enum "CaseStatus"'],
    ['an enum value', / {2}"""已受理"""\n(?= {2}ACCEPTED)/, 'enum value "ACCEPTED"'],
    ['an input value', / {2}"""The case \(案件\) it concerns"""\n(?= {2}caseId: ID!)/, 'input value "caseId"'],
  ])('fails when %s loses its description', (_what, pattern, reported) => {
    const r = lint(without(pattern));
    expect(r.status).toBe(1);
    expect(r.out).toContain('@graphql-eslint/require-description');
    expect(r.out).toContain(reported);
  });

  it('fails when an argument loses its description', () => {
    const r = lint(without(/ {4}"""Page size \(default 50, at most 200\)"""\n(?= {4}first: Int)/));
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/input value "first" in field "(cases|employers)"/);
  });

  it('fails when PageInfo loses startCursor or a connection its edges', () => {
    const noStart = lint(without(/ {2}"""The cursor of the first item on this page[^\n]*\n {2}startCursor: String\n/));
    expect(noStart.status).toBe(1);
    expect(noStart.out).toContain('@graphql-eslint/relay-page-info');
    const noEdges = lint(without(/ {2}"""The employers on this page, each with its cursor[^\n]*\n {2}edges: \[EmployerEdge!\]!\n/));
    expect(noEdges.status).toBe(1);
    expect(noEdges.out).toContain('@graphql-eslint/relay-connection-types');
  });
});
