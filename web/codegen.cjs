// GraphQL Code Generator for the dashboard: typed documents (client preset) and the enum labels, both from
// schema/schema.graphql. Run by `npm run codegen:web` before the type check and the build; the output
// (web/src/gql/) is not committed.
/** @type {import('@graphql-codegen/cli').CodegenConfig} */
module.exports = {
  schema: 'schema/schema.graphql',
  documents: ['web/src/**/*.tsx', 'web/src/**/*.ts', '!web/src/gql/**'],
  ignoreNoDocuments: true,
  silent: true,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: {
          DateTime: 'string',
          Money: 'number',
          JSONObject: 'Record<string, unknown>',
          DivisionCode: 'string',
          Mobile: 'string',
          USCC: 'string',
          LocalDate: 'string',
        },
      },
      presetConfig: { fragmentMasking: false },
    },
    'web/src/gql/enum-labels.ts': { plugins: ['./web/codegen/enum-labels.cjs'] },
  },
};
