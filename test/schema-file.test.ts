import { readFileSync } from 'node:fs';
import path from 'node:path';
import { schemaSdl } from '../src/api/schema';

describe('schema/schema.graphql', () => {
  it('is what the type-graphql resolvers emit (run `npm run schema:emit` after changing the API)', async () => {
    const committed = readFileSync(path.resolve(__dirname, '..', 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await schemaSdl());
  });
});
