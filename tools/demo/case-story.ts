import { snapshot, type CaseSnapshot } from '../../src/cases/case-file';
import type { Case, CaseEventType, CaseStatus, ContactKind, ContactOutcome, PaymentSource } from '../../src/cases/case.entity';
import { acceptanceDeadline, resolutionDeadline, sameDayContactDeadline } from '../../src/cases/deadlines';
import { beijingDate } from '../../src/domain/working-days';
import type { Channel } from '../../src/rules/case-deadlines';
import type { Random } from './random';

/**
 * Plays a case's life as the API would have recorded it, step by step: each step changes the case, bumps its
 * version and appends one case-file entry whose `seq` is that version, with the before/after of the tracked
 * fields (the same `snapshot` the services use). The demo city feeds it random steps and the seed stories
 * feed it scripted ones; either way the rows it produces are consistent with each other.
 */

export interface Actor {
  userId?: string;
  agencyId?: string;
}

export type Step =
  | { kind: 'join'; at: Date; personId: string; channel: Channel; channelRef?: string; actor?: Actor }
  | { kind: 'contact'; at: Date; contact: ContactKind; outcome: ContactOutcome; notes?: string; actor?: Actor }
  | { kind: 'accept'; at: Date; employer?: string; project?: string; actor?: Actor }
  | { kind: 'reject'; at: Date; reason: string; actor?: Actor }
  | { kind: 'transfer'; at: Date; to: string; reason: string; actor?: Actor }
  | { kind: 'lead'; at: Date; inspectorId: string; actor?: Actor }
  | {
      kind: 'payment';
      at: Date;
      amountFen: number;
      workersPaid: number;
      payer: string;
      source: PaymentSource;
      settles?: boolean;
      actor?: Actor;
    }
  | { kind: 'callback'; at: Date; paidInFull: boolean; satisfied: boolean; actor?: Actor }
  | { kind: 'close'; at: Date; actor?: Actor };

/** The wage_case row being built, with the entity's property names (so `snapshot` can read it). */
export interface CaseDraft {
  id: string;
  number: string;
  channel: Channel;
  channelRef?: string;
  receivedAt: Date;
  status: CaseStatus;
  sector: 'CONSTRUCTION' | 'OTHER';
  region: string;
  district: string;
  owningAgency: string;
  primaryComplainant: string;
  workersAffected?: number;
  amountClaimedFen?: number;
  amountRecoveredFen: number;
  employer?: string;
  employerNameGiven?: string;
  project?: string;
  description: string;
  leadInspector?: string;
  sameDayContactDue: Date;
  firstContactAt?: Date;
  acceptanceDue: Date;
  acceptedAt?: Date;
  resolutionDue?: Date;
  resolutionExtendedDue?: Date;
  resolvedAt?: Date;
  closedAt?: Date;
  outcomeNote?: string;
  transferredTo?: string;
  version: number;
  updatedAt: Date;
}

export interface EventRow {
  caseId: string;
  seq: number;
  type: CaseEventType | 'CLOSED';
  actorUserId?: string;
  actorAgencyId?: string;
  at: Date;
  payload: Record<string, unknown>;
  before: CaseSnapshot | null;
  after: CaseSnapshot | null;
}

export interface ContactRow {
  id: string;
  caseId: string;
  personId: string;
  kind: ContactKind;
  outcome: ContactOutcome;
  notes?: string;
  at: Date;
  recordedBy?: string;
}

export interface PaymentRow {
  id: string;
  caseId: string;
  amountFen: number;
  workersPaid: number;
  paidOn: string;
  payer: string;
  source: PaymentSource;
  recordedBy?: string;
  recordedAt: Date;
}

export interface ComplainantRow {
  caseId: string;
  personId: string;
  channel: Channel;
  channelRef?: string;
  joinedAt: Date;
}

/** Everything one case contributes to the database. */
export interface CaseRows {
  draft: CaseDraft;
  complainants: ComplainantRow[];
  events: EventRow[];
  contacts: ContactRow[];
  payments: PaymentRow[];
}

export interface Intake {
  id: string;
  channel: Channel;
  channelRef?: string;
  receivedAt: Date;
  sector: 'CONSTRUCTION' | 'OTHER';
  region: string;
  owningAgency: string;
  complainant: string;
  workersAffected?: number;
  amountClaimedFen?: number;
  employer?: string;
  employerNameGiven?: string;
  project?: string;
  description: string;
  actor?: Actor;
}

function snap(d: CaseDraft): CaseSnapshot {
  return snapshot(d as unknown as Case);
}

