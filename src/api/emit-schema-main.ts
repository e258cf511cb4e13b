import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { schemaSdl } from './schema';

// `npm run schema:emit`: regenerates schema/schema.graphql from the type-graphql resolvers.
async function main(): Promise<void> {
  const file = path.resolve(__dirname, '..', '..', '..', 'schema', 'schema.graphql');
  await writeFile(file, await schemaSdl());
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
void main();
