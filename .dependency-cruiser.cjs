// The import rules of the codebase (issue 13), checked by `npm run lint:deps` and test/architecture.test.ts.
// Type-only imports count (tsPreCompilationDeps): a type import is a dependency of the design even when the
// compiled JavaScript drops it.

// The API edge: the only files that may use src/api.
const apiEdge = [
  '^src/api/',
  '[.]resolver[.]ts$',
  '[.]types[.]ts$', // GraphQL object and input types
  '[.]module[.]ts$', // a process's module wires its service to its resolvers
  '^src/processes/registry[.]ts$', // the list of process modules
  '^src/main[.]ts$',
  '^src/api-main[.]ts$',
  '^src/worker-main[.]ts$',
  '^src/composition[.]ts$', // the composition root
  '^tools/',
  '^test/',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle anywhere, type imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'api-only-from-edge',
      severity: 'error',
      comment:
        'src/api is the GraphQL edge: only resolvers, GraphQL type files, the entry points, the composition root, tools and tests may import it.',
      from: { pathNot: apiEdge },
      to: { path: '^src/api/' },
    },
    {
      name: 'core-not-to-edge',
      severity: 'error',
      comment: 'The core (src/ but the API edge) knows no transport: it imports no resolver, no GraphQL type file and nothing in src/api.',
      from: { path: '^src/', pathNot: apiEdge },
      to: { path: ['[.]resolver[.]ts$', '[.]types[.]ts$', '^src/api/'] },
    },
    {
      name: 'workflows-pure',
      severity: 'error',
      comment:
        'Workflow code runs in the deterministic sandbox: from src/ it imports only pure modules (domain, rules, policy), and anything else only as a type.',
      from: { path: '^workflows/' },
      to: { path: '^src/', pathNot: '^src/(domain|rules|policy)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'src-not-to-tools-or-test',
      severity: 'error',
      comment: 'The application does not depend on its tools or tests; only src/main.ts may load the demo city (tools/demo).',
      from: { path: '^(src|workflows)/', pathNot: '^src/main[.]ts$' },
      to: { path: '^(tools|test)/' },
    },
    {
      name: 'src-not-to-tools-or-test',
      severity: 'error',
      comment: 'src/main.ts (npm start) may import tools/demo, and nothing else in tools/ or test/.',
      from: { path: '^src/main[.]ts$' },
      to: { path: '^(tools|test)/', pathNot: '^tools/demo/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // The fixture holds a deliberate cycle: test/architecture.test.ts cruises it on its own.
    exclude: { path: ['^dist/', '^test/fixtures/dependency-rules/'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'import', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
