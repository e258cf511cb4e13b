import { randomUUID } from 'node:crypto';
import { caseLifecycle, deadlinesMovedSignal } from '../../workflows/case-lifecycle';
import type { ExecutionContext, OutboxNotifier } from '../core/execution-context';
import { badUserInput } from '../domain/errors';
import { caseDeadlineRules, type Channel } from '../rules/case-deadlines';
import { DateTime } from 'luxon';
import { addWorkingDays, beijingDate } from '../domain/working-days';
import { violationLimitation } from '../rules/limitation';
import { limitationOf } from './limitation';
import { Case, type CaseSector } from './case.entity';
import type { CaseRecord } from './case.entity';
import { acceptanceDeadline, sameDayContactDeadline } from './deadlines';
import { caseLifecycleInput, caseWorkflowId } from './case-workflow';
import { authorizeIntake, canSeeCase } from '../auth/access';
import { intakeBounds } from '../rules/input-bounds';
import { currentTraceparent } from '../observability/transaction-trace';

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
  /**
   * The period of the arrears as the complaint states it (Beijing dates): when the wages began to be owed and, if
   * it has ended, when it ended. A new case records it as its violation period, and a violation that ended more
   * than two years before the complaint is flagged at once (劳动保障监察条例 第二十条).
   */
  violationStartedOn?: string | null;
  violationEndedOn?: string | null;
}

/** CREATED: a new case. DUPLICATE: this very request was seen before. JOINED: a repeat complaint joined an open case. */
export type IntakeOutcome = 'CREATED' | 'DUPLICATE' | 'JOINED';

/** A code the complaint gave that names nothing known: the complaint is still taken in, and the answer says so. */
export interface IntakeWarning {
  field: string;
  rule: string;
  message: string;
}

/**
 * The outcome and the case it landed in. A replay or a repeat complaint can land on a case of another agency (a
 * channel reference from another district, a phone already in a case elsewhere): `readable` (the policy's
 * answer) is then false, and the caller is told the outcome, the case number and the owning agency — enough to
 * hand the complainant over (首问负责) — and nothing else (see `answerFor`).
 */
export interface IntakeResult {
  outcome: IntakeOutcome;
  case: CaseRecord;
  readable: boolean;
  warnings: IntakeWarning[];
}

/** What the caller of an intake is answered: the case only when it may read it. */
export function answerFor(result: IntakeResult): {
  outcome: IntakeOutcome;
  case: CaseRecord | null;
  caseNumber: string;
  owningAgencyId: string;
  warnings: IntakeWarning[];
} {
  return {
    outcome: result.outcome,
    case: result.readable ? result.case : null,
    caseNumber: result.case.number,
    owningAgencyId: result.case.owningAgency,
    warnings: result.warnings,
  };
}

const UNKNOWN_FIELD_WARNINGS: Record<string, IntakeWarning> = {
  employerUscc: {
    field: 'input.employerUscc',
    rule: 'employer.known',
    message: 'no employer with this unified social credit code is registered; the complaint was taken in without it',
  },
  projectCode: {
    field: 'input.projectCode',
    rule: 'project.known',
    message: 'no project with this code is registered; the complaint was taken in without it',
  },
};

/**
 * Zero-threshold intake (零门槛): a way to reach the complainant and a description are enough.
 * Idempotent on the idempotency key and on channel + channel reference; a repeat complaint (same phone, same
 * employer or project, within the configured window) joins the open case instead of opening another. Where the
 * city configures it, so does a collective complaint by any phone about the open case's project (no project named:
 * its employer); a joining complaint whose channel has a stricter clock moves the case's deadlines earlier.
 *
 * The service checks who may take it in and works out what needs the holiday calendar (the deadlines); the rest
 * is one call to the database function `intake_complaint` (migration intake_in_one_statement), one transaction:
 * it serialises identical requests on their keys, answers replays, joins or opens the case, numbers it, writes
 * its first file entry and queues its lifecycle workflow.
 */
/**
 * Intake's configuration (local practice, city configuration): how far back a complaint by the same phone counts as
 * a repeat; and, when set, how far back an open case takes in a collective complaint as a co-complainant whatever
 * the phone (same project, or with no project the same employer: 一事一案). Unset, complaints by other phones open
 * their own cases.
 */
export interface IntakeRules {
  repeatComplaintWindowDays: number;
  collectiveComplaintWindowDays?: number | null;
}

export class IntakeService {
  constructor(
    private readonly rules: IntakeRules,
    private readonly outbox: OutboxNotifier,
  ) {}

