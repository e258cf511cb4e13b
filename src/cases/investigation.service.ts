import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { User } from '../agencies/agency.entity';
import type { ExecutionContext } from '../core/execution-context';
import type { Loaders } from '../db/loaders';
import { IN_HANDLING_STATUSES } from '../domain/case-status';
import { badUserInput, forbidden } from '../domain/errors';
import { INVESTIGATION_RECORDERS, INVESTIGATORS, seesInvestigation, TEAM_ASSIGNERS } from '../policy/investigation';
import { hasRole, ownsCase } from '../policy/roles';
import { penaltyRules } from '../rules/penalty-rules';
import type { Case, CaseEventType } from './case.entity';
import type { CaseRef, CaseService } from './case.service';

/** 证据种类 (行政诉讼法 第三十三条): the kinds of evidence an administrative case rests on. */
export const EVIDENCE_KINDS = [
  'DOCUMENTARY',
  'PHYSICAL',
  'AUDIO_VISUAL',
  'ELECTRONIC_DATA',
  'WITNESS_TESTIMONY',
  'PARTY_STATEMENT',
  'EXPERT_OPINION',
  'INSPECTION_RECORD',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface InquiryRecord {
  id: string;
  personAsked: string;
  capacity: string | null;
  askedAt: Date;
  place: string;
  inspectorIds: string[];
  fileRef: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface EvidenceRecord {
  id: string;
  kind: EvidenceKind;
  description: string;
  collectedAt: Date;
  collectedBy: string[];
  fileRef: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface Investigation {
  leadId: string | null;
  teamIds: string[];
  inquiries: InquiryRecord[];
  evidence: EvidenceRecord[];
}

/** A moment may be recorded a little ahead of the server's clock (a device's clock), not more. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The investigation on the record (调查): the investigating team beside the case's lead, the inquiries made (询问笔录)
 * and the evidence collected, each by at least two inspectors present (行政处罚法 第四十二条). Each is a case-file
 * entry written with the change (through `CaseService.changeCase`); the records themselves are labour inspection's
 * alone (`seesInvestigation`).
 */
export class InvestigationService {
  constructor(private readonly cases: CaseService) {}

  /** 调查组: the inspectors investigating the case with its lead; named by a supervisor or director of the owning agency. */
  setTeam(ctx: ExecutionContext, input: CaseRef & { inspectorIds: string[] }): Promise<Case> {
    return this.cases.changeCase(ctx, input, IN_HANDLING_STATUSES, async (c, em) => {
      this.owner(ctx, c, TEAM_ASSIGNERS, 'name the investigating team');
      const ids = [...new Set(input.inspectorIds)];
      if (ids.length === 0) throw badUserInput('input.inspectorIds', 'required', 'name at least one inspector');
      await this.inspectorsOf(em, c, ids, 'input.inspectorIds');
      const previous = await teamOf(em, c.id);
      await run(em, `delete from case_investigator where case_id = ? and not (user_id = any(?::uuid[]))`, [c.id, uuidArray(ids)]);
      await run(
        em,
        `insert into case_investigator (case_id, user_id, added_at, added_by)
           select ?, u, ?, ? from unnest(?::uuid[]) u on conflict do nothing`,
        [c.id, ctx.clock.now(), ctx.actor!.userId, uuidArray(ids)],
      );
      return { type: 'INVESTIGATION_TEAM_SET' as CaseEventType, payload: { team: ids, previous } };
    });
  }

  /**
   * Who may be named on the case's team, at an inquiry, on evidence or on a referral team: the owning agency's
   * law-enforcement staff (INVESTIGATORS), listed to a caseworker of that agency (the one who names them).
   */
  async candidates(ctx: ExecutionContext, caseId: string): Promise<User[]> {
    const c = await this.cases.byId(ctx, caseId);
    this.owner(ctx, c, INVESTIGATION_RECORDERS, 'name its investigators');
    return ctx.em.find(User, { agency: c.owningAgency, roles: { $overlap: [...INVESTIGATORS] } }, { orderBy: { name: 'asc', id: 'asc' } });
  }

  /** 询问笔录: who was asked, when and where, by which inspectors (two at least), and where the record is filed. */
  recordInquiry(
    ctx: ExecutionContext,
    input: CaseRef & {
      personAsked: string;
      capacity?: string | null;
      askedAt: Date;
      place: string;
      inspectorIds: string[];
      fileRef: string;
    },
  ): Promise<Case> {
    return this.cases.changeCase(ctx, input, IN_HANDLING_STATUSES, async (c, em) => {
      this.owner(ctx, c, INVESTIGATION_RECORDERS, 'record an inquiry');
      this.notFuture(ctx, input.askedAt, 'input.askedAt');
      const present = await this.officersPresent(em, c, input.inspectorIds, 'input.inspectorIds');
      const id = randomUUID();
      await run(
        em,
        `insert into case_inquiry (id, case_id, person_asked, capacity, asked_at, place, inspector_ids, file_ref, recorded_by, recorded_at)
           values (?, ?, ?, ?, ?, ?, ?::uuid[], ?, ?, ?)`,
        [
          id,
          c.id,
          input.personAsked.trim(),
          input.capacity?.trim() || null,
          input.askedAt,
          input.place.trim(),
          uuidArray(present),
          input.fileRef.trim(),
          ctx.actor!.userId,
          ctx.clock.now(),
        ],
      );
      // The entry says that an inquiry was made, by whom and where it is filed; what was said is in the record itself.
      return {
        type: 'INQUIRY_RECORDED' as CaseEventType,
        payload: { inquiryId: id, askedAt: input.askedAt.toISOString(), inspectorIds: present, fileRef: input.fileRef.trim() },
      };
    });
  }

  /** An evidence item: its kind, what it is, when and by whom (two inspectors at least) it was collected, its file. */
  recordEvidence(
    ctx: ExecutionContext,
    input: CaseRef & { kind: EvidenceKind; description: string; collectedAt: Date; collectedBy: string[]; fileRef: string },
  ): Promise<Case> {
    return this.cases.changeCase(ctx, input, IN_HANDLING_STATUSES, async (c, em) => {
      this.owner(ctx, c, INVESTIGATION_RECORDERS, 'record evidence');
      if (!EVIDENCE_KINDS.includes(input.kind))
        throw badUserInput('input.kind', 'evidence.kind', `kind is one of ${EVIDENCE_KINDS.join(', ')}`);
      this.notFuture(ctx, input.collectedAt, 'input.collectedAt');
      const present = await this.officersPresent(em, c, input.collectedBy, 'input.collectedBy');
      const id = randomUUID();
      await run(
        em,
        `insert into case_evidence (id, case_id, kind, description, collected_at, collected_by, file_ref, recorded_by, recorded_at)
           values (?, ?, ?, ?, ?, ?::uuid[], ?, ?, ?)`,
        [
          id,
          c.id,
          input.kind,
          input.description.trim(),
          input.collectedAt,
          uuidArray(present),
          input.fileRef.trim(),
          ctx.actor!.userId,
          ctx.clock.now(),
        ],
      );
      return {
        type: 'EVIDENCE_RECORDED' as CaseEventType,
        payload: {
          evidenceId: id,
          kind: input.kind,
          collectedAt: input.collectedAt.toISOString(),
          collectedBy: present,
          fileRef: input.fileRef.trim(),
        },
      };
    });
  }

  /** The investigation of a case the caller can see, or null for a caller outside labour inspection (batched per request). */
  async investigationOf(ctx: ExecutionContext, c: { id: string; leadInspectorId: string | null }): Promise<Investigation | null> {
    if (!seesInvestigation(ctx.actor)) return null;
    const found = await investigationLoader(ctx).load(c.id);
    return { ...found, leadId: c.leadInspectorId };
  }

  private owner(ctx: ExecutionContext, c: Case, roles: readonly string[], doing: string): void {
    const actor = ctx.actor!;
    if (!ownsCase(actor, c)) throw forbidden(`case ${c.number} belongs to another inspection agency: only it may ${doing}`);
    if (!hasRole(actor, roles)) throw forbidden(`to ${doing} takes the role ${roles.join(' or ')}`);
  }

  private notFuture(ctx: ExecutionContext, at: Date, field: string): void {
    if (at.getTime() > ctx.clock.now().getTime() + CLOCK_SKEW_MS)
      throw badUserInput(field, 'time.not-future', 'a record is of something done');
  }

  /** 行政处罚法 第四十二条: at least two law-enforcement officers present, inspectors of the owning agency. */
  private async officersPresent(em: EntityManager, c: Case, ids: string[], field: string): Promise<string[]> {
    const present = [...new Set(ids)];
    const { count, source } = penaltyRules.minimumOfficersPresent;
    if (present.length < count)
      throw badUserInput(field, 'officers.two-present', `at least ${count} inspectors must be present (${source})`);
    await this.inspectorsOf(em, c, present, field);
    return present;
  }

  private async inspectorsOf(em: EntityManager, c: Case, ids: string[], field: string): Promise<void> {
    if (ids.some((id) => !UUID.test(id))) throw badUserInput(field, 'inspector.own-agency', 'name inspectors by their user ids');
    const users = await em.find(User, { id: { $in: ids } });
    for (const id of ids) {
      const u = users.find((x) => x.id === id);
      if (!u || u.agency !== c.owningAgency || !hasRole(u, INVESTIGATORS))
        throw badUserInput(field, 'inspector.own-agency', `${id} is not an inspector of the agency that owns case ${c.number}`);
    }
  }
}

/** The lead and the investigating team of a case: who may not decide its penalty (查处分离). */
export async function investigatorsOf(em: EntityManager, caseId: string): Promise<string[]> {
  const rows = await em.getConnection().execute<Array<{ id: string }>>(
    `select user_id::text as id from case_investigator where case_id = ?
       union select lead_inspector_id::text from wage_case where id = ? and lead_inspector_id is not null`,
    [caseId, caseId],
    'all',
    em.getTransactionContext(),
  );
  return rows.map((r) => r.id);
}

async function teamOf(em: EntityManager, caseId: string): Promise<string[]> {
  const rows = await em
    .getConnection()
    .execute<Array<{ id: string }>>(
      `select user_id::text as id from case_investigator where case_id = ? order by added_at, user_id`,
      [caseId],
      'all',
      em.getTransactionContext(),
    );
  return rows.map((r) => r.id);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A PostgreSQL array literal of ids already checked to be uuids (a bound JavaScript array would be spread as a list). */
function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

async function run(em: EntityManager, sql: string, params: unknown[]): Promise<void> {
  await em.getConnection().execute(sql, params as never[], 'run', em.getTransactionContext());
}

/** One loader per request (its loaders object): a page of cases reads its investigations in three queries. */
const loaders = new WeakMap<Loaders, DataLoader<string, Omit<Investigation, 'leadId'>>>();

function investigationLoader(ctx: ExecutionContext): DataLoader<string, Omit<Investigation, 'leadId'>> {
  let loader = loaders.get(ctx.loaders);
  if (!loader) {
    const conn = ctx.em.getConnection();
    loader = new DataLoader(async (caseIds) => {
      const ids = [...caseIds];
      const [team, inquiries, evidence] = await Promise.all([
        conn.execute<Array<{ case_id: string; user_id: string }>>(
          `select case_id::text, user_id::text from case_investigator where case_id = any(?::uuid[]) order by added_at, user_id`,
          [uuidArray(ids)],
        ),
        conn.execute<Array<Record<string, unknown>>>(
          `select id::text, case_id::text, person_asked, capacity, asked_at, place, inspector_ids::text[] as inspector_ids, file_ref,
                  recorded_by::text, recorded_at
             from case_inquiry where case_id = any(?::uuid[]) order by asked_at, id`,
          [uuidArray(ids)],
        ),
        conn.execute<Array<Record<string, unknown>>>(
          `select id::text, case_id::text, kind, description, collected_at, collected_by::text[] as collected_by, file_ref,
                  recorded_by::text, recorded_at
             from case_evidence where case_id = any(?::uuid[]) order by collected_at, id`,
          [uuidArray(ids)],
        ),
      ]);
      return ids.map((id) => ({
        teamIds: team.filter((t) => t.case_id === id).map((t) => t.user_id),
        inquiries: inquiries
          .filter((r) => r.case_id === id)
          .map((r) => ({
            id: String(r.id),
            personAsked: String(r.person_asked),
            capacity: (r.capacity as string | null) ?? null,
            askedAt: new Date(r.asked_at as string),
            place: String(r.place),
            inspectorIds: r.inspector_ids as string[],
            fileRef: String(r.file_ref),
            recordedBy: String(r.recorded_by),
            recordedAt: new Date(r.recorded_at as string),
          })),
        evidence: evidence
          .filter((r) => r.case_id === id)
          .map((r) => ({
            id: String(r.id),
            kind: r.kind as EvidenceKind,
            description: String(r.description),
            collectedAt: new Date(r.collected_at as string),
            collectedBy: r.collected_by as string[],
            fileRef: String(r.file_ref),
            recordedBy: String(r.recorded_by),
            recordedAt: new Date(r.recorded_at as string),
          })),
      }));
    });
    loaders.set(ctx.loaders, loader);
  }
  return loader;
}
