import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../api/context';
import { badUserInput } from '../api/errors';
import type { Channel } from '../rules/case-deadlines';
import { Case, type CaseSector } from './case.entity';
import type { CaseRecord } from './case.types';
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
  case: CaseRecord;
}

/**
 * Zero-threshold intake (零门槛): a way to reach the complainant and a description are enough.
 * Idempotent on the idempotency key and on channel + channel reference; a repeat complaint (same phone, same
 * employer or project, within the configured window) joins the open case instead of opening another.
 *
 * The service checks who may take it in and works out what needs the holiday calendar (the deadlines); the rest
 * is one call to the database function `intake_complaint` (migration intake_in_one_statement), one transaction:
 * it serialises identical requests on their keys, answers replays, joins or opens the case, numbers it, writes
 * its first file entry and queues its lifecycle workflow.
 */
export class IntakeService {
  async intake(ctx: RequestContext, input: IntakeInput): Promise<IntakeResult> {
    await authorizeIntake(ctx, input.channel);
    const receivedAt = input.receivedAt ?? new Date();
    if (receivedAt.getTime() > Date.now() + 60_000) throw badUserInput('input.receivedAt', 'not-in-future', 'must not be in the future');

    const id = randomUUID();
    const sameDayContactDue = sameDayContactDeadline(receivedAt);
    const acceptanceDue = acceptanceDeadline(receivedAt, input.channel);
    const request = {
      ...input,
      receivedAt,
      id,
      sameDayContactDue,
      acceptanceDue,
      repeatSince: new Date(receivedAt.getTime() - ctx.config.cases.repeatComplaintWindowDays * 86_400_000),
      workflowId: caseWorkflowId(id),
      // The number is added by the database, which gives it.
      lifecycle: caseLifecycleInput({ id, status: 'RECEIVED', sameDayContactDue, acceptanceDue }),
      actorUserId: ctx.actor?.userId,
      actorAgencyId: ctx.actor?.agencyId,
      operation: ctx.operation,
    };
    let row: Record<string, unknown>;
    try {
      [row] = (await ctx.em.getConnection().execute<Array<Record<string, unknown>>>(
        'select f.intake_outcome, (f.intake_case).* from intake_complaint(?::jsonb) f',
        [JSON.stringify(request)],
        'all',
      )) as [Record<string, unknown>];
    } catch (err) {
      if ((err as { code?: string }).code === 'ANX01') {
        throw badUserInput('input.regionCode', 'known-region-with-inspection', `region ${input.regionCode ?? '(none)'} is unknown or no labour inspection agency covers it`);
      }
      throw err;
    }
    const { intake_outcome: outcome, ...caseRow } = row;
    const c = ctx.em.getDriver().mapResult(caseRow, ctx.em.getMetadata().get(Case.name)) as CaseRecord;
    if (outcome === 'CREATED') {
      ctx.log.info({ caseNumber: c.number, channel: input.channel }, 'complaint taken in');
      ctx.services.outboxNudge();
    } else if (outcome === 'JOINED') {
      ctx.log.info({ caseNumber: c.number, channel: input.channel }, 'repeat complaint joined open case');
    }
    return { outcome: outcome as IntakeOutcome, case: c };
  }
}
