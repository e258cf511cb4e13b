import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { ApplicationFailure, WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExecutionContext, OutboxNotifier } from '../core/execution-context';
import { conflict, DomainError, ErrorCode, forbidden, notFound, processStarting, unauthenticated } from '../domain/errors';
import { caseWorkflowId } from '../cases/case-workflow';
import type { Case, CaseEventType, CaseStatus } from '../cases/case.entity';
import type { CaseService } from '../cases/case.service';
import { extendedResolutionDeadline } from '../cases/deadlines';
import { canSeeCase } from '../auth/access';
import { seesProcess } from '../policy/process-visibility';
import { hasRole, ownsCase, PROCESS_STARTERS } from '../policy/roles';
import { approveExtensionUpdate } from '../../workflows/case-lifecycle';
import { signedIn } from '../policy/signed-in';
import { processWorkflowId, type ProcessDefinition } from './process-definition';
import type { StepActor } from './process-step.contract';
import { CaseProcess, ProcessParty } from './process.entity';

/** Error codes of steps refused by a workflow's validator, passed to the caller as they are. */
const STEP_CODES = new Set<string>([ErrorCode.Forbidden, ErrorCode.Conflict, ErrorCode.BadUserInput, ErrorCode.NotFound]);

/** What a process's start writes: its rows are made by `build`; this is the case-file entry and the workflow input. */
export interface ProcessStart<TInput> {
  /** The entry opening the process (a process names its own entry types). */
  type: CaseEventType | (string & {});
  payload: Record<string, unknown>;
  input: TInput;
}

/**
 * The machinery every cross-agency process shares. A start is a database change (the process, its parties, a
 * case-file entry) plus an outbox signal to the case's lifecycle, which starts the process's workflow as its
 * child: one transaction, nothing lost if the API dies after the commit. A step is a Workflow Update: the
 * workflow's validator answers yes or no at once, and the step is written once even if the caller retries with
 * the same idempotency key. Each process (a folder under `src/processes/`) builds its own service on this one.
 */
export class ProcessService {
  constructor(
    private readonly workflows: Client,
    private readonly cases: CaseService,
    private readonly outbox: OutboxNotifier,
  ) {}

  /** A process the caller may see (its case visible, and the caller HRSS or a party to it), else NOT_FOUND. */
  async byId(ctx: ExecutionContext, id: string): Promise<CaseProcess> {
    signedIn(ctx);
    const p = await ctx.em.findOne(CaseProcess, { id });
    if (!p || !(await canSeeCase(ctx.em, ctx.actor, p.case))) throw notFound('process', id);
    const parties = await ctx.em.find(ProcessParty, { process: p.id });
    if (
      !seesProcess(
        ctx.actor,
        p,
        parties.map((x) => x.agency),
      )
    )
      throw notFound('process', id);
    return p;
  }

  /**
   * Starts a process of `definition` on a case the caller's agency owns, by a caseworker, while the case is in one of
   * `allowed` and no process of this kind is open on it. `build` checks the process's own conditions and writes its
   * rows (the `case_process` row with the id and workflow id given) in the case's transaction.
   */
  async start<TInput>(
    ctx: ExecutionContext,
    definition: ProcessDefinition<TInput>,
    caseId: string,
    allowed: readonly CaseStatus[],
    build: (c: Case, em: EntityManager, ids: { processId: string; workflowId: string; actor: StepActor }) => Promise<ProcessStart<TInput>>,
  ): Promise<CaseProcess> {
    const actor = this.caseworker(ctx);
    const processId = randomUUID();
    const workflowId = processWorkflowId(definition, processId);
    await this.cases.changeCase(ctx, { caseId }, allowed, async (c, em) => {
      this.ownedBy(c, actor);
      await this.noOpenProcess(ctx, c, definition.kind);
      const start = await build(c, em, { processId, workflowId, actor });
      return {
        type: start.type as CaseEventType,
        payload: start.payload,
        startProcess: { workflowType: definition.workflow.name, workflowId, input: start.input },
      };
    });
    return this.byId(ctx, processId);
  }

