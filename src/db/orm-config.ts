import path from 'node:path';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { Agency, User } from '../agencies/agency.entity';
import { Case, CaseComplainant, CaseEvent, Contact, Payment } from '../cases/case.entity';
import { Employer } from '../employers/employer.entity';
import { OwedWorker, PaymentAllocation } from '../cases/owed-worker.entity';
import { Person } from '../people/person.entity';
import { CaseProcess, ProcessInstalment, ProcessParty } from '../processes/process.entity';
import { Project } from '../projects/project.entity';
import { Grid, Region } from '../regions/region.entity';
import type { Logger } from '../logger';

/** Every entity of the model; the migrations in `migrations/` create their tables. */
export const entities = [
  Region,
  Grid,
  Agency,
  User,
  Employer,
  Project,
  Person,
  Case,
  CaseComplainant,
  CaseEvent,
  Payment,
  Contact,
  OwedWorker,
  PaymentAllocation,
  CaseProcess,
  ProcessParty,
  ProcessInstalment,
];

// Running from TypeScript (jest) we load migrations from `migrations/*.ts`; compiled, from `dist/migrations/*.js`.
// Both sit two levels above this file's folder (src/db → migrations, dist/src/db → dist/migrations).
const runningTs = __filename.endsWith('.ts');
const migrationsDir = path.resolve(__dirname, '..', '..', 'migrations');

export function ormConfig(opts: { clientUrl: string; log?: Logger; onQuery?: (sql: string) => void }): Options {
  // Every SQL statement, when a caller wants to count them (the N+1 test does).
  const logger = opts.onQuery
    ? (message: string) => opts.onQuery!(message)
    : opts.log
      ? (message: string) => opts.log!.debug({ component: 'orm' }, message)
      : undefined;
  return defineConfig({
    clientUrl: opts.clientUrl,
    entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    // Times are UTC in storage; the zone is applied only when showing days and deadlines.
    timezone: '+00:00',
    forceUtcTimezone: true,
    pool: { min: 0, max: 20 },
    debug: opts.onQuery ? ['query'] : false,
    logger,
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
