import 'reflect-metadata';
import { noOutboxNotifier, type ExecutionContext } from '../../src/core/execution-context';
import { executionContext } from '../../src/app/execution';
import { Tokens } from '../../src/auth/tokens';
import { CaseList } from '../../src/cases/case-list';
import { CaseService } from '../../src/cases/case.service';
import { loadConfigOrExit } from '../../src/config';
import { openDatabase, type Orm } from '../../src/db/database';
import { toolDatabaseUrl } from '../../src/infra/tool-database';
import { Lifecycle, runMain } from '../../src/lifecycle';
import { createLogger } from '../../src/logger';

/**
 * `npm run bench:authz`: what the authorization layer costs the dashboard list query, in one run — the same page
 * (50 cases of one district in ACCEPTED/IN_PROGRESS, with employer, project and lead loaded in batches, and
 * totalCount) read through the policy (an inspector's scope, in SQL) and without it, interleaved, plus the cost of
 * verifying the request's token. Runs on the database under DATA_DIR (fill it with `npm run seed`) or DATABASE_URL.
 */
const ITERATIONS = Number(process.argv[2] ?? 300);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const round = (ms: number) => Math.round(ms * 100) / 100;

async function listPage(ctx: ExecutionContext, list: CaseList): Promise<number> {
  const started = performance.now();
  const [page] = await Promise.all([list.page({ first: 50, order: 'RECEIVED_AT_DESC' }), list.count()]);
  // The nested fields, as the resolvers load them: one batched query each.
  await Promise.all(
    page.nodes.flatMap((c) => [
      c.employer ? ctx.loaders.employer.load(c.employer) : null,
      c.project ? ctx.loaders.project.load(c.project) : null,
      c.leadInspector ? ctx.loaders.user.load(c.leadInspector) : null,
    ]),
  );
  return performance.now() - started;
}

function boot(): void {
  const config = loadConfigOrExit('tool');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const url = await toolDatabaseUrl(config, log, lifecycle);
    const orm: Orm = await openDatabase({ url, log, migrate: false });
    lifecycle.onStop('database pool', () => orm.close());

    // The busiest district and an inspector of its inspection agency.
    const [target] = await orm.em
      .getConnection()
      .execute<Array<{ district: string; user_id: string; agency_id: string; roles: string[]; cases: string }>>(
        `select left(c.region_code, 6) as district, u.id as user_id, a.id as agency_id, u.roles, count(*) as cases
         from wage_case c join agency a on a.kind = 'HRSS_INSPECTION' and a.region_code = left(c.region_code, 6)
         join app_user u on u.agency_id = a.id and 'INSPECTOR' = any(u.roles)
        group by 1, 2, 3, 4 order by count(*) desc, u.id limit 1`,
      );
    if (!target) throw new Error('no cases: run `npm run seed` first');
    const [{ n: total }] = (await orm.em.getConnection().execute<Array<{ n: string }>>('select count(*) as n from wage_case')) as [
      { n: string },
    ];
    const actor = { userId: target.user_id, agencyId: target.agency_id, agencyKind: 'HRSS_INSPECTION' as const, roles: target.roles };
    const filter = { regionCode: target.district, statuses: ['ACCEPTED' as const, 'IN_PROGRESS' as const] };
    const context = (): ExecutionContext => {
      return executionContext({ em: orm.em.fork(), log, actor });
    };
    const cases = new CaseService(noOutboxNotifier);

    const withPolicy: number[] = [];
    const without: number[] = [];
    for (let i = 0; i < ITERATIONS + 20; i++) {
      const a = context();
      const b = context();
      const scoped = await listPage(a, cases.list(a, filter));
      const open = await listPage(b, new CaseList(b.em, filter, { scope: { sql: 'true', params: [] }, searchPersonNames: true }));
      if (i >= 20) {
        withPolicy.push(scoped);
        without.push(open);
      }
    }
    withPolicy.sort((x, y) => x - y);
    without.sort((x, y) => x - y);

    const tokens = new Tokens([{ kid: 'bench', secret: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz' }]);
    const token = tokens.issue({
      userId: actor.userId,
      agencyId: actor.agencyId,
      agencyKind: 'HRSS_INSPECTION',
      roles: target.roles as never,
    });
    const verifies = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < verifies; i++) tokens.verify(token);
    const verifyMicros = ((performance.now() - t0) * 1000) / verifies;

    const result = {
      cases: Number(total),
      district: target.district,
      districtCases: Number(target.cases),
      iterations: ITERATIONS,
      withPolicy: { p50: round(percentile(withPolicy, 50)), p95: round(percentile(withPolicy, 95)) },
      withoutPolicy: { p50: round(percentile(without, 50)), p95: round(percentile(without, 95)) },
      tokenVerifyMicros: Math.round(verifyMicros * 10) / 10,
    };
    console.log(JSON.stringify(result));
    console.log(
      `list query, ${result.cases} cases: with the policy p50 ${result.withPolicy.p50} ms / p95 ${result.withPolicy.p95} ms; without p50 ${result.withoutPolicy.p50} ms / p95 ${result.withoutPolicy.p95} ms; token check ${result.tokenVerifyMicros} µs per request`,
    );
    await lifecycle.stopAll();
  });
}

boot();
