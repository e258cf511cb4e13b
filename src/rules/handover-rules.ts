import type { WorkingDayStep } from './process-rules';

/**
 * The clocks of a handover between inspection agencies (移交, 首问负责) and of a referral to a body outside
 * inspection (转介: labour arbitration, a court, legal aid, a work-injury office). Working-day clocks, turned into
 * instants by the API on the holiday calendar when the process starts. No law, DOMAIN.md or seed gives either
 * figure: both are local configuration, and a city changes them here.
 */
export interface HandoverRules {
  /** The receiving inspection agency accepts or returns the case by the end of the n-th working day after it was handed over. */
  answer: WorkingDayStep;
  /** The body outside inspection acknowledges the referral by the end of the n-th working day after it was sent. */
  referralAcknowledgement: WorkingDayStep;
}

export const handoverRules: HandoverRules = {
  answer: {
    counting: 'WORKING_DAYS',
    workingDays: 3,
    source:
      'local configuration: the receiving agency accepts or returns within 3 working days (no law, DOMAIN.md or seed gives a figure); missed once, it is escalated to the sender’s supervisor',
  },
  referralAcknowledgement: {
    counting: 'WORKING_DAYS',
    workingDays: 5,
    source:
      'local configuration: the receiving body acknowledges within 5 working days (no law, DOMAIN.md or seed gives a figure); missed once, it is escalated to the sender’s supervisor',
  },
};
