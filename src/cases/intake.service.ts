import { randomUUID } from 'node:crypto';
import { wrap, type EntityName, type RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../api/context';
import { badUserInput } from '../api/errors';
import { Employer } from '../employers/employer.entity';
import { Project } from '../projects/project.entity';
import type { Channel } from '../rules/case-deadlines';
import { appendCaseEvent, caseEventData } from './case-file';
import { Case, CaseComplainant, CaseEvent, type CaseSector } from './case.entity';
import { acceptanceDeadline, sameDayContactDeadline } from './deadlines';
import { caseLifecycleInput, caseWorkflowId } from './case-workflow';
import { authorizeIntake } from '../auth/policy';

export interface IntakeInput {
  channel: Channel;
  channelRef?: string | null;
  idempotencyKey?: string | null;
  receivedAt?: Date | null;
  contactPhone: string;
  complainantName?: string | null;
  complainantResidentId?: string | null;
  description: string;
  employerUscc?: string | null;
  employerName?: string | null;
  projectCode?: string | null;
  regionCode?: string | null;
  sector?: CaseSector | null;
  workersAffected?: number | null;
  amountClaimedFen?: number | null;
}

/** CREATED: a new case. DUPLICATE: this very request was seen before. JOINED: a repeat complaint joined an open case. */
export type IntakeOutcome = 'CREATED' | 'DUPLICATE' | 'JOINED';

export interface IntakeResult {
  outcome: IntakeOutcome;
  case: Case;
}

const OPEN_STATUSES = ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS'];

/**
 * Zero-threshold intake (零门槛): a way to reach the complainant and a description are enough.
 * Idempotent on the idempotency key and on channel + channel reference; a repeat complaint (same phone, same
 * employer or project, within the configured window) joins the open case instead of opening another.
 * Identical requests racing each other are serialised by transaction-scoped advisory locks on those keys.
 */
export class IntakeService {
  /**
   * Which inspection agency covers a region changes when agencies are reorganised, not from one intake to the
   * next: an answer is kept for a minute, saving a query per intake.
   */
  private readonly coverage = new Map<string, { until: number; value: { agencyId: string; regionCode: string } }>();

  async intake(ctx: RequestContext, input: IntakeInput): Promise<IntakeResult> {
    await authorizeIntake(ctx, input.channel);
    const receivedAt = input.receivedAt ?? new Date();
    if (receivedAt.getTime() > Date.now() + 60_000) throw badUserInput('input.receivedAt', 'not-in-future', 'must not be in the future');

    const result = await ctx.em.transactional(async (em) => {
      const lockKeys = [
        input.idempotencyKey ? `idem:${input.idempotencyKey}` : undefined,
        input.channelRef ? `ref:${input.channel}:${input.channelRef}` : undefined,
        `phone:${input.contactPhone}`,
      ].filter((k): k is string => !!k);
      // Sorted, so two requests sharing several keys always take them in the same order (no deadlock).
      await em.getConnection().execute(
        `select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(array[?]::text[]) as k order by k`,
        [lockKeys.sort()],
        'all',
        em.getTransactionContext(),
      );

      const replay = await this.findReplay(em, input);
      if (replay) return { outcome: 'DUPLICATE' as const, case: replay };

      const [employer, project] = await Promise.all([
        input.employerUscc ? em.findOne(Employer, { uscc: input.employerUscc }) : null,
        input.projectCode ? em.findOne(Project, { code: input.projectCode }) : null,
      ]);
      const personId = await this.upsertPerson(em, input);

      const employerId = employer?.id ?? undefined;
      const projectId = project?.id ?? undefined;
      const open = await this.findOpenCaseToJoin(ctx, em, personId, employerId, projectId, receivedAt);
      if (open) {
        em.create(CaseComplainant, { case: open.id, person: personId, channel: input.channel, channelRef: input.channelRef ?? undefined, joinedAt: receivedAt });
        open.updatedAt = new Date();
        await em.flush(); // bumps the version: the event below takes it as its sequence number
        em.persist(appendCaseEvent(em, open, 'COMPLAINANT_JOINED', { actor: ctx.actor, operation: ctx.operation, at: receivedAt, payload: { personId, channel: input.channel, channelRef: input.channelRef ?? null } }));
        ctx.log.info({ caseNumber: open.number, channel: input.channel }, 'repeat complaint joined open case');
        return { outcome: 'JOINED' as const, case: open };
      }

      // Zero threshold: with nothing to locate it, the case belongs to the city's inspection agency until routed.
      const located = input.regionCode ?? project?.region ?? employer?.region;
      const { agencyId: owningAgency, regionCode } = await this.coveringAgency(em, located);
      // The number is given at commit (a deferred trigger, see the case_number_at_commit migration): meanwhile the
      // row holds a unique placeholder.
      const id = randomUUID();
      const c = em.create(
        Case,
        {
          id,
          number: `~${id.replace(/-/g, '').slice(0, 23)}`,
          channel: input.channel,
          channelRef: input.channelRef ?? undefined,
          idempotencyKey: input.idempotencyKey ?? undefined,
          receivedAt,
          sector: input.sector ?? (project ? 'CONSTRUCTION' : employer?.industry === 'CONSTRUCTION' ? 'CONSTRUCTION' : 'OTHER'),
          region: regionCode,
          owningAgency,
          primaryComplainant: personId,
          workersAffected: input.workersAffected ?? undefined,
          amountClaimedFen: input.amountClaimedFen ?? undefined,
          employer: employerId,
          employerNameGiven: employer ? undefined : (input.employerName ?? undefined),
          project: projectId,
          description: input.description,
          sameDayContactDue: sameDayContactDeadline(receivedAt),
          acceptanceDue: acceptanceDeadline(receivedAt, input.channel),
        },
        { persist: false },
      );
      await this.insertReceivedCase(em, c, {
        complainant: { case: c.id, person: personId, channel: input.channel, channelRef: input.channelRef ?? undefined, joinedAt: receivedAt },
        entry: caseEventData(c, 'RECEIVED', { actor: ctx.actor, operation: ctx.operation, at: receivedAt, payload: { channel: input.channel, channelRef: input.channelRef ?? null } }),
      });
      return { outcome: 'CREATED' as const, case: c };
    });
    if (result.outcome !== 'CREATED') return result;
    // Committed: the trigger has numbered it. The placeholder is what the unit of work saw, so setting the number
    // here writes nothing more.
    const [numbered] = await ctx.em.getConnection().execute<Array<{ number: string }>>('select number from wage_case where id = ?', [result.case.id]);
    result.case.number = numbered!.number;
    ctx.log.info({ caseNumber: result.case.number, channel: input.channel }, 'complaint taken in');
    ctx.services.outboxNudge();
    return { outcome: 'CREATED', case: result.case };
  }

  /**
   * The new case, its complainant, the first entry of its file and the start of its lifecycle workflow (through
   * the outbox), in one statement: four round trips and a unit-of-work flush were a third of an intake's time.
   */
  private async insertReceivedCase(em: EntityManager, c: Case, rows: { complainant: RequiredEntityData<CaseComplainant>; entry: RequiredEntityData<CaseEvent> }): Promise<void> {
    const knex = em.getKnex();
    const insert = <T extends object>(entity: EntityName<T>, data: RequiredEntityData<T>) => em.createQueryBuilder(entity).insert(data as never).getKnexQuery();
    const statement = knex
      .with('made', insert(Case, wrap(c).toObject() as RequiredEntityData<Case>))
      .with('complainant', insert(CaseComplainant, rows.complainant))
      .with('entry', insert(CaseEvent, rows.entry))
      .with('outbox', knex('workflow_outbox').insert({ action: 'START', workflow_type: 'caseLifecycle', workflow_id: caseWorkflowId(c.id), args: JSON.stringify([caseLifecycleInput(c)]) }))
      .select(knex.raw('1'));
    await em.getConnection().execute(statement, [], 'run', em.getTransactionContext());
  }

  private async findReplay(em: EntityManager, input: IntakeInput): Promise<Case | null> {
    if (input.idempotencyKey) {
      const byKey = await em.findOne(Case, { idempotencyKey: input.idempotencyKey });
      if (byKey) return byKey;
    }
    if (input.channelRef) return em.findOne(Case, { channel: input.channel, channelRef: input.channelRef });
    return null;
  }

  /** One person per mobile number; a name or ID number learnt later fills in what was missing. */
  private async upsertPerson(em: EntityManager, input: IntakeInput): Promise<string> {
    const rows = await em.getConnection().execute<Array<{ id: string }>>(
      `insert into person (id, name, mobile, resident_id, created_at)
       values (gen_random_uuid(), ?, ?, case when exists (select 1 from person where resident_id = ?) then null else ? end, now())
       on conflict (mobile) do update set
         name = coalesce(person.name, excluded.name),
         resident_id = coalesce(person.resident_id, excluded.resident_id)
       returning id`,
      [input.complainantName ?? null, input.contactPhone, input.complainantResidentId ?? null, input.complainantResidentId ?? null],
      'all',
      em.getTransactionContext(),
    );
    return rows[0]!.id;
  }

  private async findOpenCaseToJoin(ctx: RequestContext, em: EntityManager, personId: string, employerId: string | undefined, projectId: string | undefined, receivedAt: Date): Promise<Case | null> {
    if (!employerId && !projectId) return null;
    const since = new Date(receivedAt.getTime() - ctx.config.cases.repeatComplaintWindowDays * 86_400_000);
    const rows = await em.getConnection().execute<Array<{ id: string }>>(
      `select c.id from wage_case c
        where c.status in (?) and c.received_at >= ?
          and (c.employer_id = ? or c.project_id = ?)
          and exists (select 1 from case_complainant cc where cc.case_id = c.id and cc.person_id = ?)
        order by c.received_at desc limit 1`,
      [OPEN_STATUSES, since, employerId ?? null, projectId ?? null, personId],
      'all',
      em.getTransactionContext(),
    );
    return rows[0] ? em.findOneOrFail(Case, rows[0].id) : null;
  }

  /**
   * 首问负责: the HRSS inspection agency nearest above the region owns the case until it is routed; without a
   * region, the top-level (city) inspection agency, and the case is placed in its region.
   */
  private async coveringAgency(em: EntityManager, regionCode: string | undefined): Promise<{ agencyId: string; regionCode: string }> {
    const key = regionCode ?? '';
    const kept = this.coverage.get(key);
    if (kept && kept.until > Date.now()) return kept.value;
    const value = await this.inspectionAgencyFor(em, regionCode);
    this.coverage.set(key, { until: Date.now() + 60_000, value });
    return value;
  }

  private async inspectionAgencyFor(em: EntityManager, regionCode: string | undefined): Promise<{ agencyId: string; regionCode: string }> {
    const rows = regionCode
      ? await em.getConnection().execute<Array<{ id: string; region_code?: string }>>(
          `select a.id from agency a
             join region ar on ar.code = a.region_code
             join region r on r.code = ?
            where a.kind = 'HRSS_INSPECTION' and (r.path = ar.path or r.path like ar.path || '/%')
            order by length(ar.path) desc limit 1`,
          [regionCode],
          'all',
          em.getTransactionContext(),
        )
      : await em.getConnection().execute<Array<{ id: string; region_code: string }>>(
          `select a.id, a.region_code from agency a join region ar on ar.code = a.region_code
            where a.kind = 'HRSS_INSPECTION' order by length(ar.path), a.region_code limit 1`,
          [],
          'all',
          em.getTransactionContext(),
        );
    if (!rows[0]) {
      throw badUserInput('input.regionCode', 'known-region-with-inspection', `region ${regionCode ?? '(none)'} is unknown or no labour inspection agency covers it`);
    }
    return { agencyId: rows[0].id, regionCode: regionCode ?? rows[0].region_code! };
  }
}
