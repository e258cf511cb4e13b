import { LockMode, OptimisticLockError } from '@mikro-orm/core';
import { OPEN_CASE_STATUSES } from '../domain/case-status';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExecutionContext, OutboxNotifier } from '../core/execution-context';
import { badUserInput, conflict, notFound } from '../domain/errors';
import { User } from '../agencies/agency.entity';
import { Employer } from '../employers/employer.entity';
import { Project } from '../projects/project.entity';
import { appendCaseEvent, snapshot } from './case-file';
import { limitationOf } from './limitation';
import {
  Case,
  CaseComplainant,
  Contact,
  Payment,
  type CaseEventType,
  type CaseStatus,
  type ContactKind,
  type ContactOutcome,
  type PaymentSource,
} from './case.entity';
import { strictestResolutionDeadline } from './deadlines';
import type { Channel } from '../rules/case-deadlines';
import { beijingDate } from '../domain/working-days';
import { paymentBounds } from '../rules/input-bounds';
import { enqueueWorkflowRefresh, enqueueWorkflowSignal } from '../outbox/outbox';
import { caseStepSignal, startProcessSignal } from '../../workflows/case-lifecycle';
import { caseFactsChangedSignal } from '../../workflows/process-kit';
import { caseWorkflowId, type CaseStep } from './case-workflow';
import { CaseList, type CaseFilterInput } from './case-list';
import { authorizeCaseChange, requireVisibleCase } from '../auth/access';
import { caseScope } from '../policy/case-scope';
import { seesPersonalData } from '../policy/personal-data';
import { signedIn } from '../policy/signed-in';
import { LEAD_ROLE, type CaseAction } from '../policy/roles';
import { OwedWorker, PaymentAllocation, lineDone, paidByLine } from './owed-worker.entity';
import { noticePayload, type NoticeMilestone } from '../rules/complainant-notices';

export type PaymentInput = CaseRef & {
  amountFen: number;
  workersPaid: number;
  paidOn: string;
  payer: string;
  source: PaymentSource;
  settlesCase?: boolean | null;
  /** 工资发放到人: what of the amount reached each worker of the case's roster; the parts add up to the amount. */
  allocations?: ReadonlyArray<{ owedWorkerId: string; amountFen: number }> | null;
  /** Where the payment is in the caller's input, for the fields an error names (`input` unless given). */
  inputField?: string;
};

export interface CaseRef {
  caseId: string;
  /** Optimistic lock: the version the caller last saw; a different current version is a CONFLICT. */
  expectedVersion?: number | null;
}

export interface Change {
  type: CaseEventType;
  payload?: Record<string, unknown>;
  /** The step the case's lifecycle workflow must hear of, sent through the outbox in this transaction. */
  step?: { step: CaseStep; resolutionDue?: string };
  /** A cross-agency process the lifecycle starts as its child, sent through the outbox in this transaction. */
  startProcess?: { workflowType: string; workflowId: string; input: unknown };
  /** 告知投诉人: a NOTICE entry for the complainant, written after the change's own entry (closing writes one). */
  notice?: NoticeMilestone;
}

/**
 * Every change to a case: checked against the case's status and version, applied, and written to the case file
 * in the same transaction. A refused change writes nothing.
 */
/**
 * Who answers for a change: the caller, checked here against the policy for the action; or a workflow step, whose
 * update validator already checked its actor against the process (the worker edge passes this, never the API).
 */
export type ChangeAuthority = CaseAction | 'WORKFLOW_STEP';

/**
 * The facts of a case its workflows carry as search attributes (src/domain/search-attributes.ts; the region and owner
 * by id, the status by name), as one string to compare before and after a change.
 */
function taggedFacts(c: Case): string {
  return [c.status, c.owningAgency, c.region].join('|');
}

export class CaseService {
  constructor(private readonly outbox: OutboxNotifier) {}

  async byId(ctx: ExecutionContext, id: string): Promise<Case> {
    signedIn(ctx);
    return requireVisibleCase(ctx, await ctx.em.findOne(Case, { id }), id);
  }

