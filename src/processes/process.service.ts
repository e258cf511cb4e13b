import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { RequestContext } from '../api/context';
import { badUserInput, conflict, DomainError, ErrorCode, forbidden, notFound, processStarting, unauthenticated } from '../domain/errors';
import { Agency, User } from '../agencies/agency.entity';
import { caseWorkflowId } from '../cases/case-workflow';
import type { Case, CaseStatus } from '../cases/case.entity';
import { extendedResolutionDeadline } from '../cases/deadlines';
import { Project } from '../projects/project.entity';
import { dispatchRules, mediationRules, policeReferralRules } from '../rules/process-rules';
import { dispatchDeadlines } from './dispatch-deadlines';
import type { DispatchRecipient, DispatchRole, JointMediationInput, PoliceReferralInput, ThreeWayDispatchInput } from '../../workflows';
import { CaseProcess, ProcessParty, type ProcessKind } from './process.entity';
import { canSeeCase, CASEWORKERS, seesProcess, signedIn } from '../auth/policy';
import type { StepActor } from './process-step';

const OPEN: readonly CaseStatus[] = ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS'];
const IN_HANDLING: readonly CaseStatus[] = ['ACCEPTED', 'IN_PROGRESS'];

/** Error codes of steps refused by a workflow's validator, passed to the caller as they are. */
const STEP_CODES = new Set<string>([ErrorCode.Forbidden, ErrorCode.Conflict, ErrorCode.BadUserInput, ErrorCode.NotFound]);

export function processWorkflowId(kind: ProcessKind, processId: string): string {
  return `${kind === 'DISPATCH' ? 'dispatch' : kind === 'POLICE_REFERRAL' ? 'referral' : 'mediation'}-${processId}`;
}

/**
 * Starts the cross-agency processes and passes their steps to their workflows. A start is a database change
 * (the process, its parties, a case-file entry) plus an outbox signal to the case's lifecycle, which starts the
 * process as its child: one transaction, nothing lost if the API dies after the commit. A step is a Workflow
 * Update: the workflow's validator answers yes or no at once, and the step is written once even if the caller
 * retries with the same idempotency key.
 */
export class ProcessService {
  constructor(private readonly workflows: Client) {}

  /** A process the caller may see (its case visible, and the caller HRSS or a party to it), else NOT_FOUND. */
  async byId(ctx: RequestContext, id: string): Promise<CaseProcess> {
    signedIn(ctx);
    const p = await ctx.em.findOne(CaseProcess, { id });
    if (!p || !(await canSeeCase(ctx.em, ctx.actor, p.case))) throw notFound('process', id);
    const parties = await ctx.em.find(ProcessParty, { process: p.id });
    if (!seesProcess(ctx.actor, p, parties.map((x) => x.agency))) throw notFound('process', id);
    return p;
  }