  async intake(ctx: ExecutionContext, input: IntakeInput): Promise<IntakeResult> {
    const actor = await authorizeIntake(ctx, input.channel);
    const receivedAt = input.receivedAt ?? new Date();
    checkReceivedAt(receivedAt);

    const period = checkViolationPeriod(input, receivedAt);
    const limitation = period ? limitationOf({ ...period, receivedAt }) : null;

    const id = randomUUID();
    const sameDayContactDue = sameDayContactDeadline(receivedAt);
    const acceptanceDue = acceptanceDeadline(receivedAt, input.channel);
    // The joining channel's own clocks (stricter than the statute's), counted from this complaint's receipt: a case
    // it joins moves its deadline earlier to them.
    const channelClocks = caseDeadlineRules.channels[input.channel];
    const collectiveDays = this.rules.collectiveComplaintWindowDays;
    const request: IntakeRequest = {
      id,
      channel: input.channel,
      channelRef: input.channelRef ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      receivedAt,
      contactPhone: input.contactPhone,
      complainantName: input.complainantName ?? null,
      complainantResidentId: input.complainantResidentId ?? null,
      description: input.description,
      employerUscc: input.employerUscc ?? null,
      employerName: input.employerName ?? null,
      projectCode: input.projectCode ?? null,
      regionCode: input.regionCode ?? null,
      sector: input.sector ?? null,
      workersAffected: input.workersAffected ?? null,
      amountClaimedFen: input.amountClaimedFen ?? null,
      violationStartedOn: period?.violationStartedOn ?? null,
      violationEndedOn: period?.violationEndedOn ?? null,
      ...(limitation
        ? {
            limitation: {
              expired: limitation.expired,
              lastDay: limitation.lastDay,
              rule: limitation.rule,
              source: limitation.source,
            },
          }
        : {}),
      sameDayContactDue,
      acceptanceDue,
      // Tracing on: the request's trace, which the outbox rows keep (one statement, no transaction to tell it to).
      ...traceOf(),
      repeatSince: new Date(receivedAt.getTime() - this.rules.repeatComplaintWindowDays * 86_400_000),
      collectiveSince: collectiveDays == null ? null : new Date(receivedAt.getTime() - collectiveDays * 86_400_000),
      channelAcceptanceDue: channelClocks?.acceptance ? addWorkingDays(receivedAt, channelClocks.acceptance.workingDays) : null,
      channelAcceptanceSource: channelClocks?.acceptance?.source ?? null,
      channelResolutionDue: channelClocks?.resolution ? addWorkingDays(receivedAt, channelClocks.resolution.workingDays) : null,
      channelResolutionSource: channelClocks?.resolution?.source ?? null,
      lifecycleWorkflowIdPrefix: caseWorkflowId(''),
      deadlinesSignal: deadlinesMovedSignal.name,
      workflowType: caseLifecycle.name,
      workflowId: caseWorkflowId(id),
      lifecycle: caseLifecycleInput({ id, status: 'RECEIVED', sameDayContactDue, acceptanceDue }),
      actorUserId: actor.userId,
      actorAgencyId: actor.agencyId,
      operation: ctx.operation ?? null,
    };
    const { intake_outcome: outcome, unknown_fields: unknown, ...caseRow } = await this.call(ctx, request);
    const c = ctx.em.getDriver().mapResult(caseRow, ctx.em.getMetadata().get(Case.name)) as CaseRecord;
    const readable = await canSeeCase(ctx.em, actor, c.id);
    if (outcome === 'CREATED') {
      ctx.log.info({ caseNumber: c.number, channel: input.channel }, 'complaint taken in');
      this.outbox.nudge();
    } else if (outcome === 'JOINED') {
      ctx.log.info({ caseNumber: c.number, channel: input.channel }, 'repeat complaint joined open case');
      this.outbox.nudge(); // a deadline it moved is signalled to the lifecycle workflow
    }
    const warnings = (unknown ?? []).map((f) => UNKNOWN_FIELD_WARNINGS[f]!);
    // Flagged at intake, not refused (zero threshold): the inspector rejects in writing, citing the rule.
    if (outcome === 'CREATED' && limitation?.expired)
      warnings.push({
        field: 'input.violationEndedOn',
        rule: 'limitation.expired',
        message: `the violation ended on ${limitation.endedOn}, more than ${violationLimitation.years} years before this complaint (its last day was ${limitation.lastDay}): ${limitation.rule} (劳动保障监察条例 第二十条)`,
      });
    return { outcome: outcome as IntakeOutcome, case: c, readable, warnings };
  }

  /** One statement, one transaction: it commits or leaves nothing. */
  private async call(ctx: ExecutionContext, request: IntakeRequest): Promise<IntakeRow> {
    try {
      const rows = await ctx.em
        .getConnection()
        .execute<IntakeRow[]>(
          'select f.intake_outcome, f.unknown_fields, (f.intake_case).* from intake_complaint(?::jsonb) f',
          [JSON.stringify(request)],
          'all',
        );
      return rows[0]!;
    } catch (err) {
      const e = err as { code?: string; detail?: string };
      if (e.code === 'ANX01') {
        throw badUserInput(
          'input.regionCode',
          'known-region-with-inspection',
          `region ${e.detail ?? '(none)'} is unknown or no labour inspection agency covers it`,
        );
      }
      throw err;
    }
  }
}

