import path from 'node:path';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { Employer } from '../employers/employer.entity';
import type { Logger } from '../logger';

/** Every entity of the model; the migrations in `migrations/` create their tables. */
export const entities = [Employer];

// Running from TypeScript (jest) we load migrations from `migrations/*.ts`; compiled, from `dist/migrations/*.js`.
// Both sit two levels above this file's folder (src/db → migrations, dist/src/db → dist/migrations).
const runningTs = __filename.endsWith('.ts');
const migrationsDir = path.resolve(__dirname, '..', '..', 'migrations');

export function ormConfig(opts: { clientUrl: string; log?: Logger; debug?: boolean }): Options {
  return defineConfig({
    clientUrl: opts.clientUrl,
    entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    // Times are UTC in storage; the zone is applied only when showing days and deadlines.
    timezone: '+00:00',
    forceUtcTimezone: true,
    pool: { min: 0, max: 20 },
    debug: opts.debug ?? false,
    logger: opts.log ? (message) => opts.log!.debug({ component: 'orm' }, message) : undefined,
    allowGlobalContext: false,
    migrations: {
      path: migrationsDir,
      pathTs: migrationsDir,
      glob: runningTs ? '!(*.d).ts' : '!(*.d).js',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    preferTs: runningTs,
  });
}