  async byNumber(ctx: ExecutionContext, number: string): Promise<Case> {
    signedIn(ctx);
    return requireVisibleCase(ctx, await ctx.em.findOne(Case, { number }), number);
  }

  /** The dashboard list, scoped in SQL to what the caller may see. */
  list(ctx: ExecutionContext, filter: CaseFilterInput): CaseList {
    const actor = signedIn(ctx);
    return new CaseList(ctx.em, filter, { scope: caseScope(actor), searchPersonNames: seesPersonalData(actor) });
  }

  /** A change made by another feature (a process starting): the same checks, file entry and outbox as ours. */
  changeCase(
    ctx: ExecutionContext,
    ref: CaseRef,
    allowed: readonly CaseStatus[],
    apply: (c: Case, em: EntityManager) => Promise<Change> | Change,
  ): Promise<Case> {
    return this.change(ctx, 'DECIDE', ref, allowed, apply);
  }

  private async change(
    ctx: ExecutionContext,
    authority: ChangeAuthority,
    ref: CaseRef,
    allowed: readonly CaseStatus[],
    apply: (c: Case, em: EntityManager) => Promise<Change> | Change,
  ): Promise<Case> {
    if (authority !== 'WORKFLOW_STEP') signedIn(ctx);
    // Inside a caller's transaction (a process step), what this queues commits with the caller: it nudges then.
    const nested = ctx.em.isInTransaction();
    try {
      const result = await ctx.em.transactional(async (em) => {
        // Writers of one case queue on its row (as the workflow steps do), so a change made while a workflow
        // records a step waits for it instead of failing; a caller's stale expectedVersion is still CONFLICT.
        const c = await em.findOne(Case, { id: ref.caseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!c) throw notFound('case', ref.caseId);
        if (authority !== 'WORKFLOW_STEP') await authorizeCaseChange(ctx, em, c, authority);
        if (ref.expectedVersion != null && ref.expectedVersion !== c.version) {
          throw conflict(`case ${c.number} is at version ${c.version}, not ${ref.expectedVersion}: reload it`, {
            field: 'input.expectedVersion',
            rule: 'version.current',
            currentVersion: c.version,
          });
        }
        if (!allowed.includes(c.status)) {
          throw conflict(`case ${c.number} is ${c.status}; this step needs it to be ${allowed.join(' or ')}`, {
            field: 'input.caseId',
            rule: 'case.status',
            status: c.status,
          });
        }
        const before = snapshot(c);
        const [statusBefore, taggedBefore] = [c.status, taggedFacts(c)];
        const change = await apply(c, em);
        c.updatedAt = ctx.clock.now();
        await em.flush(); // UPDATE … WHERE version = n: a concurrent writer makes this fail
        em.persist(appendCaseEvent(em, c, change.type, { actor: ctx.actor, operation: ctx.operation, before, payload: change.payload }));
        await em.flush();
        if (change.notice) {
          c.updatedAt = new Date(Math.max(ctx.clock.now().getTime(), c.updatedAt.getTime() + 1));
          await em.flush(); // bumps the version again: the notice takes the next sequence number
          em.persist(
            appendCaseEvent(em, c, 'NOTICE', { actor: ctx.actor, operation: ctx.operation, payload: noticePayload(change.notice) }),
          );
          await em.flush();
        }
        if (change.step)
          await enqueueWorkflowSignal(em, { workflowId: caseWorkflowId(c.id), signal: caseStepSignal, payload: change.step });
        if (change.startProcess)
          await enqueueWorkflowSignal(em, { workflowId: caseWorkflowId(c.id), signal: startProcessSignal, payload: change.startProcess });
        // A fact the workflows tag (status, owner, region) moved with no step to tell the lifecycle (assignLead puts an
        // accepted case IN_PROGRESS): it reads its search attributes again. Only while the lifecycle runs (an open case).
        const refresh =
          !change.step &&
          !change.startProcess &&
          taggedFacts(c) !== taggedBefore &&
          (OPEN_CASE_STATUSES as readonly CaseStatus[]).includes(statusBefore);
        if (refresh) await enqueueWorkflowRefresh(em, { workflowId: caseWorkflowId(c.id), signal: caseFactsChangedSignal });
        ctx.log.info({ caseNumber: c.number, event: change.type, version: c.version }, 'case changed');
        return { c, signalled: !!change.step || !!change.startProcess || refresh };
      });
      if (result.signalled && !nested) this.outbox.nudge();
      return result.c;
    } catch (err) {
      if (err instanceof OptimisticLockError)
        throw conflict('the case was changed by someone else meanwhile: reload it', { rule: 'version.current' });
      throw err;
    }
  }

  recordContact(
    ctx: ExecutionContext,
    input: CaseRef & { kind: ContactKind; outcome: ContactOutcome; at?: Date | null; notes?: string | null },
  ): Promise<Case> {
    return this.change(ctx, 'CONTACT', input, ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'RESOLVED'], (c, em) => {
      const at = input.at ?? new Date();
      if (at.getTime() > Date.now() + 60_000) throw badUserInput('input.at', 'not-in-future', 'must not be in the future');
      const contact = em.create(Contact, {
        case: c.id,
        person: c.primaryComplainant,
        kind: input.kind,
        outcome: input.outcome,
        notes: input.notes ?? undefined,
        at,
        recordedBy: ctx.actor?.userId,
      });
      const firstReached = input.outcome === 'REACHED' && !c.firstContactAt;
      if (firstReached) c.firstContactAt = at;
      return {
        type: 'CONTACT_RECORDED',
        payload: {
          contactId: contact.id,
          kind: input.kind,
          outcome: input.outcome,
          at: at.toISOString(),
          onTime: at <= c.sameDayContactDue,
        },
        step: firstReached ? { step: 'CONTACT_REACHED' } : undefined,
      };
    });
  }

