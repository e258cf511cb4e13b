import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExecutionContext } from '../core/execution-context';
import { badUserInput, notFound } from '../domain/errors';
import { CaseComplainant, type Case, type CaseStatus } from './case.entity';
import type { CaseRef, CaseService } from './case.service';
import type { OwedLine } from './crime-threshold';
import { OwedWorker, PaymentAllocation, paidByLine } from './owed-worker.entity';

/** While a case is open or resolved (before closing), its roster can be kept right. */
const ROSTER_STATUSES: readonly CaseStatus[] = ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'RESOLVED'];

export interface OwedWorkerFields {
  name?: string | null;
  residentId?: string | null;
  mobile?: string | null;
  monthsOwed?: number | null;
  amountOwedFen?: number | null;
  /** The complainant (a person on this case) the line belongs to. */
  personId?: string | null;
}

/**
 * The roster of owed workers of a case (who is owed what). Labour inspection's caseworkers add, correct and remove
 * lines, each a change of the case (its version checked, its file written) through CaseService's change path. The
 * file records which line and which fields changed and the figures, never a worker's name, ID or phone, since
 * other agencies read the file.
 */
export class RosterService {
  constructor(private readonly cases: CaseService) {}

  addOwedWorker(
    ctx: ExecutionContext,
    input: CaseRef & OwedWorkerFields & { name: string; monthsOwed: number; amountOwedFen: number },
  ): Promise<Case> {
    return this.cases.changeCase(ctx, input, ROSTER_STATUSES, async (c, em) => {
      const name = input.name.trim();
      if (!name) throw badUserInput('input.name', 'required', 'give the worker’s name');
      if (input.personId) await checkComplainantLine(em, c.id, input.personId, null);
      const now = ctx.clock.now();
      const line = em.create(OwedWorker, {
        case: c.id,
        person: input.personId ?? null,
        name,
        residentId: input.residentId ?? null,
        mobile: input.mobile ?? null,
        monthsOwed: input.monthsOwed,
        amountOwedFen: input.amountOwedFen,
        addedAt: now,
        updatedAt: now,
      });
      return {
        type: 'OWED_WORKER_ADDED',
        payload: {
          owedWorkerId: line.id,
          complainantPersonId: line.person ?? null,
          monthsOwed: line.monthsOwed,
          amountOwedFen: line.amountOwedFen,
        },
      };
    });
  }

  correctOwedWorker(
    ctx: ExecutionContext,
    input: CaseRef & OwedWorkerFields & { owedWorkerId: string; settled?: boolean | null },
  ): Promise<Case> {
    return this.cases.changeCase(ctx, input, ROSTER_STATUSES, async (c, em) => {
      const line = await lineOf(em, c.id, input.owedWorkerId);
      const fields: string[] = [];
      const name = input.name?.trim();
      if (input.name != null && !name) throw badUserInput('input.name', 'required', 'a worker’s name cannot be emptied');
      const change = <K extends 'name' | 'residentId' | 'mobile' | 'monthsOwed' | 'settled'>(
        key: K,
        value: OwedWorker[K] | null | undefined,
      ) => {
        if (value == null || value === line[key]) return;
        line[key] = value;
        fields.push(key);
      };
      change('name', name || null);
      change('residentId', input.residentId);
      change('mobile', input.mobile);
      change('monthsOwed', input.monthsOwed);
      if (input.amountOwedFen != null && input.amountOwedFen !== line.amountOwedFen) {
        const paid = paidByLine(await em.find(PaymentAllocation, { owedWorker: line.id })).get(line.id) ?? 0;
        if (input.amountOwedFen < paid)
          throw badUserInput(
            'input.amountOwed',
            'owed.not-below-paid',
            `this worker has already been paid ${paid} fen; the amount owed cannot be less`,
          );
        line.amountOwedFen = input.amountOwedFen;
        fields.push('amountOwed');
      }
      if (input.personId != null && input.personId !== line.person) {
        await checkComplainantLine(em, c.id, input.personId, line.id);
        line.person = input.personId;
        fields.push('complainant');
      }
      change('settled', input.settled);
      if (fields.length === 0)
        throw badUserInput('input.owedWorkerId', 'owed-worker.changes', 'give at least one field that differs from the line on record');
      line.updatedAt = ctx.clock.now();
      return {
        type: 'OWED_WORKER_CORRECTED',
        payload: {
          owedWorkerId: line.id,
          fields,
          complainantPersonId: line.person ?? null,
          monthsOwed: line.monthsOwed,
          amountOwedFen: line.amountOwedFen,
          settled: line.settled,
        },
      };
    });
  }

  removeOwedWorker(ctx: ExecutionContext, input: CaseRef & { owedWorkerId: string; reason: string }): Promise<Case> {
    return this.cases.changeCase(ctx, input, ROSTER_STATUSES, async (c, em) => {
      const line = await lineOf(em, c.id, input.owedWorkerId);
      if ((await em.count(PaymentAllocation, { owedWorker: line.id })) > 0)
        throw badUserInput(
          'input.owedWorkerId',
          'owed-worker.paid',
          'a worker who has been paid on this case stays on its roster; correct the line instead',
        );
      em.remove(line);
      return {
        type: 'OWED_WORKER_REMOVED',
        payload: { owedWorkerId: line.id, reason: input.reason, monthsOwed: line.monthsOwed, amountOwedFen: line.amountOwedFen },
      };
    });
  }
}

async function lineOf(em: EntityManager, caseId: string, owedWorkerId: string): Promise<OwedWorker> {
  const line = await em.findOne(OwedWorker, { id: owedWorkerId, case: caseId });
  if (!line) throw notFound('owed worker', owedWorkerId);
  return line;
}

/** The person must be a complainant on this case, and each complainant has one line of their own. */
async function checkComplainantLine(em: EntityManager, caseId: string, personId: string, lineId: string | null): Promise<void> {
  if ((await em.count(CaseComplainant, { case: caseId, person: personId })) === 0)
    throw badUserInput('input.personId', 'complainant.on-case', 'the line can only be linked to a complainant of this case');
  const other = await em.findOne(OwedWorker, { case: caseId, person: personId });
  if (other && other.id !== lineId)
    throw badUserInput('input.personId', 'complainant.own-line', 'this complainant already has their own line on the roster');
}

/**
 * What each worker of a case's roster is still owed (settled lines owe nothing), for the crime threshold; null when
 * the case has no roster.
 */
export async function outstandingByWorker(em: EntityManager, caseId: string): Promise<OwedLine[] | null> {
  const lines = await em.find(OwedWorker, { case: caseId });
  if (lines.length === 0) return null;
  const paid = paidByLine(await em.find(PaymentAllocation, { case: caseId }));
  return lines.map((l) => ({
    monthsOwed: l.monthsOwed,
    outstandingFen: l.settled ? 0 : Math.max(0, l.amountOwedFen - (paid.get(l.id) ?? 0)),
  }));
}
