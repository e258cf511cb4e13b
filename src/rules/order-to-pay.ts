/**
 * The order to pay (限期支付 / 劳动保障监察限期改正指令书) and additional compensation (加付赔偿金), as data with
 * their sources. The workflow (in Temporal's sandbox) and the service read the same figures.
 */
export interface OrderToPayRules {
  /** The order itself: the period to pay is set by the inspector in each order; no law fixes a number of days. */
  order: { source: string };
  /** The deadline's clock: the order is missed when the end of its due day (Beijing) passes unpaid. */
  deadline: { source: string };
  /** 加付赔偿金: a percentage of the amount ordered, fixed by the agency within this range, when the order is missed. */
  additionalCompensation: { minPercent: number; maxPercent: number; rounding: string; source: string };
}

export const orderToPayRules: OrderToPayRules = {
  order: {
    source:
      '劳动保障监察条例 第二十六条: the labour security department orders the employer to pay wages owed within a set period (责令限期支付); the period is the inspector’s, in each order (no figure in law)',
  },
  deadline: {
    source:
      'the order’s own deadline (劳动保障监察条例 第二十六条); it ends at 24:00 Beijing time of the due day, as a period’s last day does (民法典 第二百零三条)',
  },
  additionalCompensation: {
    minPercent: 50,
    maxPercent: 100,
    rounding:
      'per worker, the amount ordered × rate ÷ 100, rounded half up to the fen; the total is the sum of the workers’ amounts (local practice: no source gives a rounding)',
    source:
      '劳动保障监察条例 第二十六条 / 劳动合同法 第八十五条: unpaid by the deadline, the employer is ordered to pay the workers additional compensation of 50% to 100% of the amount owed',
  },
};

/** A whole-number percentage of an amount in fen, rounded half up to the fen (integers only: no floating point). */
export function percentOfFen(amountFen: number, percent: number): number {
  return Math.floor((amountFen * percent + 50) / 100);
}