  /**
   * Labour inspection records who a complainant is on this case (name, ID number), after checking it. It is kept
   * on this case's complainant rows only: the person record is just the phone number that links complaints, and
   * no other agency's case shows or changes through it. The case file records which fields changed, not their
   * values, since other agencies read the file.
   */
  recordComplainantIdentity(
    ctx: ExecutionContext,
    input: CaseRef & { personId: string; name?: string | null; residentId?: string | null },
  ): Promise<Case> {
    return this.change(ctx, 'CONTACT', input, ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'RESOLVED'], async (c, em) => {
      const rows = await em.find(CaseComplainant, { case: c.id, person: input.personId }, { orderBy: { joinedAt: 'asc', id: 'asc' } });
      if (rows.length === 0) throw notFound('complainant', input.personId);
      // As the case shows it (case.resolver identityOnCase): identified here, else the first complaint's statement.
      const name = input.name?.trim();
      const fields = [
        ...(name && name !== (rows[0]!.identifiedName ?? rows[0]!.statedName) ? ['name'] : []),
        ...(input.residentId && input.residentId !== (rows[0]!.identifiedResidentId ?? rows[0]!.statedResidentId) ? ['residentId'] : []),
      ];
      if (fields.length === 0)
        throw badUserInput('input.name', 'identity.changes', 'give a name or resident ID number that differs from the one on record');
      for (const r of rows) {
        if (fields.includes('name')) r.identifiedName = name;
        if (fields.includes('residentId')) r.identifiedResidentId = input.residentId!;
      }
      return { type: 'COMPLAINANT_IDENTIFIED', payload: { personId: input.personId, fields } };
    });
  }

  /** 受理: the employer must be identified (art. 18); the statutory resolution clock starts. */
  acceptCase(ctx: ExecutionContext, input: CaseRef & { employerUscc?: string | null; projectCode?: string | null }): Promise<Case> {
    return this.change(ctx, 'DECIDE', input, ['RECEIVED'], async (c, em) => {
      if (input.employerUscc) {
        const employer = await em.findOne(Employer, { uscc: input.employerUscc });
        if (!employer) throw notFound('employer', input.employerUscc);
        c.employer = employer.id;
      }
      if (input.projectCode) {
        const project = await em.findOne(Project, { code: input.projectCode });
        if (!project) throw notFound('project', input.projectCode);
        c.project = project.id;
      }
      // On a construction project the general contractor answers for its subcontractors' wages.
      if (!c.employer && c.project) c.employer = (await em.findOneOrFail(Project, { id: c.project })).generalContractor;
      if (!c.employer)
        throw badUserInput(
          'input.employerUscc',
          'employer-identified',
          'the employer must be identified before a case is accepted (若干规定 第十八条)',
        );
      const now = new Date();
      c.status = 'ACCEPTED';
      c.acceptedAt = now;
      // A complaint that joined on a stricter channel (12345) brings its clock: the strictest of the case's channels.
      const joined = await em
        .getConnection()
        .execute<Array<{ channel: Channel }>>(
          `select distinct channel from case_complainant where case_id = ?`,
          [c.id],
          'all',
          em.getTransactionContext(),
        );
      c.resolutionDue = strictestResolutionDeadline(now, [c.channel, ...joined.map((r) => r.channel)]);
      return {
        type: 'ACCEPTED',
        // 告知投诉人: the milestone's notice rides on its own entry (the public lookup and webhooks read it there).
        payload: { resolutionDue: c.resolutionDue.toISOString(), notice: noticePayload('ACCEPTED') },
        step: { step: 'ACCEPTED', resolutionDue: c.resolutionDue.toISOString() },
      };
    });
  }

  rejectCase(ctx: ExecutionContext, input: CaseRef & { reason: string }): Promise<Case> {
    return this.change(ctx, 'DECIDE', input, ['RECEIVED'], (c) => {
      c.status = 'REJECTED';
      c.outcomeNote = input.reason;
      // A violation out of time (劳动保障监察条例 第二十条) is cited in the rejection's entry.
      const limitation = limitationOf(c);
      const cited = limitation?.expired
        ? { limitation: { rule: limitation.rule, source: limitation.source, endedOn: limitation.endedOn, lastDay: limitation.lastDay } }
        : {};
      return { type: 'REJECTED', payload: { reason: input.reason, ...cited }, step: { step: 'REJECTED' } };
    });
  }

  /**
   * The period of the violation, as established (劳动保障监察条例 第二十条: the two years count from the day it
   * occurred or, if it continued, ended). An open case; the dates are Beijing's and not in the future.
   */
  recordViolationPeriod(ctx: ExecutionContext, input: CaseRef & { startedOn: string; endedOn?: string | null }): Promise<Case> {
    return this.change(ctx, 'VIOLATION_PERIOD', input, OPEN_CASE_STATUSES, (c) => {
      const today = beijingDate(ctx.clock.now());
      if (input.startedOn > today) throw badUserInput('input.startedOn', 'not-in-future', 'the violation cannot begin after today');
      const endedOn = input.endedOn ?? null;
      if (endedOn !== null && endedOn > today) throw badUserInput('input.endedOn', 'not-in-future', 'the violation cannot end after today');
      if (endedOn !== null && endedOn < input.startedOn)
        throw badUserInput('input.endedOn', 'date.order', 'the violation ends on or after the day it began');
      const before = { startedOn: c.violationStartedOn ?? null, endedOn: c.violationEndedOn ?? null };
      c.violationStartedOn = input.startedOn;
      c.violationEndedOn = endedOn ?? undefined;
      const limitation = limitationOf(c)!;
      return {
        type: 'VIOLATION_PERIOD_RECORDED',
        payload: {
          startedOn: input.startedOn,
          endedOn,
          previously: before,
          limitation: { expired: limitation.expired, lastDay: limitation.lastDay, rule: limitation.rule, source: limitation.source },
        },
      };
    });
  }

  transferCase(ctx: ExecutionContext, input: CaseRef & { to: string; reason: string }): Promise<Case> {
    return this.change(ctx, 'DECIDE', input, ['RECEIVED', 'ACCEPTED'], (c) => {
      c.status = 'TRANSFERRED';
      c.transferredTo = input.to;
      c.outcomeNote = input.reason;
      return { type: 'TRANSFERRED', payload: { to: input.to, reason: input.reason }, step: { step: 'TRANSFERRED' } };
    });
  }

  /** 主办人: the lead must be an inspector of an inspection agency; an accepted case goes in progress. */
  assignLead(ctx: ExecutionContext, input: CaseRef & { inspectorId: string }): Promise<Case> {
    return this.change(ctx, 'ASSIGN_LEAD', input, OPEN_CASE_STATUSES, async (c, em) => {
      const inspector = await em.findOne(User, { id: input.inspectorId });
      // The lead works for the agency that owns the case, or for the acting one (a city director taking a case up).
      if (!inspector) throw notFound('user', input.inspectorId);
      if (inspector.agency !== c.owningAgency && inspector.agency !== ctx.actor?.agencyId) {
        throw badUserInput(
          'input.inspectorId',
          'inspector.own-agency',
          'the lead must be an inspector of the agency that owns the case, or of yours',
        );
      }
      if (!inspector.roles.includes(LEAD_ROLE))
        throw badUserInput('input.inspectorId', 'role.inspector', 'the lead must hold the INSPECTOR role');
      c.leadInspector = inspector.id;
      if (c.status === 'ACCEPTED') c.status = 'IN_PROGRESS';
      return { type: 'LEAD_ASSIGNED', payload: { inspectorId: inspector.id } };
    });
  }

  /**
   * The inspectors who may be named the case's lead (what assignLead accepts): those of the owning agency, then
   * those of the caller's (a city director taking a case up), by name. Only for a caller who may assign the lead:
   * NOT_FOUND out of scope, FORBIDDEN otherwise, as assignLead answers.
   */
  async leadCandidates(ctx: ExecutionContext, caseId: string): Promise<User[]> {
    const c = await this.byId(ctx, caseId);
    await authorizeCaseChange(ctx, ctx.em, c, 'ASSIGN_LEAD');
    const users = await ctx.em.find(
      User,
      { agency: { $in: [c.owningAgency, ctx.actor!.agencyId] }, roles: { $contains: [LEAD_ROLE] } },
      { orderBy: { name: 'asc', id: 'asc' } },
    );
    return users.sort((a, b) => Number(a.agency !== c.owningAgency) - Number(b.agency !== c.owningAgency));
  }

  /** Wages paid: the recovered amount grows; the case is resolved when all claimed is paid, or when told so. */
  recordPayment(ctx: ExecutionContext, input: PaymentInput): Promise<Case> {
    return this.payment(ctx, 'PAYMENT', input);
  }

  /**
   * Wages paid as a step of a cross-agency process (a dispatch report, a mediation instalment): its workflow's
   * validator checked the actor and the date against the workflow's own clock, so neither is checked again.
   */
  recordPaymentOfStep(ctx: ExecutionContext, input: PaymentInput): Promise<Case> {
    return this.payment(ctx, 'WORKFLOW_STEP', input);
  }

  private payment(ctx: ExecutionContext, authority: ChangeAuthority, input: PaymentInput): Promise<Case> {
    return this.change(ctx, authority, input, ['ACCEPTED', 'IN_PROGRESS', 'RESOLVED'], async (c, em) => {
      if (authority !== 'WORKFLOW_STEP') checkPaidOn(input.paidOn, c.receivedAt, ctx.clock.now());
      if (c.amountRecoveredFen + input.amountFen > Number.MAX_SAFE_INTEGER) {
        throw badUserInput('input.amount', 'money.total-exact', 'the case’s recovered total would pass what is counted exactly (2^53 fen)');
      }
      const roster = await em.find(OwedWorker, { case: c.id });
      const paid = paidByLine(roster.length > 0 ? await em.find(PaymentAllocation, { case: c.id }) : []);
      const allocations = input.allocations ?? [];
      checkAllocations(input, allocations, roster, paid);
      const payment = em.create(Payment, {
        case: c.id,
        amountFen: input.amountFen,
        workersPaid: input.workersPaid,
        paidOn: input.paidOn,
        payer: input.payer,
        source: input.source,
        recordedBy: ctx.actor?.userId,
      });
      for (const a of allocations) {
        em.create(PaymentAllocation, { payment: payment.id, owedWorker: a.owedWorkerId, case: c.id, amountFen: a.amountFen });
        paid.set(a.owedWorkerId, (paid.get(a.owedWorkerId) ?? 0) + a.amountFen);
      }
      c.amountRecoveredFen += input.amountFen;
      // With a roster, paid in full means every worker on it paid (or settled); without one, all claimed recovered.
      const paidInFull =
        roster.length > 0
          ? roster.every((line) => lineDone(line, paid))
          : c.amountClaimedFen != null && c.amountRecoveredFen >= c.amountClaimedFen;
      const resolves = c.status !== 'RESOLVED' && (!!input.settlesCase || paidInFull);
      if (resolves) {
        c.status = 'RESOLVED';
        c.resolvedAt = ctx.clock.now();
      }
      return {
        type: 'PAYMENT_RECORDED',
        payload: {
          paymentId: payment.id,
          amountFen: input.amountFen,
          workersPaid: input.workersPaid,
          paidOn: input.paidOn,
          payer: input.payer,
          source: input.source,
          ...(allocations.length > 0
            ? { allocations: allocations.map((a) => ({ owedWorkerId: a.owedWorkerId, amountFen: a.amountFen })) }
            : {}),
          ...(resolves ? { notice: noticePayload('RESOLVED') } : {}),
        },
        step: resolves ? { step: 'RESOLVED' } : undefined,
      };
    });
  }
}