  /** 三交办: to the district government, the project's regulator and the general contractor's HQ, at once. */
  async dispatchCase(ctx: RequestContext, input: { caseId: string }): Promise<CaseProcess> {
    const actor = this.caseworker(ctx);
    const processId = randomUUID();
    await ctx.services.cases.changeCase(ctx, { caseId: input.caseId }, OPEN, async (c, em) => {
      this.ownedBy(c, actor);
      await this.noOpenProcess(ctx, c, 'DISPATCH');
      if (!c.project) throw badUserInput('input.caseId', 'case.project-known', 'a three-way dispatch needs the case’s project (its regulator and general contractor)');
      const project = await em.findOneOrFail(Project, { id: c.project });
      const recipients: Array<{ role: DispatchRole; agency: Agency | null; rule: string }> = [
        { role: 'DISTRICT_GOVERNMENT', agency: await this.districtGovernment(ctx, c.region), rule: 'recipient.district-government' },
        { role: 'INDUSTRY_REGULATOR', agency: project.regulator ? await em.findOne(Agency, { id: project.regulator }) : null, rule: 'recipient.industry-regulator' },
        { role: 'CONTRACTOR_HQ', agency: project.generalContractor ? await em.findOne(Agency, { kind: 'CONTRACTOR_HQ', employerId: project.generalContractor }) : null, rule: 'recipient.contractor-hq' },
      ];
      const missing = recipients.find((r) => !r.agency);
      if (missing) throw badUserInput('input.caseId', missing.rule, `no ${missing.role.toLowerCase().replace(/_/g, ' ')} account is on record for this case’s ${missing.role === 'DISTRICT_GOVERNMENT' ? 'district' : 'project'}`);

      const { acknowledgeDue, reportDue, ladder } = dispatchDeadlines(new Date());
      const workflowId = processWorkflowId('DISPATCH', processId);
      em.create(CaseProcess, { id: processId, case: c.id, kind: 'DISPATCH', workflowId, status: 'REQUESTED', startedBy: actor.userId, dueAt: acknowledgeDue, waitingOn: 'RECIPIENTS' });
      const parties: DispatchRecipient[] = recipients.map(({ role, agency }) => {
        const party = em.create(ProcessParty, { process: processId, role, agency: agency!.id, name: agency!.name, status: 'SENT', acknowledgeDue, reportDue });
        return {
          partyId: party.id,
          role,
          agencyId: agency!.id,
          name: agency!.name,
          acknowledgeDue: acknowledgeDue.toISOString(),
          reportDue: reportDue.toISOString(),
          ladder: ladder.map((r) => ({ level: r.level, acknowledgeAt: r.acknowledgeAt.toISOString(), reportAt: r.reportAt.toISOString() })),
        };
      });
      await em.flush();
      const wfInput: ThreeWayDispatchInput = { caseId: c.id, caseNumber: c.number, processId, recipients: parties };
      return {
        type: 'DISPATCH_REQUESTED',
        payload: { processId, recipients: parties.map((p) => ({ role: p.role, agencyId: p.agencyId })), rules: [dispatchRules.acknowledge.source, dispatchRules.firstReport.source] },
        startProcess: { workflowType: 'threeWayDispatch', workflowId, input: wfInput },
      };
    });
    return this.byId(ctx, processId);
  }

