import { addWorkingDays, beijingMinuteOfDay, beijingDate, endOfBeijingDay, isWorkingDay, nextWorkingDayAt } from '../domain/working-days';
import { IN_HANDLING_STATUSES } from '../domain/case-status';
import { caseDeadlineRules, type CaseDeadlineRules, type Channel, type WorkingDayClock } from '../rules/case-deadlines';

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** 首日对接: the end of the day of receipt; the next working morning for arrivals at night or on a day off. */
export function sameDayContactDeadline(receivedAt: Date, rules: CaseDeadlineRules = caseDeadlineRules): Date {
  const rule = rules.sameDayContact;
  const daytime = beijingMinuteOfDay(receivedAt) < minutes(rule.nightStartsAt);
  if (daytime && isWorkingDay(beijingDate(receivedAt))) return endOfBeijingDay(receivedAt);
  return nextWorkingDayAt(receivedAt, rule.nextWorkingMorningEndsAt);
}

/** The strictest of the statute's clock and the channel's own, with the source of the one that applies. */
export function strictestClock(statute: WorkingDayClock, channelClock: WorkingDayClock | undefined): WorkingDayClock {
  return channelClock && channelClock.workingDays < statute.workingDays ? channelClock : statute;
}

export function acceptanceDeadline(receivedAt: Date, channel: Channel, rules: CaseDeadlineRules = caseDeadlineRules): Date {
  return addWorkingDays(receivedAt, strictestClock(rules.acceptance, rules.channels[channel]?.acceptance).workingDays);
}

export function resolutionDeadline(acceptedAt: Date, channel: Channel, rules: CaseDeadlineRules = caseDeadlineRules): Date {
  return addWorkingDays(acceptedAt, strictestClock(rules.resolution, rules.channels[channel]?.resolution).workingDays);
}

/**
 * The resolution deadline of a case its complainants brought on several channels: the strictest of their
 * channels' clocks applies (DOMAIN.md §4: a case lives by the strictest clock that applies to it). Each clock runs
 * from the acceptance or, for a complaint that joined the case after it was accepted, from that complaint's receipt
 * (as intake moves it: `intake_complaint`). A bare channel is one the case had when it was accepted.
 */
export function strictestResolutionDeadline(
  acceptedAt: Date,
  channels: ReadonlyArray<Channel | { channel: Channel; receivedAt: Date }>,
  rules: CaseDeadlineRules = caseDeadlineRules,
): Date {
  return new Date(
    Math.min(
      ...channels.map((ch) => {
        if (typeof ch === 'string') return resolutionDeadline(acceptedAt, ch, rules).getTime();
        const from = ch.receivedAt > acceptedAt ? ch.receivedAt : acceptedAt;
        return resolutionDeadline(from, ch.channel, rules).getTime();
      }),
    ),
  );
}

/**
 * The acceptance deadline of a case several complaints joined: the strictest of each complaint's channel clock
 * counted from its own receipt (a joining 12345 complaint brings its 1 working day, counted from when it came).
 */
export function strictestAcceptanceDeadline(
  complaints: ReadonlyArray<{ channel: Channel; receivedAt: Date }>,
  rules: CaseDeadlineRules = caseDeadlineRules,
): Date {
  return new Date(Math.min(...complaints.map((k) => acceptanceDeadline(k.receivedAt, k.channel, rules).getTime())));
}

/** The one extension the statute allows, counted on from the original resolution deadline. */
export function extendedResolutionDeadline(resolutionDue: Date, rules: CaseDeadlineRules = caseDeadlineRules): Date {
  return addWorkingDays(resolutionDue, rules.resolutionExtension.workingDays);
}

/** What a case's working-day deadlines are counted from, as stored. */
export interface CaseDeadlineFacts {
  status: string;
  channel: Channel;
  receivedAt: Date;
  acceptedAt?: Date | null;
  acceptanceDue: Date;
  resolutionDue?: Date | null;
  resolutionExtendedDue?: Date | null;
  /**
   * Every complaint of the case (its first and those that joined it), each with its channel and receipt: the
   * clocks are the strictest of their channels', as at acceptance. Without it, the case's own channel alone.
   */
  complaints?: ReadonlyArray<{ channel: Channel; receivedAt: Date }>;
}

export interface MovedDeadlines {
  acceptanceDue?: Date;
  resolutionDue?: Date;
  resolutionExtendedDue?: Date;
}

/**
 * The deadlines of an open case counted again on the calendar as it is now, for those that were provisional
 * (`wasProvisional`: counted across days the calendar did not know then): acceptance while the case awaits it,
 * resolution and its extension while it is in handling (the extension is counted on from the resolution deadline,
 * so it moves with it). Only the ones whose instant changes are returned. The same functions as intake and
 * acceptance count them: the strictest clock of all the case's complaints' channels (`strictestAcceptanceDeadline`,
 * `strictestResolutionDeadline`), not the first channel's.
 */
export function recountProvisionalDeadlines(
  c: CaseDeadlineFacts,
  wasProvisional: (due: Date) => boolean,
  rules: CaseDeadlineRules = caseDeadlineRules,
): MovedDeadlines {
  const out: MovedDeadlines = {};
  const complaints = [{ channel: c.channel, receivedAt: c.receivedAt }, ...(c.complaints ?? [])];
  if (c.status === 'RECEIVED' && wasProvisional(c.acceptanceDue)) {
    const due = strictestAcceptanceDeadline(complaints, rules);
    if (due.getTime() !== c.acceptanceDue.getTime()) out.acceptanceDue = due;
  }
  if ((IN_HANDLING_STATUSES as readonly string[]).includes(c.status) && c.acceptedAt && c.resolutionDue) {
    let resolution = c.resolutionDue;
    if (wasProvisional(c.resolutionDue)) {
      const due = strictestResolutionDeadline(c.acceptedAt, complaints, rules);
      if (due.getTime() !== resolution.getTime()) resolution = out.resolutionDue = due;
    }
    if (c.resolutionExtendedDue && (out.resolutionDue || wasProvisional(c.resolutionExtendedDue))) {
      const due = extendedResolutionDeadline(resolution, rules);
      if (due.getTime() !== c.resolutionExtendedDue.getTime()) out.resolutionExtendedDue = due;
    }
  }
  return out;
}
