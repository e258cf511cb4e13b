import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency, User } from '../../agencies/agency.entity';
import type { ExecutionContext } from '../../core/execution-context';
import { badUserInput, conflict } from '../../domain/errors';
import { beijingDate } from '../../domain/working-days';
import { calendarPeriodEnd } from '../../domain/calendar-periods';
import { policeReferralRules } from '../../rules/process-rules';
import {
  approveReferralUpdate,
  decideReconsiderationUpdate,
  decideReferralUpdate,
  recordCriminalOutcomeUpdate,
  requestReconsiderationUpdate,
  requestSupervisionUpdate,
  sendReferralUpdate,
  type PoliceReferralInput,
} from '../../../workflows/police-referral';
import { CaseProcess, ProcessParty } from '../process.entity';
import type { ProcessService } from '../process.service';
import { IN_HANDLING_STATUSES } from '../../domain/case-status';
import { policeReferralProcess } from './referral.definition';
import { crimeThresholdMet } from '../../cases/crime-threshold';
import { outstandingByWorker } from '../../cases/owed-worker.service';
import { orderToPayProcess } from '../order-to-pay/order-to-pay.definition';

type StepRef = { processId: string; idempotencyKey?: string | null };

/** The end of a calendar-day period that a step taken now starts, as the instant the workflow waits for. */
function dueAfter(ctx: ExecutionContext, days: number): string {
  return calendarPeriodEnd(ctx.clock.now(), days).toISOString();
}

export class ReferralService {
  constructor(private readonly processes: ProcessService) {}

  /**
   * 移送: only when an order to pay was ignored and the arrears meet the crime threshold. The order is the case's
   * missed order to pay in Anxin (its dates need not be typed), or one issued outside Anxin whose dates are stated;
   * while the case's order to pay is still running, no referral.
   */
  proposePoliceReferral(
    ctx: ExecutionContext,
    input: {
      caseId: string;
      team: string[];
      policeAgencyId: string;
      orderToPayIssuedOn?: string | null;
      orderToPayDueOn?: string | null;
      grounds: string;
    },
  ): Promise<CaseProcess> {
    const rules = policeReferralRules;
    return this.processes.start(
      ctx,
      policeReferralProcess,
      input.caseId,
      IN_HANDLING_STATUSES,
      async (c, em, { processId, workflowId, actor }) => {
        const team = [...new Set(input.team)];
        if (team.length < rules.minimumTeam)
          throw badUserInput('input.team', 'team.size', `a referral is written by a team of at least ${rules.minimumTeam} inspectors`);
        const members = await em.find(User, { id: { $in: team } });
        const outsider = team.find(
          (id) => !members.some((m) => m.id === id && m.agency === c.owningAgency && m.roles.includes('INSPECTOR')),
        );
        if (outsider)
          throw badUserInput(
            'input.team',
            'team.inspectors',
            `team member ${outsider} is not an inspector of the agency that owns the case`,
          );
        const police = await em.findOne(Agency, { id: input.policeAgencyId });
        if (!police || police.kind !== 'POLICE')
          throw badUserInput('input.policeAgencyId', 'agency.police', 'the referral goes to a police agency');
        const order = await this.orderToPayOf(em, c.id, input, beijingDate(ctx.clock.now()));
        const outstanding = (c.amountClaimedFen ?? 0) - c.amountRecoveredFen;
        // Worker by worker when the case has a roster of owed workers; without one, only the many-workers condition.
        const threshold = crimeThresholdMet(rules.crimeThreshold, {
          roster: await outstandingByWorker(em, c.id),
          workersAffected: c.workersAffected ?? null,
          outstandingFen: outstanding,
        });
        if (!threshold.met) {
          throw badUserInput(
            'input.caseId',
            'crime-threshold',
            `below the crime threshold: ${threshold.why} (${rules.crimeThreshold.source})`,
          );
        }
        if (!input.grounds.trim()) throw badUserInput('input.grounds', 'required', 'state the grounds of the referral');
        em.create(CaseProcess, {
          id: processId,
          case: c.id,
          kind: policeReferralProcess.kind,
          workflowId,
          status: 'PROPOSED',
          startedBy: actor.userId,
          facts: { team, policeAgencyId: police.id, grounds: input.grounds, ...order } as CaseProcess['facts'],
        });
        em.create(ProcessParty, { process: processId, role: 'POLICE', agency: police.id, name: police.name, status: 'INVITED' });
        await em.flush();
        const wfInput: PoliceReferralInput = {
          caseId: c.id,
          caseNumber: c.number,
          processId,
          hrssAgencyId: c.owningAgency,
          policeAgencyId: police.id,
          team,
          clocks: {
            approval: rules.approval.duration,
            send: rules.send.duration,
            policeDecision: rules.policeDecision.duration,
            reconsiderationRequest: rules.reconsiderationRequest.duration,
            reconsiderationDecision: rules.reconsiderationDecision.duration,
            approvalDueAt: calendarPeriodEnd(ctx.clock.now(), rules.approval.days).toISOString(),
          },
        };
        return {
          type: 'REFERRAL_PROPOSED',
          payload: { processId, team, policeAgencyId: police.id, outstandingFen: outstanding },
          input: wfInput,
        };
      },
    );
  }