type IntakeRow = Record<string, unknown> & { intake_outcome: string; unknown_fields: string[] | null };

/** When a channel says it received the complaint: not in the future, not before the backdating limit. */
function checkReceivedAt(receivedAt: Date): void {
  const { futureToleranceSeconds, maxBackdatedDays } = intakeBounds.receivedAt;
  if (receivedAt.getTime() > Date.now() + futureToleranceSeconds * 1000)
    throw badUserInput('input.receivedAt', 'not-in-future', 'must not be in the future');
  if (receivedAt.getTime() < Date.now() - maxBackdatedDays * 86_400_000) {
    throw badUserInput('input.receivedAt', 'not-before-limit', `must be within the last ${maxBackdatedDays} days`);
  }
}

/**
 * The violation period a complaint states: real Beijing dates, not after the day of receipt, the end on or after the
 * beginning; an end without a beginning is refused (the case records a period from its start). Null when none given.
 */
function checkViolationPeriod(
  input: Pick<IntakeInput, 'violationStartedOn' | 'violationEndedOn'>,
  receivedAt: Date,
): { violationStartedOn: string; violationEndedOn: string | null } | null {
  const started = input.violationStartedOn ?? null;
  const ended = input.violationEndedOn ?? null;
  if (started === null && ended === null) return null;
  const received = beijingDate(receivedAt);
  for (const [field, v] of [
    ['input.violationStartedOn', started],
    ['input.violationEndedOn', ended],
  ] as const) {
    if (v === null) continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !DateTime.fromISO(v).isValid)
      throw badUserInput(field, 'date.valid', 'must be a date YYYY-MM-DD');
    if (v > received) throw badUserInput(field, 'not-after-receipt', 'must not be after the day the complaint was received');
  }
  if (started === null)
    throw badUserInput('input.violationStartedOn', 'required-with-end', 'give when the wages began to be owed as well as when it ended');
  if (ended !== null && ended < started)
    throw badUserInput('input.violationEndedOn', 'date.order', 'the violation ends on or after the day it began');
  return { violationStartedOn: started, violationEndedOn: ended };
}

/** `{ traceparent }` of the active span, when tracing is on and a span is active; else nothing. */
function traceOf(): { traceparent?: string } {
  const traceparent = currentTraceparent();
  return traceparent ? { traceparent } : {};
}

/** What `intake_complaint(request)` reads: the complaint as given, plus what only the service can work out. */
interface IntakeRequest {
  /** The W3C traceparent of the request (tracing on): intake_complaint records it for the outbox rows. */
  traceparent?: string;
  id: string;
  channel: Channel;
  channelRef: string | null;
  idempotencyKey: string | null;
  receivedAt: Date;
  contactPhone: string;
  complainantName: string | null;
  complainantResidentId: string | null;
  description: string;
  employerUscc: string | null;
  employerName: string | null;
  projectCode: string | null;
  regionCode: string | null;
  sector: CaseSector | null;
  workersAffected: number | null;
  amountClaimedFen: number | null;
  /** The violation period the complaint states (Beijing dates), and its two-year limit when given. */
  violationStartedOn: string | null;
  violationEndedOn: string | null;
  limitation?: { expired: boolean; lastDay: string | null; rule: string; source: string };
  /** Deadlines in working days (the holiday calendar is TypeScript's). */
  sameDayContactDue: Date;
  acceptanceDue: Date;
  /** A repeat complaint joins an open case received at or after this instant. */
  repeatSince: Date;
  /** A collective complaint (any phone) joins an open case of its project or employer received at or after this; null: never. */
  collectiveSince: Date | null;
  /** The joining channel's own clocks from this receipt, with their sources (null: the channel has none). */
  channelAcceptanceDue: Date | null;
  channelAcceptanceSource: string | null;
  channelResolutionDue: Date | null;
  channelResolutionSource: string | null;
  /** A joined case's lifecycle workflow is this prefix and the case id; it hears moved deadlines on this signal. */
  lifecycleWorkflowIdPrefix: string;
  deadlinesSignal: string;
  /** The lifecycle workflow's type and id: the database queues its start with the case. */
  workflowType: string;
  workflowId: string;
  /** The lifecycle workflow's input; the database adds the number it gives. */
  lifecycle: ReturnType<typeof caseLifecycleInput>;
  actorUserId: string;
  /** Also the scope of the idempotency key. */
  actorAgencyId: string;
  operation: string | null;
}
