/**
 * The clocks a case lives by, as data with their legal source. A case takes the strictest (earliest) of the
 * statutory clock and its channel's clock. A city changes these here; code never hard-codes a deadline.
 */
export type Channel =
  'HOTLINE_12345' | 'HOTLINE_12333' | 'NATIONAL_PLATFORM' | 'PROVINCIAL_SYSTEM' | 'QR_FORM' | 'WALK_IN' | 'GRID_PATROL' | 'POLICE_ALERT';

export interface SameDayContactRule {
  /** Arrivals at or after this Beijing time (or on a non-working day) are "night arrivals". */
  nightStartsAt: string;
  /** Night arrivals must be contacted by this time on the next working day. */
  nextWorkingMorningEndsAt: string;
  source: string;
}

export interface WorkingDayClock {
  workingDays: number;
  source: string;
}

export interface CaseDeadlineRules {
  sameDayContact: SameDayContactRule;
  acceptance: WorkingDayClock;
  resolution: WorkingDayClock;
  resolutionExtension: WorkingDayClock;
  /** Channels whose own rules are stricter than the statute. */
  channels: Partial<Record<Channel, { acceptance?: WorkingDayClock; resolution?: WorkingDayClock }>>;
}

export const caseDeadlineRules: CaseDeadlineRules = {
  sameDayContact: {
    nightStartsAt: '18:00',
    nextWorkingMorningEndsAt: '12:00',
    source: '首日对接 (same-day contact): local practice of answer-on-receipt (接诉即办); DOMAIN.md §4.2',
  },
  acceptance: {
    workingDays: 5,
    source: '关于实施《劳动保障监察条例》若干规定 第十八条: accept or reject within 5 working days of receipt',
  },
  resolution: {
    workingDays: 60,
    source: '劳动保障监察条例 第十七条: investigation finishes within 60 working days of acceptance',
  },
  resolutionExtension: {
    workingDays: 30,
    source: '劳动保障监察条例 第十七条: extendable once by 30 working days with the department head’s approval',
  },
  channels: {
    HOTLINE_12345: {
      acceptance: {
        workingDays: 1,
        source:
          'local configuration: no law or seed gives this figure (acceptance by the next working day for 12345 calls; seed 000 says only that the 12345 hotline’s time limits are shorter than the labour-inspection statute’s)',
      },
      resolution: {
        workingDays: 15,
        source:
          'local configuration: no law or seed gives this figure (an answer within 15 working days for 12345 calls; seed 000 says only that the 12345 hotline’s time limits are shorter than the labour-inspection statute’s)',
      },
    },
  },
};
