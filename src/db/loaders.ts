import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { Agency, User } from '../agencies/agency.entity';
import { CaseComplainant, CaseEvent, Contact, Payment } from '../cases/case.entity';
import { Employer } from '../employers/employer.entity';
import { OwedWorker, PaymentAllocation } from '../cases/owed-worker.entity';
import { Person } from '../people/person.entity';
import { Project } from '../projects/project.entity';
import { Region } from '../regions/region.entity';
import { CaseProcess, ProcessInstalment, ProcessParty } from '../processes/process.entity';
import { CASE_CHANGE_FACTS_SQL, ENTRY_VISIBLE_SQL } from '../policy/case-scope';
import { toDate, type WebhookAttemptRow } from '../webhooks/webhook-rows';

/**
 * Per-request batch loaders: a page of N cases asks for its employers, projects, regions and leads in one
 * query each, not N (no N+1). Created with the request's entity manager; never shared between requests.
 */
export function createLoaders(em: EntityManager) {
  function byKey<T extends object>(entity: EntityName<T>, key: keyof T & string) {
    return new DataLoader<string, T | null>(async (keys) => {
      const rows = await em.find(entity, { [key]: { $in: [...keys] } } as never);
      const index = new Map(rows.map((r) => [String(r[key]), r]));
      return keys.map((k) => index.get(k) ?? null);
    });
  }
  function byCase<T extends { case: string }>(entity: EntityName<T>, orderBy: Record<string, 'asc' | 'desc'>) {
    return new DataLoader<string, T[]>(async (caseIds) => {
      const rows = await em.find(entity, { case: { $in: [...caseIds] } } as never, { orderBy: orderBy as never });
      const groups = new Map<string, T[]>(caseIds.map((id) => [id, []]));
      for (const r of rows) groups.get(r.case)?.push(r);
      return caseIds.map((id) => groups.get(id)!);
    });
  }
  function byProcess<T extends { process: string }>(entity: EntityName<T>, orderBy: Record<string, 'asc' | 'desc'>) {
    return new DataLoader<string, T[]>(async (ids) => {
      const rows = await em.find(entity, { process: { $in: [...ids] } } as never, { orderBy: orderBy as never });
      const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
      for (const r of rows) groups.get(r.process)?.push(r);
      return ids.map((id) => groups.get(id)!);
    });
  }
  return {
    employer: byKey(Employer, 'id'),
    project: byKey(Project, 'id'),
    region: byKey(Region, 'code'),
    user: byKey(User, 'id'),
    agency: byKey(Agency, 'id'),
    person: byKey(Person, 'id'),
    complainants: byCase(CaseComplainant, { joinedAt: 'asc', id: 'asc' }),
    events: byCase(CaseEvent, { seq: 'asc' }),
    payments: byCase(Payment, { recordedAt: 'asc' }),
    contacts: byCase(Contact, { at: 'asc' }),
    /** A case's roster of owed workers, and the parts of its payments that reached them (what each line was paid). */
    owedWorkers: byCase(OwedWorker, { addedAt: 'asc', id: 'asc' }),
    paymentAllocations: byCase(PaymentAllocation, { id: 'asc' }),
    processes: byCase(CaseProcess, { startedAt: 'asc', id: 'asc' }),
    processParties: byProcess(ProcessParty, { role: 'asc', id: 'asc' }),
    processInstalments: byProcess(ProcessInstalment, { seq: 'asc' }),
    /**
     * The seqs of a case's entries that an agency may see, keyed `<agencyId>|<caseId>`: the database's one rule
     * (`case_entry_visible_to`), the same the event feed and the webhook trigger apply.
     */
    visibleEntrySeqs: new DataLoader<string, Set<number>>(async (keys) => {
      const byAgency = new Map<string, string[]>();
      for (const k of keys) {
        const [agency, caseId] = k.split('|') as [string, string];
        byAgency.set(agency, [...(byAgency.get(agency) ?? []), caseId]);
      }
      const seen = new Map<string, Set<number>>(keys.map((k) => [k, new Set<number>()]));
      for (const [agency, caseIds] of byAgency) {
        const rows = await em
          .getConnection()
          .execute<Array<{ case_id: string; seq: number }>>(
            `select e.case_id, e.seq from case_event e where e.case_id in (?) and ${ENTRY_VISIBLE_SQL}`,
            [caseIds, agency],
          );
        for (const r of rows) seen.get(`${agency}|${r.case_id}`)?.add(r.seq);
      }
      return keys.map((k) => seen.get(k)!);
    }),
    /**
     * What `mayChangeCase` reads of a case for an agency, keyed `<agencyId>|<caseId>`: whether the case is in the
     * agency's region, and whether another region's agency holds it by an OWNER grant (协查). One query per agency.
     */
    caseChangeFacts: new DataLoader<string, { inRegionOfActor: boolean; heldByGrant: boolean }>(async (keys) => {
      const byAgency = new Map<string, string[]>();
      for (const k of keys) {
        const [agency, caseId] = k.split('|') as [string, string];
        byAgency.set(agency, [...(byAgency.get(agency) ?? []), caseId]);
      }
      const facts = new Map<string, { inRegionOfActor: boolean; heldByGrant: boolean }>();
      for (const [agency, caseIds] of byAgency) {
        const rows = await em
          .getConnection()
          .execute<Array<{ id: string; in_region: boolean; held: boolean }>>(
            `select c.id, ${CASE_CHANGE_FACTS_SQL} from wage_case c where c.id in (?)`,
            [agency, caseIds],
          );
        for (const r of rows) facts.set(`${agency}|${r.id}`, { inRegionOfActor: !!r.in_region, heldByGrant: !!r.held });
      }
      return keys.map((k) => facts.get(k) ?? { inRegionOfActor: false, heldByGrant: false });
    }),
    /**
     * The latest closing report (结案报告) of each case: its author, or null when the case has none. One query, through the
     * one reading of "the latest" (migrations/sql/140_case_latest_closing_report.sql).
     */
    closingReports: new DataLoader<string, { authorUserId: string | null } | null>(async (caseIds) => {
      const rows = await em.getConnection().execute<Array<{ case_id: string; actor_user_id: string | null }>>(
        `select c.id as case_id, r.actor_user_id from wage_case c cross join lateral case_latest_closing_report(c.id) r
            where c.id in (?)`,
        [[...caseIds]],
      );
      const by = new Map(rows.map((r) => [r.case_id, { authorUserId: r.actor_user_id }]));
      return caseIds.map((id) => by.get(id) ?? null);
    }),
    webhookAttempts: new DataLoader<string, WebhookAttemptRow[]>(async (ids) => {
      const rows = await em
        .getConnection()
        .execute<WebhookAttemptRow[]>(
          `select id::text as id, delivery_id::text as delivery_id, at, status_code, error from webhook_attempt where delivery_id in (?) order by id`,
          [[...ids]],
        );
      return ids.map((id) => rows.filter((r) => r.delivery_id === id).map((r) => ({ ...r, at: toDate(r.at) })));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
