import { Agency } from '../../agencies/agency.entity';
import type { ExecutionContext } from '../../core/execution-context';
import { badUserInput } from '../../domain/errors';
import { calendarPeriodEnd } from '../../domain/calendar-periods';
import { mediationRules } from '../../rules/process-rules';
import {
  confirmAttendanceUpdate,
  recordAgreementUpdate,
  recordInstalmentPaidUpdate,
  recordSessionUpdate,
  type JointMediationInput,
} from '../../../workflows/joint-mediation';
import { CaseProcess, ProcessParty } from '../process.entity';
import type { ProcessService } from '../process.service';
import { IN_HANDLING_STATUSES } from '../../domain/case-status';
import { jointMediationProcess } from './mediation.definition';

type StepRef = { processId: string; idempotencyKey?: string | null };

export class MediationService {
  constructor(private readonly processes: ProcessService) {}

  /** 联合调处: the parties (named; confirmed by HRSS on their word) and the agencies (confirming for themselves). */
  conveneMediation(
    ctx: ExecutionContext,
    input: { caseId: string; parties: Array<{ role: string; name: string }>; agencyIds: string[] },
  ): Promise<CaseProcess> {
    return this.processes.start(
      ctx,
      jointMediationProcess,
      input.caseId,
      IN_HANDLING_STATUSES,
      async (c, em, { processId, workflowId, actor }) => {
        if (input.parties.length === 0) throw badUserInput('input.parties', 'required', 'a mediation needs the parties to the dispute');
        input.parties.forEach((p, i) => {
          if (!p.name.trim()) throw badUserInput(`input.parties.${i}.name`, 'required', 'name the party');
        });
        const agencies = await em.find(Agency, { id: { $in: [...new Set(input.agencyIds)] } });
        const unknown = input.agencyIds.find((id) => !agencies.some((a) => a.id === id));
        if (unknown) throw badUserInput('input.agencyIds', 'agency.exists', `agency ${unknown} is not on record`);
        // 15 calendar days counted as 民法典 arts. 201–203 count them: the workflow waits this instant.
        const agreementDue = calendarPeriodEnd(ctx.clock.now(), mediationRules.agreementWindow.days);
        em.create(CaseProcess, {
          id: processId,
          case: c.id,
          kind: jointMediationProcess.kind,
          workflowId,
          status: 'REQUESTED',
          startedBy: actor.userId,
          dueAt: agreementDue,
          waitingOn: 'PARTIES',
        });
        const invitees = [
          ...input.parties.map((p) => em.create(ProcessParty, { process: processId, role: p.role, name: p.name, status: 'INVITED' })),
          ...agencies.map((a) =>
            em.create(ProcessParty, { process: processId, role: a.kind, agency: a.id, name: a.name, status: 'INVITED' }),
          ),
        ];
        await em.flush();
        const wfInput: JointMediationInput = {
          caseId: c.id,
          caseNumber: c.number,
          processId,
          hrssAgencyId: c.owningAgency,
          invitees: invitees.map((i) => ({ partyId: i.id, role: i.role, name: i.name, ...(i.agency ? { agencyId: i.agency } : {}) })),
          agreementWindow: mediationRules.agreementWindow.duration,
          agreementDueAt: agreementDue.toISOString(),
        };
        return { type: 'MEDIATION_CONVENED', payload: { processId, invitees: wfInput.invitees.length }, input: wfInput };
      },
    );
  }

  confirmAttendance(ctx: ExecutionContext, input: StepRef & { partyId: string }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: confirmAttendanceUpdate,
      args: { partyId: input.partyId },
      idempotencyKey: input.idempotencyKey,
    });
  }

  recordSession(
    ctx: ExecutionContext,
    input: StepRef & { heldAt: string; summary: string; attendeePartyIds: string[] },
  ): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: recordSessionUpdate,
      args: { heldAt: input.heldAt, summary: input.summary, attendeePartyIds: input.attendeePartyIds },
      idempotencyKey: input.idempotencyKey,
    });
  }

  recordAgreement(
    ctx: ExecutionContext,
    input: StepRef & { instalments: Array<{ dueOn: string; amountFen: number }> },
  ): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: recordAgreementUpdate,
      args: { instalments: input.instalments },
      idempotencyKey: input.idempotencyKey,
    });
  }

  recordInstalmentPaid(
    ctx: ExecutionContext,
    input: StepRef & {
      seq: number;
      paidOn: string;
      payer: string;
      workersPaid: number;
      /** 工资发放到人: the instalment's parts per worker of the case's roster. */
      allocations?: Array<{ owedWorkerId: string; amountFen: number }>;
    },
  ): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: recordInstalmentPaidUpdate,
      args: {
        seq: input.seq,
        paidOn: input.paidOn,
        payer: input.payer,
        workersPaid: input.workersPaid,
        ...(input.allocations && input.allocations.length > 0 ? { allocations: input.allocations } : {}),
      },
      idempotencyKey: input.idempotencyKey,
    });
  }
}
