import { addWorkingDays, beijingMinuteOfDay, beijingDate, endOfBeijingDay, isWorkingDay, nextWorkingDayAt } from '../domain/working-days';
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

/** The one extension the statute allows, counted on from the original resolution deadline. */
export function extendedResolutionDeadline(resolutionDue: Date, rules: CaseDeadlineRules = caseDeadlineRules): Date {
  return addWorkingDays(resolutionDue, rules.resolutionExtension.workingDays);
}
