/**
 * Slots per principal (a user, or an anonymous caller's address) across all its sockets in this process: live
 * subscriptions (the per-socket cap alone let one user open 15 sockets × 20 catch-up subscriptions, each replaying
 * the feed from an early cursor, and the dashboard slowed from 15 ms to 4 s), and open anonymous sockets (which
 * can run nothing, yet piled up).
 */
export class PrincipalSlots {
  private readonly counts = new Map<string, number>();

  constructor(readonly maxPerPrincipal: number) {}

  /** Takes a slot for the principal; false when it already holds the maximum. */
  tryAcquire(principal: string): boolean {
    const n = this.counts.get(principal) ?? 0;
    if (n >= this.maxPerPrincipal) return false;
    this.counts.set(principal, n + 1);
    return true;
  }

  /** Frees a slot taken by tryAcquire (the caller makes sure it frees each slot once). */
  release(principal: string): void {
    const n = this.counts.get(principal) ?? 0;
    if (n <= 1) this.counts.delete(principal);
    else this.counts.set(principal, n - 1);
  }

  held(principal: string): number {
    return this.counts.get(principal) ?? 0;
  }
}
