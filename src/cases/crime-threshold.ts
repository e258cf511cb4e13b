import type { PoliceReferralRules } from '../rules/process-rules';

export type CrimeThreshold = PoliceReferralRules['crimeThreshold'];

/** What is still owed to one worker of the roster, and for how many months. */
export interface OwedLine {
  monthsOwed: number;
  outstandingFen: number;
}

export type ThresholdAnswer = { met: true; condition: 'ONE_WORKER' | 'MANY_WORKERS' } | { met: false; why: string };

/**
 * 拒不支付劳动报酬罪's amount condition (2013 interpretation art. 3), worker by worker. With a roster: one worker
 * owed `months`+ months and at least the one-worker figure, or `workers`+ workers still owed something and at least
 * the total figure in all. Without a roster, no worker's months or amount are known: only the many-workers
 * condition can be met, from the number of workers affected and the case's outstanding total.
 */
export function crimeThresholdMet(
  t: CrimeThreshold,
  c: { roster: ReadonlyArray<OwedLine> | null; workersAffected: number | null; outstandingFen: number },
): ThresholdAnswer {
  const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('en-US')}`;
  if (c.roster && c.roster.length > 0) {
    const owed = c.roster.filter((l) => l.outstandingFen > 0);
    if (owed.some((l) => l.monthsOwed >= t.oneWorker.months && l.outstandingFen >= t.oneWorker.amountFen))
      return { met: true, condition: 'ONE_WORKER' };
    const total = owed.reduce((s, l) => s + l.outstandingFen, 0);
    if (owed.length >= t.manyWorkers.workers && total >= t.manyWorkers.amountFen) return { met: true, condition: 'MANY_WORKERS' };
    return {
      met: false,
      why:
        `no worker of the roster is owed ${t.oneWorker.months} months or more and ${yuan(t.oneWorker.amountFen)} or more, ` +
        `and ${owed.length} workers owed ${yuan(total)} in all are not ${t.manyWorkers.workers} or more owed ${yuan(t.manyWorkers.amountFen)} or more`,
    };
  }
  const workers = c.workersAffected ?? 0;
  if (workers >= t.manyWorkers.workers && c.outstandingFen >= t.manyWorkers.amountFen) return { met: true, condition: 'MANY_WORKERS' };
  return {
    met: false,
    why:
      `the case has no roster of owed workers, so only the many-workers condition can be checked: ` +
      `${workers} workers owed ${yuan(c.outstandingFen)} outstanding are not ${t.manyWorkers.workers} or more owed ${yuan(t.manyWorkers.amountFen)} or more; ` +
      `record the owed workers (months and amounts) to check the one-worker condition`,
  };
}
