import type { Connection } from '@temporalio/client';
import { databaseIsUp, type Orm } from '../db/database';

export type ServiceState = 'UP' | 'DOWN';

/** Answers whether the two services the system depends on are reachable now. */
export class HealthService {
  constructor(
    private readonly orm: Orm,
    private readonly temporal: Connection,
    private readonly timeoutMs = 2000,
  ) {}

  async database(): Promise<ServiceState> {
    return (await withTimeout(databaseIsUp(this.orm), this.timeoutMs, false)) ? 'UP' : 'DOWN';
  }

  async temporalServer(): Promise<ServiceState> {
    try {
      const reply = await this.temporal.withDeadline(Date.now() + this.timeoutMs, () => this.temporal.healthService.check({}));
      // 1 = SERVING in the gRPC health protocol
      return reply.status === 1 ? 'UP' : 'DOWN';
    } catch {
      return 'DOWN';
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([p, new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms).unref())]);
}
