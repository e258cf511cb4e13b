// An ESLint parser for a self-contained GraphQL schema file (schema/schema.graphql), built from
// @graphql-eslint/eslint-plugin's own ESTree converter. The plugin's bundled parser loads graphql-config, whose URL
// loader needs a newer @graphql-tools/utils than the one package.json's `overrides` pins (11.2.2), so it cannot be
// imported here; a schema file needs none of that: the schema the rules consult is the file being linted.
import { buildSchema, GraphQLError } from 'graphql';
import { parseGraphQLSDL } from '@graphql-tools/utils';
import { convertToESTree, extractComments, extractTokens } from '@graphql-eslint/eslint-plugin/estree-converter/index';
import { getSiblings } from '@graphql-eslint/eslint-plugin/siblings';

export function parseForESLint(code, options) {
  try {
    const { document } = parseGraphQLSDL(options.filePath, code, { noLocation: false });
    const schema = buildSchema(code);
    const rootTree = convertToESTree(document, schema);
    return {
      services: { schema, siblingOperations: getSiblings([]) },
      ast: {
        comments: extractComments(document.loc),
        tokens: extractTokens(options.filePath, code),
        loc: rootTree.loc,
        range: rootTree.range,
        type: 'Program',
        sourceType: 'script',
        body: [rootTree],
      },
    };
  } catch (error) {
    if (error instanceof GraphQLError) {
      const location = error.locations?.[0];
      throw Object.assign(new Error(`[graphql-schema] ${error.message}`), {
        index: error.positions?.[0],
        ...(location && { lineNumber: location.line, column: location.column - 1 }),
      });
    }
    throw error;
  }
}

export const parser = { parseForESLint, meta: { name: 'anxin/graphql-schema-parser', version: '1' } };