  /** A step of a running process, as its Workflow Update: answered yes or no by the workflow's validator. */
  async step<A extends { actor: StepActor }>(
    ctx: ExecutionContext,
    input: { processId: string; update: UpdateDefinition<unknown, [A]>; args: Omit<A, 'actor'>; idempotencyKey?: string | null },
  ): Promise<CaseProcess> {
    const actor = this.actor(ctx);
    const p = await this.byId(ctx, input.processId);
    if (p.endedAt)
      throw conflict(`this process has ended (${p.outcome ?? p.status}): it takes no more steps`, {
        rule: 'process.ended',
        processId: p.id,
      });
    await this.update(
      ctx,
      p.workflowId,
      input.update,
      { actor, ...input.args } as A,
      input.idempotencyKey,
      p.status === 'REQUESTED' || p.status === 'PROPOSED',
    );
    ctx.em.clear();
    // The caller saw the process before its step; a step may take that away (a cross-region receiver returning a
    // handover loses its pending access, src/policy/case-grants.ts): the answer is then the process as the step left it.
    if (await canSeeCase(ctx.em, ctx.actor, p.case)) return this.byId(ctx, p.id);
    return ctx.em.findOneOrFail(CaseProcess, { id: p.id });
  }

  /** 延期: the one extension of the resolution clock, approved by a supervisor or director of the owning agency. */
  async approveExtension(ctx: ExecutionContext, input: { caseId: string; reason: string; idempotencyKey?: string | null }): Promise<Case> {
    const actor = this.actor(ctx);
    const c = await this.cases.byId(ctx, input.caseId);
    this.ownedBy(c, actor);
    if (!c.resolutionDue)
      throw conflict(`case ${c.number} has no resolution clock yet: accept it first`, {
        field: 'input.caseId',
        rule: 'case.status',
        status: c.status,
      });
    const extendedDue = extendedResolutionDeadline(c.resolutionDue);
    await this.update(
      ctx,
      caseWorkflowId(c.id),
      approveExtensionUpdate,
      { actor, extendedDue: extendedDue.toISOString(), reason: input.reason },
      input.idempotencyKey,
      false,
    );
    ctx.em.clear();
    return this.cases.byId(ctx, c.id);
  }

  private async update<A>(
    ctx: ExecutionContext,
    workflowId: string,
    update: UpdateDefinition<unknown, [A]>,
    arg: A,
    idempotencyKey: string | null | undefined,
    mayBeStarting: boolean,
  ): Promise<void> {
    // Temporal deduplicates updates by id across the whole workflow: the caller's key is scoped to the step and
    // the caller, so two agencies (or two steps) using the same key never swallow each other.
    const actor = ctx.actor!;
    const updateId = idempotencyKey ? `${update.name}:${actor.userId}:${idempotencyKey}` : randomUUID();
    const handle = this.workflows.workflow.getHandle(workflowId);
    // A process just requested may still be on its way (its start waits in the outbox): nudge the relay and retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await handle.executeUpdate(update, { args: [arg], updateId });
        return;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError && mayBeStarting && attempt < 40) {
          this.outbox.nudge();
          await delay(250);
          continue;
        }
        throw toStepError(err, workflowId);
      }
    }
  }

  private actor(ctx: ExecutionContext): StepActor {
    if (!ctx.actor) throw unauthenticated('sign in to take this step');
    return { userId: ctx.actor.userId, agencyId: ctx.actor.agencyId, roles: ctx.actor.roles ?? [] };
  }

  private caseworker(ctx: ExecutionContext): StepActor {
    const actor = this.actor(ctx);
    if (!hasRole(actor, PROCESS_STARTERS)) throw forbidden(`starting a process takes the role ${PROCESS_STARTERS.join(' or ')}`);
    return actor;
  }

  private ownedBy(c: Case, actor: StepActor): void {
    if (!ownsCase(actor, c)) throw forbidden(`case ${c.number} belongs to another inspection agency`);
  }

  private async noOpenProcess(ctx: ExecutionContext, c: Case, kind: string): Promise<void> {
    const open = await ctx.em.fork().findOne(CaseProcess, { case: c.id, kind, endedAt: null });
    if (open)
      throw conflict(`case ${c.number} already has a ${kind.toLowerCase().replace('_', ' ')} under way`, {
        field: 'input.caseId',
        rule: 'process.one-open',
        processId: open.id,
      });
  }
}

/** A refused update keeps the workflow's code and message; anything else is a fault. */
function toStepError(err: unknown, workflowId: string): Error {
  if (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type &&
    STEP_CODES.has(err.cause.type)
  ) {
    const details = (err.cause.details?.[0] ?? {}) as Record<string, unknown>;
    return new DomainError(err.cause.message, err.cause.type, details);
  }
  if (err instanceof WorkflowNotFoundError) return processStarting(workflowId);
  return err instanceof Error ? err : new Error(String(err));
}
