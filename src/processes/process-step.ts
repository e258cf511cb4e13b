import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { executionContext } from '../app/execution';
import type { CaseService } from '../cases/case.service';
import type { OutboxNotifier } from '../core/execution-context';
import { conflict, notFound } from '../domain/errors';
import type { ProcessEffect, ProcessStepInput } from './process-step.contract';
import type { Logger } from '../logger';
import { appendCaseEvent, snapshot } from '../cases/case-file';
import { Case, type CaseEventType } from '../cases/case.entity';
import { CaseProcess, ProcessInstalment, ProcessParty } from './process.entity';

/**
 * Writes one process step: its effects on the process rows, any payment through the case service (so the case
 * resolves and its lifecycle hears of it exactly as when the API records a payment), and its case-file entries,
 * all in one transaction, once. A refusal (the case is in a state that forbids the step) is a DomainError, which
 * the worker edge hands to the workflow as a non-retryable failure with its code.
 */
export async function applyProcessStep(
  deps: { em: EntityManager; cases: CaseService; outbox: OutboxNotifier; log: Logger },
  input: ProcessStepInput,
): Promise<{ recorded: boolean }> {
  const result = await deps.em.fork().transactional(async (em) => {
    const c = await em.findOne(Case, { id: input.caseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!c) throw notFound('case', input.caseId);
    const seen = await em
      .getConnection()
      .execute(
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
    em.persist(
      appendCaseEvent(em, c, input.event.type as CaseEventType, {
        actor,
        operation: input.operation,
        before,
        at,
        payload: { ...input.event.payload, ...(input.processId ? { processId: input.processId } : {}), stepKey: input.stepKey },
      }),
    );
    await em.flush();
    for (const extra of input.alsoEvents ?? []) {
      c.updatedAt = new Date();
      await em.flush();
      em.persist(
        appendCaseEvent(em, c, extra.type as CaseEventType, {
          actor,
          operation: input.operation,
          at,
          payload: { ...extra.payload, ...(input.processId ? { processId: input.processId } : {}) },
        }),
      );
      await em.flush();
    }
    // A payment goes last, through the case service: it writes its own entry, the case resolves when paid in
    // full, and the case's lifecycle workflow hears of it through the outbox, as with a payment made in the API.
    for (const effect of input.effects) {
      if (effect.kind !== 'payment') continue;
      const ctx = executionContext({ em, log: deps.log, actor: input.actor, operation: 'workflow:payment' });
      await deps.cases.recordPaymentOfStep(ctx, {
        caseId: c.id,
        amountFen: effect.amountFen,
        workersPaid: effect.workersPaid,
        paidOn: effect.paidOn,
        payer: effect.payer,
        source: effect.source,
        allocations: effect.allocations ?? null,
        inputField: effect.inputField,
      });
    }
    deps.log.info({ caseNumber: c.number, event: input.event.type, stepKey: input.stepKey }, 'process step recorded');
    return { recorded: true };
  });
  // A payment queued a signal to the case's lifecycle in this transaction: deliver it now that it is committed.
  if (result.recorded && input.effects.some((e) => e.kind === 'payment')) deps.outbox.nudge();
  return result;
}

async function applyEffect(
  em: EntityManager,
  c: Case,
  input: ProcessStepInput,
  effect: Exclude<ProcessEffect, { kind: 'payment' }>,
): Promise<void> {
  switch (effect.kind) {
    case 'process': {
      const p = await em.findOneOrFail(CaseProcess, { id: input.processId! });
      if (effect.status) p.status = effect.status;
      if (effect.dueAt !== undefined) p.dueAt = effect.dueAt ? new Date(effect.dueAt) : undefined;
      if (effect.waitingOn !== undefined) p.waitingOn = effect.waitingOn ?? undefined;
      // Sessions accumulate; other facts are set.
      if (effect.facts)
        p.facts = {
          ...p.facts,
          ...effect.facts,
          ...(effect.facts.sessions ? { sessions: [...(p.facts.sessions ?? []), ...effect.facts.sessions] } : {}),
        };
      if (effect.end) {
        // A handover that ends unaccepted (returned, or the case ended) takes back the receiver's pending access.
        await em
          .getConnection()
          .execute(
            `delete from case_access where process_id = ? and access = 'HANDOVER_PENDING'`,
            [p.id],
            'all',
            em.getTransactionContext(),
          );
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
      for (const i of effect.plan)
        em.create(ProcessInstalment, { process: input.processId!, seq: i.seq, dueOn: i.dueOn, amountFen: i.amountFen });
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
    case 'owner':
      // Only from the agency that hands over: a case handed on meanwhile (by another path) is not taken from its owner.
      if (c.owningAgency !== effect.fromAgencyId)
        throw conflict(`case ${c.number} is no longer owned by the agency that handed it over`, {
          rule: 'handover.owner',
          owningAgencyId: c.owningAgency,
        });
      c.owningAgency = effect.toAgencyId;
      c.leadInspector = undefined;
      // Cross-region (协查): a receiver with access by grant now owns the case; a sender that owned it by grant keeps
      // reading it (src/policy/case-grants.ts).
      await em.getConnection().execute(
        `update case_access set access = case when agency_id = ? then 'OWNER' else 'HANDLED' end, granted_at = ?
            where case_id = ? and (agency_id = ? or (agency_id = ? and access = 'OWNER'))`,
        [effect.toAgencyId, new Date(input.at), c.id, effect.toAgencyId, effect.fromAgencyId],
        'all',
        em.getTransactionContext(),
      );
      return;
  }
}
