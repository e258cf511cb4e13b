/**
 * Bounds on what callers may tell the system: dates that cannot be true, amounts no wage case reaches. No statute
 * gives these figures; each is local practice, chosen so that no real case is refused and a typo (1900, 2099, an
 * extra six zeros) is. A city changes them here.
 */
export const intakeBounds = {
  receivedAt: {
    /** Clocks of the channels' systems drift: a receipt a minute "in the future" is accepted. */
    futureToleranceSeconds: 60,
    /**
     * How long ago a channel may say it received a complaint. Local practice: two years, the limit within which a
     * violation can still be investigated (劳动保障监察条例 第二十条), so an older receipt is a typo, not a case.
     */
    maxBackdatedDays: 730,
    source: 'local practice (no statute sets a limit on backdated receipts); 2 years after 劳动保障监察条例 第二十条',
  },
} as const;

export const paymentBounds = {
  paidOn: {
    /** A payment is recorded after it is made: not after today in Beijing. */
    notAfterToday: true,
    /** Wages paid long before the complaint belong to an earlier case: at most this many days before receipt. */
    maxDaysBeforeReceipt: 730,
    source: 'local practice (no statute gives a figure); 2 years after 劳动保障监察条例 第二十条',
  },
} as const;

/**
 * Money is integer fen, exact end to end. JSON numbers (and JavaScript's) are exact to 2^53 fen; one amount is
 * capped far below that, at ¥100 billion, which no wage claim or payment reaches (seed 000's mass incident was
 * ¥637,130), and a case's running total is refused before it could pass 2^53. Local practice.
 */
export const moneyBounds = {
  maxAmountFen: 10_000_000_000_000,
  source: 'local practice (no statute gives a figure): ¥100,000,000,000 per amount',
} as const;