  /** 移送: only when an order to pay was ignored and the arrears meet the crime threshold. */
  async proposePoliceReferral(
    ctx: RequestContext,
    input: { caseId: string; team: string[]; policeAgencyId: string; orderToPayIssuedOn: string; orderToPayDueOn: string; grounds: string },
  ): Promise<CaseProcess> {
    const actor = this.caseworker(ctx);
    const processId = randomUUID();
    const rules = policeReferralRules;
    await ctx.services.cases.changeCase(ctx, { caseId: input.caseId }, IN_HANDLING, async (c, em) => {
      this.ownedBy(c, actor);
      await this.noOpenProcess(ctx, c, 'POLICE_REFERRAL');
      const team = [...new Set(input.team)];
      if (team.length < rules.minimumTeam) throw badUserInput('input.team', 'team.size', `a referral is written by a team of at least ${rules.minimumTeam} inspectors`);
      const members = await em.find(User, { id: { $in: team } });
      const outsider = team.find((id) => !members.some((m) => m.id === id && m.agency === c.owningAgency && m.roles.includes('INSPECTOR')));
      if (outsider) throw badUserInput('input.team', 'team.inspectors', `team member ${outsider} is not an inspector of the agency that owns the case`);
      const police = await em.findOne(Agency, { id: input.policeAgencyId });
      if (!police || police.kind !== 'POLICE') throw badUserInput('input.policeAgencyId', 'agency.police', 'the referral goes to a police agency');
      if (input.orderToPayDueOn < input.orderToPayIssuedOn) throw badUserInput('input.orderToPayDueOn', 'date.order', 'the order’s deadline comes after its issue');
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      if (input.orderToPayDueOn >= today) throw badUserInput('input.orderToPayDueOn', 'order-to-pay.ignored', 'a referral needs an order to pay whose deadline has passed unpaid');
      const outstanding = (c.amountClaimedFen ?? 0) - c.amountRecoveredFen;
      const t = rules.crimeThreshold;
      const meetsThreshold = outstanding >= t.amountFen || ((c.workersAffected ?? 0) >= t.workers && outstanding >= t.manyWorkersAmountFen);
      if (!meetsThreshold) {
        throw badUserInput('input.caseId', 'crime-threshold', `the arrears (${outstanding} fen, ${c.workersAffected ?? 0} workers) are below the crime threshold: ${rules.crimeThreshold.source}`);
      }
      if (!input.grounds.trim()) throw badUserInput('input.grounds', 'required', 'state the grounds of the referral');
      const workflowId = processWorkflowId('POLICE_REFERRAL', processId);
      em.create(CaseProcess, {
        id: processId,
        case: c.id,
        kind: 'POLICE_REFERRAL',
        workflowId,
        status: 'PROPOSED',
        startedBy: actor.userId,
        facts: { team, policeAgencyId: police.id, grounds: input.grounds, orderToPayIssuedOn: input.orderToPayIssuedOn, orderToPayDueOn: input.orderToPayDueOn },
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
        clocks: { approval: rules.approval.duration, send: rules.send.duration, policeDecision: rules.policeDecision.duration, reconsiderationRequest: rules.reconsiderationRequest.duration, reconsiderationDecision: rules.reconsiderationDecision.duration },
      };
      return { type: 'REFERRAL_PROPOSED', payload: { processId, team, policeAgencyId: police.id, outstandingFen: outstanding }, startProcess: { workflowType: 'policeReferral', workflowId, input: wfInput } };
    });
    return this.byId(ctx, processId);
  }

  /** 联合调处: the parties (named; confirmed by HRSS on their word) and the agencies (confirming for themselves). */
  async conveneMediation(ctx: RequestContext, input: { caseId: string; parties: Array<{ role: string; name: string }>; agencyIds: string[] }): Promise<CaseProcess> {
    const actor = this.caseworker(ctx);
    const processId = randomUUID();
    await ctx.services.cases.changeCase(ctx, { caseId: input.caseId }, IN_HANDLING, async (c, em) => {
      this.ownedBy(c, actor);
      await this.noOpenProcess(ctx, c, 'MEDIATION');
      if (input.parties.length === 0) throw badUserInput('input.parties', 'required', 'a mediation needs the parties to the dispute');
      input.parties.forEach((p, i) => {
        if (!p.name.trim()) throw badUserInput(`input.parties.${i}.name`, 'required', 'name the party');
      });
      const agencies = await em.find(Agency, { id: { $in: [...new Set(input.agencyIds)] } });
      const unknown = input.agencyIds.find((id) => !agencies.some((a) => a.id === id));
      if (unknown) throw badUserInput('input.agencyIds', 'agency.exists', `agency ${unknown} is not on record`);
      const workflowId = processWorkflowId('MEDIATION', processId);
      const agreementDue = new Date(Date.now() + msToNumber(mediationRules.agreementWindow.duration));
      em.create(CaseProcess, { id: processId, case: c.id, kind: 'MEDIATION', workflowId, status: 'REQUESTED', startedBy: actor.userId, dueAt: agreementDue, waitingOn: 'PARTIES' });
      const invitees = [
        ...input.parties.map((p) => em.create(ProcessParty, { process: processId, role: p.role, name: p.name, status: 'INVITED' })),
        ...agencies.map((a) => em.create(ProcessParty, { process: processId, role: a.kind, agency: a.id, name: a.name, status: 'INVITED' })),
      ];
      await em.flush();
      const wfInput: JointMediationInput = {
        caseId: c.id,
        caseNumber: c.number,
        processId,
        hrssAgencyId: c.owningAgency,
        invitees: invitees.map((i) => ({ partyId: i.id, role: i.role, name: i.name, ...(i.agency ? { agencyId: i.agency } : {}) })),
        agreementWindow: mediationRules.agreementWindow.duration,
      };
      return { type: 'MEDIATION_CONVENED', payload: { processId, invitees: wfInput.invitees.length }, startProcess: { workflowType: 'jointMediation', workflowId, input: wfInput } };
    });
    return this.byId(ctx, processId);
  }

  /** A step of a running process, as a Workflow Update: answered yes or no by the workflow's validator. */
  async step(ctx: RequestContext, input: { processId: string; update: string; args: Record<string, unknown>; idempotencyKey?: string | null }): Promise<CaseProcess> {
    const actor = this.actor(ctx);
    const p = await this.byId(ctx, input.processId);
    if (p.endedAt) throw conflict(`this process has ended (${p.outcome ?? p.status}): it takes no more steps`, { rule: 'process.ended', processId: p.id });
    await this.update(ctx, p.workflowId, input.update, { actor, ...input.args }, input.idempotencyKey, p.status === 'REQUESTED' || p.status === 'PROPOSED');
    ctx.em.clear();
    return this.byId(ctx, p.id);
  }

  /** 延期: the one extension of the resolution clock, approved by a supervisor or director of the owning agency. */
  async approveExtension(ctx: RequestContext, input: { caseId: string; reason: string; idempotencyKey?: string | null }): Promise<Case> {
    const actor = this.actor(ctx);
    const c = await ctx.services.cases.byId(ctx, input.caseId);
    this.ownedBy(c, actor);
    if (!c.resolutionDue) throw conflict(`case ${c.number} has no resolution clock yet: accept it first`, { field: 'input.caseId', rule: 'case.status', status: c.status });
    const extendedDue = extendedResolutionDeadline(c.resolutionDue);
    await this.update(ctx, caseWorkflowId(c.id), 'approveExtension', { actor, extendedDue: extendedDue.toISOString(), reason: input.reason }, input.idempotencyKey, false);
    ctx.em.clear();
    return ctx.services.cases.byId(ctx, c.id);
  }

  private async update(ctx: RequestContext, workflowId: string, name: string, arg: Record<string, unknown>, idempotencyKey: string | null | undefined, mayBeStarting: boolean): Promise<void> {
    // Temporal deduplicates updates by id across the whole workflow: the caller's key is scoped to the step and
    // the caller, so two agencies (or two steps) using the same key never swallow each other.
    const actor = ctx.actor!;
    const updateId = idempotencyKey ? `${name}:${actor.userId}:${idempotencyKey}` : randomUUID();
    const handle = this.workflows.workflow.getHandle(workflowId);
    // A process just requested may still be on its way (its start waits in the outbox): nudge the relay and retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await handle.executeUpdate(name, { args: [arg], updateId });
        return;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError && mayBeStarting && attempt < 40) {
          ctx.services.outboxNudge();
          await delay(250);
          continue;
        }
        throw toStepError(err, workflowId);
      }
    }
  }

  private actor(ctx: RequestContext): StepActor {
    if (!ctx.actor) throw unauthenticated('sign in to take this step');
    return { userId: ctx.actor.userId, agencyId: ctx.actor.agencyId, roles: ctx.actor.roles ?? [] };
  }

  private caseworker(ctx: RequestContext): StepActor {
    const actor = this.actor(ctx);
    if (!actor.roles.some((r) => (CASEWORKERS as readonly string[]).includes(r))) throw forbidden(`starting a process takes the role ${CASEWORKERS.join(' or ')}`);
    return actor;
  }

  private ownedBy(c: Case, actor: StepActor): void {
    if (c.owningAgency !== actor.agencyId) throw forbidden(`case ${c.number} belongs to another inspection agency`);
  }

  private async noOpenProcess(ctx: RequestContext, c: Case, kind: ProcessKind): Promise<void> {
    const open = await ctx.em.fork().findOne(CaseProcess, { case: c.id, kind, endedAt: null });
    if (open) throw conflict(`case ${c.number} already has a ${kind.toLowerCase().replace('_', ' ')} under way`, { field: 'input.caseId', rule: 'process.one-open', processId: open.id });
  }

  /** The district government over the case's region: the deepest DISTRICT_GOVERNMENT on its path. */
  private async districtGovernment(ctx: RequestContext, regionCode: string): Promise<Agency | null> {
    const rows = await ctx.em.getConnection().execute<Array<{ id: string }>>(
      `select a.id from agency a join region r on r.code = ?
        where a.kind = 'DISTRICT_GOVERNMENT' and a.region_code = any(string_to_array(r.path, '/'))
        order by length(a.region_code) desc limit 1`,
      [regionCode],
      'all',
      ctx.em.getTransactionContext(),
    );
    return rows[0] ? ctx.em.findOne(Agency, { id: rows[0].id }) : null;
  }
}

/** A refused update keeps the workflow's code and message; anything else is a fault. */
function toStepError(err: unknown, workflowId: string): Error {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type && STEP_CODES.has(err.cause.type)) {
    const details = (err.cause.details?.[0] ?? {}) as Record<string, unknown>;
    return new DomainError(err.cause.message, err.cause.type, details);
  }
  if (err instanceof WorkflowNotFoundError) return processStarting(workflowId);
  return err instanceof Error ? err : new Error(String(err));
}
