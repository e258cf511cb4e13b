import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../domain/errors';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../api/context';
import { createLoaders } from '../api/loaders';
import type { Services } from '../api/services';
import type { Logger } from '../logger';
import { appendCaseEvent, snapshot } from '../cases/case-file';
import { Case, type PaymentSource, type ProcessEventType } from '../cases/case.entity';
import { CaseProcess, ProcessInstalment, ProcessParty, type InstalmentStatus, type PartyStatus, type ProcessFacts } from './process.entity';

/** Who takes a step, as the API verified it; workflows check it against the process's parties. */
export interface StepActor {
  userId: string;
  agencyId: string;
  roles: string[];
}

/** A change to the process's rows, applied with the step's case-file entry in one transaction. */
export type ProcessEffect =
  | { kind: 'process'; status?: string; dueAt?: string | null; waitingOn?: string | null; end?: { outcome: string }; facts?: ProcessFacts }
  | { kind: 'party'; partyId: string; status?: PartyStatus; acknowledged?: boolean; reported?: boolean; report?: string; escalationLevel?: string }
  | { kind: 'instalments'; plan: Array<{ seq: number; dueOn: string; amountFen: number }> }
  | { kind: 'instalment'; seq: number; status: InstalmentStatus; paidOn?: string }
  | { kind: 'payment'; amountFen: number; workersPaid: number; paidOn: string; payer: string; source: PaymentSource }
  | { kind: 'extension'; resolutionExtendedDue: string };

export interface ProcessStepInput {
  caseId: string;
  processId?: string;
  /** Unique within the case: a retried activity finds it in the case file and writes nothing. */
  stepKey: string;
  /** The workflow's time of the step (deterministic, and the time the step was accepted). */
  at: string;
  /** What took the step: `workflow:<update>` for an agency's step, `workflow:<workflow type>` for a deadline. */
  operation?: string;
  actor?: StepActor;
  event: { type: ProcessEventType | 'ESCALATED' | 'RESOLUTION_EXTENDED'; payload: Record<string, unknown> };
  /** Further entries that go with the step (a filed referral opens the blacklist path). */
  alsoEvents?: Array<{ type: ProcessEventType; payload: Record<string, unknown> }>;
  effects: ProcessEffect[];
}

/**
 * Writes one process step: its effects on the process rows, any payment through the case service (so the case
 * resolves and its lifecycle hears of it exactly as when the API records a payment), and its case-file entries,
 * all in one transaction, once. A business refusal (the case is in a state that forbids the step) becomes a
 * non-retryable failure carrying the API's error code.
 */