  /**
   * The order to pay a referral rests on: the case's missed order to pay (ORDER_TO_PAY_PROCESS), else the dates
   * stated for an order issued outside Anxin (STATED). An order of the case still running refuses the referral.
   */
  private async orderToPayOf(
    em: EntityManager,
    caseId: string,
    input: { orderToPayIssuedOn?: string | null; orderToPayDueOn?: string | null },
    today: string,
  ): Promise<Record<string, unknown>> {
    const orders = await em.find(CaseProcess, { case: caseId, kind: orderToPayProcess.kind }, { orderBy: { startedAt: 'desc' } });
    const facts = (p: CaseProcess) => p.facts as { issuedOn?: string; dueOn?: string; totalFen?: number; missedAt?: string };
    const running = orders.find((p) => !p.endedAt && !facts(p).missedAt);
    if (running)
      throw conflict(`the case’s order to pay is still running (due ${facts(running).dueOn}): a referral waits until it is missed`, {
        field: 'input.caseId',
        rule: 'order-to-pay.running',
        processId: running.id,
      });
    const missed = orders.find((p) => facts(p).missedAt);
    if (missed) {
      const f = facts(missed);
      return {
        orderSource: 'ORDER_TO_PAY_PROCESS',
        orderToPayProcessId: missed.id,
        orderToPayIssuedOn: f.issuedOn,
        orderToPayDueOn: f.dueOn,
        orderToPayAmountFen: f.totalFen,
        orderToPayMissedAt: f.missedAt,
      };
    }
    const issuedOn = input.orderToPayIssuedOn;
    const dueOn = input.orderToPayDueOn;
    if (!issuedOn)
      throw badUserInput('input.orderToPayIssuedOn', 'required', 'the case has no missed order to pay: state when the order was issued');
    if (!dueOn) throw badUserInput('input.orderToPayDueOn', 'required', 'the case has no missed order to pay: state the order’s deadline');
    if (dueOn < issuedOn) throw badUserInput('input.orderToPayDueOn', 'date.order', 'the order’s deadline comes after its issue');
    if (dueOn >= today)
      throw badUserInput(
        'input.orderToPayDueOn',
        'order-to-pay.ignored',
        'a referral needs an order to pay whose deadline has passed unpaid',
      );
    return { orderSource: 'STATED', orderToPayIssuedOn: issuedOn, orderToPayDueOn: dueOn };
  }

  approve(ctx: ExecutionContext, input: StepRef & { approve: boolean; note?: string | null }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: approveReferralUpdate,
      args: { approve: input.approve, note: input.note ?? undefined },
      idempotencyKey: input.idempotencyKey,
    });
  }

  send(ctx: ExecutionContext, input: StepRef): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: sendReferralUpdate,
      // The police's 3 calendar days start with the sending (民法典 arts. 201–203 count them; the workflow waits the instant).
      args: { policeDecisionDueAt: dueAfter(ctx, policeReferralRules.policeDecision.days) },
      idempotencyKey: input.idempotencyKey,
    });
  }

  decide(ctx: ExecutionContext, input: StepRef & { decision: 'FILED' | 'DECLINED'; reasons?: string | null }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: decideReferralUpdate,
      args: {
        decision: input.decision,
        reasons: input.reasons ?? undefined,
        ...(input.decision === 'DECLINED'
          ? { reconsiderationRequestDueAt: dueAfter(ctx, policeReferralRules.reconsiderationRequest.days) }
          : {}),
      },
      idempotencyKey: input.idempotencyKey,
    });
  }

  requestReconsideration(ctx: ExecutionContext, input: StepRef & { grounds: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: requestReconsiderationUpdate,
      args: { grounds: input.grounds, reconsiderationDecisionDueAt: dueAfter(ctx, policeReferralRules.reconsiderationDecision.days) },
      idempotencyKey: input.idempotencyKey,
    });
  }

  decideReconsideration(
    ctx: ExecutionContext,
    input: StepRef & { decision: 'FILED' | 'UPHELD'; reasons?: string | null },
  ): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: decideReconsiderationUpdate,
      args: { decision: input.decision, reasons: input.reasons ?? undefined },
      idempotencyKey: input.idempotencyKey,
    });
  }

  requestSupervision(ctx: ExecutionContext, input: StepRef & { procuratorateAgencyId: string; grounds: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: requestSupervisionUpdate,
      args: { procuratorateAgencyId: input.procuratorateAgencyId, grounds: input.grounds },
      idempotencyKey: input.idempotencyKey,
    });
  }

  recordCriminalOutcome(ctx: ExecutionContext, input: StepRef & { outcome: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: recordCriminalOutcomeUpdate,
      args: { outcome: input.outcome },
      idempotencyKey: input.idempotencyKey,
    });
  }
}
