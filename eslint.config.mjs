import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { rules as graphqlRules } from '@graphql-eslint/eslint-plugin/rules/index';
import { parser as graphqlSchemaParser } from './tools/lint/graphql-schema-parser.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.tools/**', 'coverage/**', 'web/src/gql/**', '.screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Prettier wraps code at 140 (.prettierrc.json); a line may pass 160 only for a string it cannot break.
      'max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    // The dashboard (web/) runs in the browser; its generated GraphQL code is not linted.
    files: ['web/**/*.{ts,tsx,mts}'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', localStorage: 'readonly', location: 'readonly', fetch: 'readonly' },
    },
  },
  {
    // Tests read untyped GraphQL JSON responses.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: it may import activities only as types.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            // The policy's pure predicates, the rule tables and the domain's value types run in the sandbox too.
            {
              group: ['**/activities', '**/activities/**', 'node:*', 'fs', 'path', 'crypto', 'pg', '@mikro-orm/*'],
              allowTypeImports: true,
              message: 'Workflow code is deterministic: import activities and services only as types.',
            },
            {
              regex: '(^|/)src/(?!policy/|rules/|domain/)',
              allowTypeImports: true,
              message:
                'Workflow code imports from src only the pure modules (src/policy, src/rules, src/domain); anything else only as a type.',
            },
          ],
        },
      ],
    },
  },
  {
    // The published schema (schema/schema.graphql, emitted by `npm run schema:emit`): every element described and the
    // connections to the Relay cursor spec, so that clients' pagination helpers fit. Stylistic sorting rules stay off.
    files: ['schema/**/*.graphql'],
    languageOptions: { parser: graphqlSchemaParser },
    plugins: { '@graphql-eslint': { rules: graphqlRules } },
    rules: {
      // A description is one line in the emitted file, however long.
      'max-len': 'off',
      '@graphql-eslint/require-description': [
        'error',
        {
          types: true,
          rootField: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
          DirectiveDefinition: true,
        },
      ],
      '@graphql-eslint/relay-connection-types': 'error',
      '@graphql-eslint/relay-page-info': 'error',
      // Edges' nodes need not implement a Node interface (the cursor spec does not ask it), and plain lists of
      // small values (a case's processes, "my tasks") stay lists.
      '@graphql-eslint/relay-edge-types': [
        'error',
        { withEdgeSuffix: true, shouldImplementNode: false, listTypeCanWrapOnlyEdgeType: false },
      ],
      // Forward pagination (first/after) on every connection field; the lists page forward only.
      '@graphql-eslint/relay-arguments': ['error', { includeBoth: false }],
    },
  },
);