export async function applyProcessStep(deps: { em: EntityManager; services: Services; log: Logger }, input: ProcessStepInput): Promise<{ recorded: boolean }> {
  try {
    return await deps.em.fork().transactional(async (em) => {
      const c = await em.findOne(Case, { id: input.caseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!c) throw ApplicationFailure.nonRetryable(`case ${input.caseId} not found`, 'NOT_FOUND');
      const seen = await em.getConnection().execute(
        `select 1 from case_event where case_id = ? and payload->>'stepKey' = ?`,
        [input.caseId, input.stepKey],
        'all',
        em.getTransactionContext(),
      );
      if (seen.length > 0) return { recorded: false };

      const actor = input.actor ? { userId: input.actor.userId, agencyId: input.actor.agencyId } : undefined;
      const before = snapshot(c);
      for (const effect of input.effects) if (effect.kind !== 'payment') await applyEffect(em, c, input, effect);

      c.updatedAt = new Date();
      await em.flush(); // bumps the case version: the entry below takes it as its sequence number
      const at = new Date(input.at);
      em.persist(appendCaseEvent(em, c, input.event.type, { actor, operation: input.operation, before, at, payload: { ...input.event.payload, ...(input.processId ? { processId: input.processId } : {}), stepKey: input.stepKey } }));
      await em.flush();
      for (const extra of input.alsoEvents ?? []) {
        c.updatedAt = new Date();
        await em.flush();
        em.persist(appendCaseEvent(em, c, extra.type, { actor, operation: input.operation, at, payload: { ...extra.payload, ...(input.processId ? { processId: input.processId } : {}) } }));
        await em.flush();
      }
      // A payment goes last, through the case service: it writes its own entry, the case resolves when paid in
      // full, and the case's lifecycle workflow hears of it through the outbox, as with a payment made in the API.
      for (const effect of input.effects) {
        if (effect.kind !== 'payment') continue;
        const ctx = workerContext(em, deps, input.actor);
        await deps.services.cases.recordPayment(ctx, { caseId: c.id, amountFen: effect.amountFen, workersPaid: effect.workersPaid, paidOn: effect.paidOn, payer: effect.payer, source: effect.source });
      }
      deps.log.info({ caseNumber: c.number, event: input.event.type, stepKey: input.stepKey }, 'process step recorded');
      return { recorded: true };
    });
  } catch (err) {
    // The worker edge: a refusal keeps its code and details across to the workflow (and back to the caller).
    if (err instanceof DomainError) throw ApplicationFailure.nonRetryable(err.message, err.code, err.extensions);
    throw err;
  }
}

async function applyEffect(em: EntityManager, c: Case, input: ProcessStepInput, effect: Exclude<ProcessEffect, { kind: 'payment' }>): Promise<void> {
  switch (effect.kind) {
    case 'process': {
      const p = await em.findOneOrFail(CaseProcess, { id: input.processId! });
      if (effect.status) p.status = effect.status;
      if (effect.dueAt !== undefined) p.dueAt = effect.dueAt ? new Date(effect.dueAt) : undefined;
      if (effect.waitingOn !== undefined) p.waitingOn = effect.waitingOn ?? undefined;
      // Sessions accumulate; other facts are set.
      if (effect.facts) p.facts = { ...p.facts, ...effect.facts, ...(effect.facts.sessions ? { sessions: [...(p.facts.sessions ?? []), ...effect.facts.sessions] } : {}) };
      if (effect.end) {
        p.endedAt = new Date(input.at);
        p.outcome = effect.end.outcome;
        p.dueAt = undefined;
        p.waitingOn = undefined;
      }
      return;
    }
    case 'party': {
      const party = await em.findOneOrFail(ProcessParty, { id: effect.partyId, process: input.processId! });
      if (effect.status) party.status = effect.status;
      if (effect.acknowledged) party.acknowledgedAt = new Date(input.at);
      if (effect.reported) party.reportedAt = new Date(input.at);
      if (effect.report !== undefined) party.report = effect.report;
      if (effect.escalationLevel) party.escalationLevel = effect.escalationLevel;
      return;
    }
    case 'instalments':
      for (const i of effect.plan) em.create(ProcessInstalment, { process: input.processId!, seq: i.seq, dueOn: i.dueOn, amountFen: i.amountFen });
      await em.flush();
      return;
    case 'instalment': {
      const i = await em.findOneOrFail(ProcessInstalment, { process: input.processId!, seq: effect.seq });
      i.status = effect.status;
      if (effect.paidOn) i.paidOn = effect.paidOn;
      return;
    }
    case 'extension':
      c.resolutionExtendedDue = new Date(effect.resolutionExtendedDue);
      return;
  }
}

function workerContext(em: EntityManager, deps: { services: Services; log: Logger }, actor: StepActor | undefined): RequestContext {
  return {
    requestId: `process-step`,
    log: deps.log,
    em,
    services: deps.services,
    loaders: createLoaders(em),
    actor: actor ? { userId: actor.userId, agencyId: actor.agencyId, roles: actor.roles } : undefined,
    operation: 'workflow:payment',
    trusted: true,
    config: { cases: { repeatComplaintWindowDays: 30 } },
  };
}
