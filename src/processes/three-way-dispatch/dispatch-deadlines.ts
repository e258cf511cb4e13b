import { addWorkingDays } from '../../domain/working-days';
import { dispatchRules, type DispatchRules } from '../../rules/process-rules';

export interface DispatchDeadlines {
  acknowledgeDue: Date;
  reportDue: Date;
  /** Each rung of the escalation ladder, for the acknowledgement and for the report. */
  ladder: Array<{ level: string; acknowledgeAt: Date; reportAt: Date }>;
}

/** A dispatch's deadlines on the working-day calendar (holidays and adjusted working days included). */
export function dispatchDeadlines(sentAt: Date, rules: DispatchRules = dispatchRules): DispatchDeadlines {
  const acknowledgeDue = addWorkingDays(sentAt, rules.acknowledge.workingDays);
  const reportDue = addWorkingDays(sentAt, rules.firstReport.workingDays);
  return {
    acknowledgeDue,
    reportDue,
    ladder: rules.escalationLadder.map((rung) => ({
      level: rung.level,
      acknowledgeAt: addWorkingDays(acknowledgeDue, rung.afterWorkingDays),
      reportAt: addWorkingDays(reportDue, rung.afterWorkingDays),
    })),
  };
}