/**
 * A payment's parts per worker: each a line of this case's roster, each line once, none paid past what it is owed,
 * and together the payment's amount, paid to as many workers as the payment says.
 */
function checkAllocations(
  input: PaymentInput,
  allocations: ReadonlyArray<{ owedWorkerId: string; amountFen: number }>,
  roster: readonly OwedWorker[],
  paid: ReadonlyMap<string, number>,
): void {
  if (allocations.length === 0) return;
  const base = input.inputField ?? 'input';
  const seen = new Set<string>();
  let sum = 0;
  allocations.forEach((a, i) => {
    const field = `${base}.allocations[${i}]`;
    const line = roster.find((l) => l.id === a.owedWorkerId);
    if (!line) throw badUserInput(`${field}.owedWorkerId`, 'owed-worker.on-case', 'not a line of this case’s roster of owed workers');
    if (seen.has(line.id)) throw badUserInput(`${field}.owedWorkerId`, 'allocations.distinct', 'each worker appears once in a payment');
    seen.add(line.id);
    if (!Number.isSafeInteger(a.amountFen) || a.amountFen < 1)
      throw badUserInput(`${field}.amount`, 'money.positive', 'must be at least 1 fen');
    const owes = line.amountOwedFen - (paid.get(line.id) ?? 0);
    if (a.amountFen > owes)
      throw badUserInput(
        `${field}.amount`,
        'allocation.within-owed',
        `this worker is owed ${Math.max(0, owes)} fen more; no more can be paid to them`,
      );
    sum += a.amountFen;
  });
  if (sum !== input.amountFen)
    throw badUserInput(
      `${base}.allocations`,
      'allocations.sum',
      `the parts per worker add up to ${sum} fen, not the payment’s ${input.amountFen} fen`,
    );
  if (input.workersPaid !== allocations.length)
    throw badUserInput(
      `${base}.workersPaid`,
      'allocations.workers',
      `the payment is allocated to ${allocations.length} workers, not ${input.workersPaid}`,
    );
}

/** A payment is recorded once made (not after today in Beijing) and belongs to this complaint (not years before it). */
function checkPaidOn(paidOn: string, receivedAt: Date, now: Date): void {
  const today = beijingDate(now);
  if (paymentBounds.paidOn.notAfterToday && paidOn > today)
    throw badUserInput('input.paidOn', 'not-in-future', `must not be after today (${today}, Beijing)`);
  const earliest = beijingDate(new Date(receivedAt.getTime() - paymentBounds.paidOn.maxDaysBeforeReceipt * 86_400_000));
  if (paidOn < earliest)
    throw badUserInput(
      'input.paidOn',
      'not-before-limit',
      `must not be before ${earliest}, ${paymentBounds.paidOn.maxDaysBeforeReceipt} days before the complaint`,
    );
}
