import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { caseEventData, snapshot } from '../src/cases/case-file';
import { Case, CASE_STATUSES } from '../src/cases/case.entity';
import { readSqlSources } from '../src/db/sql-sources';
import { IN_HANDLING_STATUSES, OPEN_CASE_STATUSES } from '../src/domain/case-status';
import type { Services } from '../src/app/services';
import { createCaseActivities } from '../src/worker/case-activities';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { testLog } from './support/logger';

/**
 * One writer per fact (issue 13): the workflow outbox has one appender (`outbox_append`) and the case file one per
 * side (`appendCaseEvent` in TypeScript, `case_file_append` in the database, which mirrors it); every path goes
 * through them. And the rules spelled on both sides (the tracked state, the open statuses, the webhook delivery
 * workflow's id and signal) agree.
 */
const ROOT = path.resolve(__dirname, '..');
/** Tooling (demo seeding in bulk with triggers off, benchmarks, setup) lives in tools/, outside what is checked here. */

function typescriptFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return typescriptFiles(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}

const INSERTS_OUTBOX = /insert\s+into\s+workflow_outbox\b/i;
const INSERTS_CASE_FILE = /insert\s+into\s+case_event\b/i;

describe('one writer per fact', () => {
  describe('in the source', () => {
    const code = [...typescriptFiles('src'), ...typescriptFiles('workflows')].map((file) => ({
      file,
      text: readFileSync(path.join(ROOT, file), 'utf8'),
    }));

    it('no TypeScript file inserts outbox rows or case-file entries itself', () => {
      expect(code.length).toBeGreaterThan(50);
      expect(code.filter((f) => INSERTS_OUTBOX.test(f.text)).map((f) => f.file)).toEqual([]);
      expect(code.filter((f) => INSERTS_CASE_FILE.test(f.text)).map((f) => f.file)).toEqual([]);
      // TypeScript's outbox writers all call the database's appender.
      expect(code.filter((f) => /outbox_append\(/.test(f.text)).map((f) => f.file)).toEqual(['src/outbox/outbox.ts']);
    });

    it('of the database sources, only the appenders insert outbox rows and case-file entries', () => {
      const sources = readSqlSources();
      expect(sources.filter((s) => INSERTS_OUTBOX.test(s.sql)).map((s) => s.name)).toEqual([expect.stringMatching(/_outbox_append\.sql$/)]);
      expect(sources.filter((s) => INSERTS_CASE_FILE.test(s.sql)).map((s) => s.name)).toEqual([
        expect.stringMatching(/_case_file_append\.sql$/),
      ]);
    });
  });

  describe('in the database', () => {
    let db: TestDatabase;
    let api: TestApi;
    let city: Awaited<ReturnType<typeof loadTestCity>>;
    beforeAll(async () => {
      db = await createTestDatabase();
      city = await loadTestCity(db.orm.em.fork());
      api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    });
    afterAll(async () => {
      await api?.stop();
      await db?.drop();
    });
    const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      db.orm.em.fork().getConnection().execute<T[]>(sql, params);
    const asHotline = () => api.as(city.hotline, city.integrator);
    let phones = 0;
    async function intake(): Promise<{ id: string; number: string }> {
      phones++;
      const phone = `137${String(20_000_000 + phones * 7919).slice(-8)}`;
      const r = await api.gql<{ intakeComplaint: { case: { id: string; number: string } } }>(
        'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id number } } }',
        {
          i: { channel: 'HOTLINE_12345', channelRef: `OW-${phone}`, contactPhone: phone, description: '拖欠工资', regionCode: '110102003' },
        },
        asHotline(),
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!.intakeComplaint.case;
    }

    it('of the database functions (and so the triggers), only the appenders insert outbox rows and case-file entries', async () => {
      const writers = async (re: RegExp) =>
        (
          await query<{ name: string; src: string }>(
            `select proname as name, prosrc as src from pg_proc where pronamespace = 'public'::regnamespace order by 1`,
          )
        )
          .filter((f) => re.test(f.src))
          .map((f) => f.name);
      expect(await writers(INSERTS_OUTBOX)).toEqual(['outbox_append']);
      expect(await writers(INSERTS_CASE_FILE)).toEqual(['case_file_append']);
    });

    it('the tracked state has the same fields in TypeScript (TRACKED) and in the database (case_tracked_state)', async () => {
      const { id } = await intake();
      const c = await db.orm.em.fork().findOneOrFail(Case, id);
      const [row] = await query<{ keys: string[] }>(
        'select array(select jsonb_object_keys(case_tracked_state(c)) order by 1) as keys from wage_case c where c.id = ?',
        [id],
      );
      expect(row!.keys).toEqual(Object.keys(snapshot(c)).sort());
    });

    it('case_file_append writes the entry appendCaseEvent makes, with and without the state before the change', async () => {
      const { id } = await intake();
      const em = db.orm.em.fork();
      const rollback = new Error('rollback');
      await expect(
        em.transactional(async (tem) => {
          const c = await tem.findOneOrFail(Case, id);
          const before = snapshot(c);
          Object.assign(c, {
            status: 'ACCEPTED',
            acceptedAt: new Date('2026-03-03T01:00:00.001Z'),
            leadInspector: city.inspector.id,
            outcomeNote: '受理',
            updatedAt: new Date(),
          });
          await tem.flush();
          const opts = {
            actor: { userId: city.inspector.id, agencyId: city.xichengHrss.id },
            operation: 'test:oneWriter',
            at: new Date('2026-03-03T01:00:00.001Z'),
            payload: { n: 1 },
          };
          const append = async (withBefore: boolean) => {
            const [{ id: entryId }] = (await tem
              .getConnection()
              .execute<Array<{ id: string }>>(
                `select case_file_append(c, 'ACCEPTED', ?, ?, ?, ?::timestamptz, ?::jsonb, ?::jsonb) as id from wage_case c where c.id = ?`,
                [
                  opts.actor.userId,
                  opts.actor.agencyId,
                  opts.operation,
                  opts.at.toISOString(),
                  JSON.stringify(opts.payload),
                  withBefore ? JSON.stringify(before) : null,
                  id,
                ],
                'all',
                tem.getTransactionContext(),
              )) as [{ id: string }];
            const [entry] = await tem
              .getConnection()
              .execute<Array<Record<string, unknown>>>(
                `select seq, type, actor_user_id, actor_agency_id, operation, iso_instant(at) as at, payload, before, after from case_event where id = ?`,
                [entryId],
                'all',
                tem.getTransactionContext(),
              );
            return entry!;
          };
          const expected = (withBefore: boolean) => {
            const data = caseEventData(c, 'ACCEPTED', withBefore ? { ...opts, before } : opts);
            return {
              seq: data.seq,
              type: data.type,
              actor_user_id: data.actorUserId,
              actor_agency_id: data.actorAgencyId,
              operation: data.operation,
              at: (data.at as Date).toISOString(),
              payload: data.payload,
              before: data.before ?? null,
              after: data.after,
            };
          };
          const withBefore = await append(true);
          expect(withBefore).toEqual(expected(true));
          expect(Object.keys(withBefore.after as object).sort()).toEqual(['acceptedAt', 'leadInspector', 'outcomeNote', 'status']);
          // The next version's entry, without the state before the change: the whole state after it.
          c.updatedAt = new Date();
          await tem.flush();
          expect(await append(false)).toEqual(expected(false));
          throw rollback; // the entries were written to be compared, not kept (the case file refuses deletes)
        }),
      ).rejects.toBe(rollback);
    });

    it('the open statuses are the same in TypeScript (OPEN_CASE_STATUSES) and in the database (case_status_open)', async () => {
      const rows = await query<{ status: string; open: boolean }>(
        `select s as status, case_status_open(s) as open from unnest(?::text[]) s`,
        [`{${CASE_STATUSES.join(',')}}`],
      );
      expect(rows.filter((r) => r.open).map((r) => r.status)).toEqual(
        CASE_STATUSES.filter((s) => (OPEN_CASE_STATUSES as readonly string[]).includes(s)),
      );
      expect(IN_HANDLING_STATUSES.every((s) => (OPEN_CASE_STATUSES as readonly string[]).includes(s))).toBe(true);
    });

    it('the worker’s escalation is written through the case-file appender, once, at the case’s next version', async () => {
      const { id } = await intake();
      const activities = createCaseActivities({ orm: db.orm, log: testLog, services: {} as Services });
      const [{ version }] = (await query<{ version: number }>('select version from wage_case where id = ?', [id])) as [{ version: number }];
      // Both clocks run out now, after the intake (the escalation is judged on the case as it stood at its deadline).
      const deadline = new Date();
      await query('update wage_case set acceptance_due = ?, same_day_contact_due = ? where id = ?', [deadline, deadline, id]);
      const input = { caseId: id, kind: 'ACCEPTANCE_OVERDUE', deadline: deadline.toISOString(), escalateTo: 'SUPERVISOR' };
      expect(await activities.recordEscalation(input)).toEqual({ recorded: true, escalated: true });
      expect(await activities.recordEscalation(input)).toEqual({ recorded: false, escalated: true });
      const entries = await query('select seq, type, operation, payload, before, after from case_event where case_id = ? and type = ?', [
        id,
        'ESCALATED',
      ]);
      expect(entries).toEqual([
        {
          seq: version + 1,
          type: 'ESCALATED',
          operation: 'workflow:caseLifecycle',
          payload: { kind: input.kind, deadline: input.deadline, escalateTo: input.escalateTo },
          before: {},
          after: {},
        },
      ]);
      expect(await query('select version from wage_case where id = ?', [id])).toEqual([{ version: version + 1 }]);
      // Two runs at once (a retry while the first still holds the row): the case row's lock lets one write.
      const again = { ...input, kind: 'SAME_DAY_CONTACT_MISSED' };
      const runs = await Promise.all([activities.recordEscalation(again), activities.recordEscalation(again)]);
      expect(runs.map((r) => r.recorded).sort()).toEqual([false, true]);
      expect(await query('select version from wage_case where id = ?', [id])).toEqual([{ version: version + 2 }]);
    });

    it('a webhook replay asks the outbox for the same delivery workflow, signal and input as the trigger does', async () => {
      const reg = await api.gql<{ registerWebhook: { id: string } }>(
        'mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id } }',
        { i: { url: 'http://127.0.0.1:9/one-writer', secret: 'one-writer-secret-0123456789abcdefghij', giveUpAfterSeconds: 600 } },
        asHotline(),
      );
      if (reg.errors) throw new Error(JSON.stringify(reg.errors));
      const endpointId = reg.data!.registerWebhook.id;
      const c = await intake();
      const rows = () =>
        query<{ action: string; workflow_type: string; workflow_id: string; signal_name: string; args: unknown }>(
          `select action, workflow_type, workflow_id, signal_name, args from workflow_outbox where workflow_id like 'webhook-%' and args->0->>'caseId' = ? order by id`,
          [c.id],
        );
      const [fromTrigger] = await rows();
      expect(fromTrigger).toEqual({
        action: 'SIGNAL_WITH_START',
        workflow_type: 'webhookDelivery',
        workflow_id: `webhook-${endpointId}-${c.id}`,
        signal_name: 'deliveriesPending',
        args: [{ endpointId, caseId: c.id, giveUpAfter: '600s' }],
      });
      const [delivery] = await query<{ id: string }>('select id::text as id from webhook_delivery where endpoint_id = ? and case_id = ?', [
        endpointId,
        c.id,
      ]);
      const replayed = await api.gql(
        'mutation($id: String!) { replayWebhookDelivery(id: $id) { status } }',
        { id: delivery!.id },
        api.as(city.director, city.xichengHrss),
      );
      expect(replayed.errors).toBeUndefined();
      expect(await rows()).toEqual([fromTrigger, fromTrigger]);
    });
  });
});
