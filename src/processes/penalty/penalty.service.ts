import type { ExecutionContext } from '../../core/execution-context';
import { IN_HANDLING_STATUSES } from '../../domain/case-status';
import { badUserInput } from '../../domain/errors';
import { investigatorsOf } from '../../cases/investigation.service';
import { decisionServiceDue, noticeDeadlines, penaltyRules } from '../../rules/penalty-rules';
import {
  decidePenaltyUpdate,
  recordPenaltyDeliberationUpdate,
  recordPenaltyHearingUpdate,
  recordPenaltyStatementUpdate,
  requestPenaltyHearingUpdate,
  servePenaltyDecisionUpdate,
  servePenaltyNoticeUpdate,
  type PenaltyInput,
} from '../../../workflows/penalty';
import { CaseProcess } from '../process.entity';
import type { ProcessService } from '../process.service';
import { penaltyProcess } from './penalty.definition';

type StepRef = { processId: string; idempotencyKey?: string | null };

/** What a penalty records in `case_process.facts`. */
interface PenaltyFacts {
  amountFen: number;
  provision: string;
  largeFine: boolean;
  serious: boolean;
  proposedBy: string;
}

export class PenaltyService {
  constructor(private readonly processes: ProcessService) {}

  /** 行政处罚: a caseworker of the owning agency proposes a fine for a provision breached, on a case being handled. */
  proposePenalty(
    ctx: ExecutionContext,
    input: { caseId: string; amountFen: number; provision: string; serious?: boolean | null },
  ): Promise<CaseProcess> {
    return this.processes.start(
      ctx,
      penaltyProcess,
      input.caseId,
      IN_HANDLING_STATUSES,
      async (c, em, { processId, workflowId, actor }) => {
        if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
          throw badUserInput('input.amount', 'money.positive', 'a fine is a positive amount in fen');
        if (!input.provision.trim()) throw badUserInput('input.provision', 'required', 'name the provision breached');
        const facts: PenaltyFacts = {
          amountFen: input.amountFen,
          provision: input.provision.trim(),
          largeFine: input.amountFen >= penaltyRules.largeFine.amountFen,
          serious: input.serious === true || input.amountFen >= penaltyRules.serious.amountFen,
          proposedBy: actor.userId,
        };
        em.create(CaseProcess, {
          id: processId,
          case: c.id,
          kind: penaltyProcess.kind,
          workflowId,
          status: 'REQUESTED',
          startedBy: actor.userId,
          waitingOn: 'HRSS',
          facts: facts as never,
        });
        await em.flush();
        const wfInput: PenaltyInput = { caseId: c.id, caseNumber: c.number, processId, hrssAgencyId: c.owningAgency, ...facts };
        return { type: 'PENALTY_PROPOSED', payload: { processId, amountFen: facts.amountFen, provision: facts.provision }, input: wfInput };
      },
    );
  }

  /** 告知: the notice is served now; the statement period and (for a large fine) the hearing window run from today. */
  async serveNotice(ctx: ExecutionContext, input: StepRef & { noticeRef: string }): Promise<CaseProcess> {
    const p = await this.processes.byId(ctx, input.processId);
    const due = noticeDeadlines(ctx.clock.now(), (p.facts as Partial<PenaltyFacts>).largeFine === true);
    return this.processes.step(ctx, {
      processId: input.processId,
      update: servePenaltyNoticeUpdate,
      args: {
        noticeRef: input.noticeRef,
        statementDue: due.statementDue.toISOString(),
        hearingRequestDue: due.hearingRequestDue?.toISOString() ?? null,
      },
      idempotencyKey: input.idempotencyKey,
    });
  }

  recordStatement(ctx: ExecutionContext, input: StepRef & { summary: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: recordPenaltyStatementUpdate,
      args: { summary: input.summary },
      idempotencyKey: input.idempotencyKey,
    });
  }

  requestHearing(ctx: ExecutionContext, input: StepRef & { requestedBy: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: requestPenaltyHearingUpdate,
      args: { requestedBy: input.requestedBy },
      idempotencyKey: input.idempotencyKey,
    });
  }

  recordHearing(ctx: ExecutionContext, input: StepRef & { heldAt: string; summary: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: recordPenaltyHearingUpdate,
      args: { heldAt: input.heldAt, summary: input.summary },
      idempotencyKey: input.idempotencyKey,
    });
  }

  recordDeliberation(
    ctx: ExecutionContext,
    input: StepRef & { heldAt: string; participants: string[]; conclusion: string },
  ): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: recordPenaltyDeliberationUpdate,
      args: { heldAt: input.heldAt, participants: input.participants, conclusion: input.conclusion },
      idempotencyKey: input.idempotencyKey,
    });
  }

  /**
   * The decision: the API names who investigated the case (its lead and team, from the record) so the workflow's
   * validator can refuse them (查处分离), and works out the 7-working-day service deadline.
   */
  async decide(
    ctx: ExecutionContext,
    input: StepRef & { decision: 'IMPOSE' | 'NO_PENALTY'; amountFen?: number | null; decisionRef: string },
  ): Promise<CaseProcess> {
    const p = await this.processes.byId(ctx, input.processId);
    const investigators = await investigatorsOf(ctx.em, p.case);
    if (input.decision === 'IMPOSE' && input.amountFen == null)
      throw badUserInput('input.amount', 'required', 'a fine imposed states its amount');
    return this.processes.step(ctx, {
      processId: input.processId,
      update: decidePenaltyUpdate,
      args: {
        decision: input.decision,
        amountFen: input.amountFen ?? 0,
        decisionRef: input.decisionRef,
        serviceDue: decisionServiceDue(ctx.clock.now()).toISOString(),
        investigators,
      },
      idempotencyKey: input.idempotencyKey,
    });
  }

  serveDecision(ctx: ExecutionContext, input: StepRef & { method: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: servePenaltyDecisionUpdate,
      args: { method: input.method },
      idempotencyKey: input.idempotencyKey,
    });
  }
}