function changed(before: CaseSnapshot, after: CaseSnapshot): { before: CaseSnapshot; after: CaseSnapshot } {
  const b: CaseSnapshot = {};
  const a: CaseSnapshot = {};
  for (const key of Object.keys(after) as Array<keyof CaseSnapshot>) {
    if (before[key] !== after[key]) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

/** Receives a complaint (version 1, event RECEIVED) and applies the steps in order. */
export function playCase(rng: Random, intake: Intake, steps: Step[]): CaseRows {
  const draft: CaseDraft = {
    id: intake.id,
    number: '',
    channel: intake.channel,
    channelRef: intake.channelRef,
    receivedAt: intake.receivedAt,
    status: 'RECEIVED',
    sector: intake.sector,
    region: intake.region,
    district: intake.region.slice(0, 6),
    owningAgency: intake.owningAgency,
    primaryComplainant: intake.complainant,
    workersAffected: intake.workersAffected,
    amountClaimedFen: intake.amountClaimedFen,
    amountRecoveredFen: 0,
    employer: intake.employer,
    employerNameGiven: intake.employer ? undefined : intake.employerNameGiven,
    project: intake.project,
    description: intake.description,
    sameDayContactDue: sameDayContactDeadline(intake.receivedAt),
    acceptanceDue: acceptanceDeadline(intake.receivedAt, intake.channel),
    version: 1,
    updatedAt: intake.receivedAt,
  };
  const rows: CaseRows = {
    draft,
    complainants: [
      {
        caseId: draft.id,
        personId: intake.complainant,
        channel: intake.channel,
        channelRef: intake.channelRef,
        joinedAt: intake.receivedAt,
      },
    ],
    events: [],
    contacts: [],
    payments: [],
  };
  const append = (
    type: EventRow['type'],
    at: Date,
    actor: Actor | undefined,
    payload: Record<string, unknown>,
    diff: { before: CaseSnapshot; after: CaseSnapshot } | null,
  ) => {
    if (rows.events.length > 0) draft.version += 1;
    draft.updatedAt = at;
    rows.events.push({
      caseId: draft.id,
      seq: draft.version,
      type,
      actorUserId: actor?.userId,
      actorAgencyId: actor?.agencyId,
      at,
      payload,
      // RECEIVED and COMPLAINANT_JOINED carry the whole tracked state, as the intake service writes them.
      before: diff ? diff.before : null,
      after: diff ? diff.after : snap(draft),
    });
  };

  append('RECEIVED', intake.receivedAt, intake.actor, { channel: intake.channel, channelRef: intake.channelRef ?? null }, null);

  let last = intake.receivedAt;
  for (const step of steps) {
    if (step.at < last) throw new Error(`case ${draft.id}: step ${step.kind} at ${step.at.toISOString()} is before the previous step`);
    last = step.at;
    const before = snap(draft);
    let type: EventRow['type'];
    let payload: Record<string, unknown>;
    switch (step.kind) {
      case 'join':
        rows.complainants.push({
          caseId: draft.id,
          personId: step.personId,
          channel: step.channel,
          channelRef: step.channelRef,
          joinedAt: step.at,
        });
        append(
          'COMPLAINANT_JOINED',
          step.at,
          step.actor,
          { personId: step.personId, channel: step.channel, channelRef: step.channelRef ?? null },
          null,
        );
        continue;
      case 'contact':
      case 'callback': {
        const contactId = rng.uuid();
        const outcome = step.kind === 'contact' ? step.outcome : 'REACHED';
        rows.contacts.push({
          id: contactId,
          caseId: draft.id,
          personId: draft.primaryComplainant,
          kind: step.kind === 'contact' ? step.contact : 'CALL',
          outcome,
          notes:
            step.kind === 'contact'
              ? step.notes
              : `回访:工资${step.paidInFull ? '已足额' : '未足额'}到账,${step.satisfied ? '对处理结果满意' : '对处理结果不满意'}`,
          at: step.at,
          recordedBy: step.actor?.userId,
        });
        if (outcome === 'REACHED' && !draft.firstContactAt) draft.firstContactAt = step.at;
        type = 'CONTACT_RECORDED';
        payload = {
          contactId,
          kind: step.kind === 'contact' ? step.contact : 'CALL',
          outcome,
          at: step.at.toISOString(),
          onTime: step.at <= draft.sameDayContactDue,
          ...(step.kind === 'callback' ? { purpose: 'CALLBACK', paidInFull: step.paidInFull, satisfied: step.satisfied } : {}),
        };
        break;
      }
      case 'accept':
        draft.employer = step.employer ?? draft.employer;
        draft.project = step.project ?? draft.project;
        draft.status = 'ACCEPTED';
        draft.acceptedAt = step.at;
        draft.resolutionDue = resolutionDeadline(step.at, draft.channel);
        type = 'ACCEPTED';
        payload = { resolutionDue: draft.resolutionDue.toISOString() };
        break;
      case 'reject':
        draft.status = 'REJECTED';
        draft.outcomeNote = step.reason;
        type = 'REJECTED';
        payload = { reason: step.reason };
        break;
      case 'transfer':
        draft.status = 'TRANSFERRED';
        draft.transferredTo = step.to;
        draft.outcomeNote = step.reason;
        type = 'TRANSFERRED';
        payload = { to: step.to, reason: step.reason };
        break;
      case 'lead':
        draft.leadInspector = step.inspectorId;
        if (draft.status === 'ACCEPTED') draft.status = 'IN_PROGRESS';
        type = 'LEAD_ASSIGNED';
        payload = { inspectorId: step.inspectorId };
        break;
      case 'payment': {
        const paymentId = rng.uuid();
        const paidOn = beijingDate(step.at);
        rows.payments.push({
          id: paymentId,
          caseId: draft.id,
          amountFen: step.amountFen,
          workersPaid: step.workersPaid,
          paidOn,
          payer: step.payer,
          source: step.source,
          recordedBy: step.actor?.userId,
          recordedAt: step.at,
        });
        draft.amountRecoveredFen += step.amountFen;
        const paidInFull = draft.amountClaimedFen != null && draft.amountRecoveredFen >= draft.amountClaimedFen;
        if (draft.status !== 'RESOLVED' && (step.settles || paidInFull)) {
          draft.status = 'RESOLVED';
          draft.resolvedAt = step.at;
        }
        type = 'PAYMENT_RECORDED';
        payload = { paymentId, amountFen: step.amountFen, workersPaid: step.workersPaid, paidOn, payer: step.payer, source: step.source };
        break;
      }
      case 'close':
        draft.status = 'CLOSED';
        draft.closedAt = step.at;
        type = 'CLOSED';
        payload = { closedAt: step.at.toISOString() };
        break;
    }
    append(type, step.at, step.actor, payload, changed(before, snap(draft)));
  }
  return rows;
}
