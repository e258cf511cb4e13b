import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExecutionContext, OutboxNotifier } from '../../core/execution-context';
import { conflict, DomainError, ErrorCode, forbidden } from '../../domain/errors';
import type { Case } from '../../cases/case.entity';
import type { CaseService } from '../../cases/case.service';
import { CLOSING_APPROVERS, CLOSING_SUBMITTERS, hasRole, ownsCase } from '../../policy/roles';
import { callbackRules, PROCESSES_OUTLIVING_CASE } from '../../rules/closure-callback';
import { scheduleCallback } from '../callback/callback.service';

/**
 * 结案: a closing report (what was found, what was recovered, the outcome) written by a caseworker of the owning
 * agency, approved by a supervisor or director of that agency who did not write it. Allowed from RESOLVED only:
 * a rejected case was never filed (不予受理) and a transferred one is another body's, so neither has anything to
 * close here, and both are final already. Refused while a process on the case is open, except a referral the
 * police hold (it outlives the case by law). On approval the case is CLOSED with `closedAt`, the complainant is
 * told (a NOTICE entry), and the callback (回访) is scheduled if the case is in the city's sample.
 *
 * Case steps rather than a process of its own: the case's lifecycle workflow has ended when the case resolved, so
 * there is no parent to run a closing workflow, and closing has no clock to hold.
 */
export class ClosureService {
  constructor(
    private readonly cases: CaseService,
    private readonly outbox: OutboxNotifier,
    /** The city's callback sample rate, 0–1 (configuration `CALLBACK_SAMPLE_RATE`). */
    readonly callbackSampleRate: number = callbackRules.samplingRate.rate,
  ) {}

  submitClosingReport(
    ctx: ExecutionContext,
    input: { caseId: string; expectedVersion?: number | null; findings: string; recovery: string; outcome: string },
  ): Promise<Case> {
    return this.cases.changeCase(ctx, input, ['RESOLVED'], async (c, em) => {
      const actor = ctx.actor!;
      if (!hasRole(actor, CLOSING_SUBMITTERS)) throw forbidden(`a closing report is written by ${CLOSING_SUBMITTERS.join(' or ')}`);
      if (!ownsCase(actor, c)) throw forbidden(`case ${c.number} belongs to another inspection agency`);
      await refuseWhileProcessOpen(em, c);
      return {
        type: 'CLOSING_REPORT_SUBMITTED',
        payload: {
          findings: input.findings,
          recovery: input.recovery,
          outcome: input.outcome,
          amountRecoveredFen: c.amountRecoveredFen,
          submittedBy: actor.userId,
        },
      };
    });
  }

  async approveClosing(
    ctx: ExecutionContext,
    input: { caseId: string; expectedVersion?: number | null; note?: string | null },
  ): Promise<Case> {
    let scheduled = false;
    const c = await this.cases.changeCase(ctx, input, ['RESOLVED'], async (c, em) => {
      const actor = ctx.actor!;
      if (!hasRole(actor, CLOSING_APPROVERS)) throw forbidden(`closing is approved by ${CLOSING_APPROVERS.join(' or ')}`);
      if (!ownsCase(actor, c)) throw forbidden(`case ${c.number} belongs to another inspection agency`);
      const report = await latestReport(em, c.id);
      if (!report)
        throw conflict(`case ${c.number} has no closing report to approve`, { field: 'input.caseId', rule: 'closure.report-required' });
      if (report.actorUserId === actor.userId)
        throw new DomainError('the closing report is approved by someone other than its author', ErrorCode.Forbidden, {
          field: 'input.caseId',
          rule: 'closure.approver-not-author',
        });
      await refuseWhileProcessOpen(em, c);
      const callback = await scheduleCallback(ctx, em, c, actor.userId, this.callbackSampleRate); // its row is flushed before the case changes
      scheduled = !!callback;
      c.status = 'CLOSED';
      c.closedAt = ctx.clock.now();
      return {
        type: 'CLOSED',
        payload: {
          reportSeq: report.seq,
          submittedBy: report.actorUserId,
          note: input.note ?? null,
          callbackProcessId: callback?.processId ?? null,
          callbackDue: callback?.callbackDue.toISOString() ?? null,
        },
        notice: 'CLOSED',
      };
    });
    if (scheduled) this.outbox.nudge();
    return c;
  }
}

async function latestReport(em: EntityManager, caseId: string): Promise<{ seq: number; actorUserId: string | null } | undefined> {
  const rows = await em.getConnection().execute<Array<{ seq: number; actor_user_id: string | null }>>(
    // The one reading of "the latest report" (migrations/sql/140_case_latest_closing_report.sql).
    `select seq, actor_user_id from case_latest_closing_report(?)`,
    [caseId],
    'all',
    em.getTransactionContext(),
  );
  const row = rows[0];
  return row ? { seq: Number(row.seq), actorUserId: row.actor_user_id } : undefined;
}

/** CONFLICT while a process on the case is open, unless it is one that outlives the case (a referral the police hold). */
async function refuseWhileProcessOpen(em: EntityManager, c: Case): Promise<void> {
  const open = await em
    .getConnection()
    .execute<Array<{ id: string; kind: string; status: string }>>(
      `select id, kind, status from case_process where case_id = ? and ended_at is null order by started_at`,
      [c.id],
      'all',
      em.getTransactionContext(),
    );
  const blocking = open.find((p) => !(PROCESSES_OUTLIVING_CASE[p.kind] ?? []).includes(p.status));
  if (blocking)
    throw conflict(`case ${c.number} has a ${blocking.kind} process still open (${blocking.status}): close it before closing the case`, {
      field: 'input.caseId',
      rule: 'closure.process-open',
      processId: blocking.id,
      kind: blocking.kind,
    });
}
