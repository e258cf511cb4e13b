import { DateTime } from 'luxon';
import { beijingDate } from '../domain/working-days';
import { violationLimitation } from '../rules/limitation';

/** Whether the two-year limit (劳动保障监察条例 第二十条) has run out on a case's violation, and by what rule. */
export interface Limitation {
  expired: boolean;
  rule: string;
  source: string;
  startedOn: string;
  /** The day the violation ended; null while it continues (the period has not started running). */
  endedOn: string | null;
  /** The last day on which a complaint was in time; null while the violation continues. */
  lastDay: string | null;
  /** The Beijing date the first complaint of the case was received. */
  firstComplaintOn: string;
}

/** The limitation of a case whose violation period is recorded; null when it is not. */
export function limitationOf(c: {
  violationStartedOn?: string | null;
  violationEndedOn?: string | null;
  receivedAt: Date;
}): Limitation | null {
  if (!c.violationStartedOn) return null;
  const firstComplaintOn = beijingDate(c.receivedAt);
  const endedOn = c.violationEndedOn ?? null;
  // Luxon's plus({ years }) falls back to the month's last day when the date has no counterpart (29 Feb): art. 202.
  const lastDay = endedOn ? DateTime.fromISO(endedOn).plus({ years: violationLimitation.years }).toISODate()! : null;
  return {
    expired: lastDay !== null && firstComplaintOn > lastDay,
    rule: violationLimitation.rule,
    source: violationLimitation.source,
    startedOn: c.violationStartedOn,
    endedOn,
    lastDay,
    firstComplaintOn,
  };
}
