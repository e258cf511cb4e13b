import { propagation, context, trace } from '@opentelemetry/api';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { Orm } from '../db/database';

/**
 * With tracing on, every transaction begun inside a span tells PostgreSQL that span's W3C `traceparent`
 * (`anxin.traceparent`, transaction-local): the workflow outbox's column default records it on each row the
 * transaction writes, whoever writes it (TypeScript or a database function), and the relay that delivers the row
 * continues the trace (src/outbox/outbox-relay.ts). One statement more per traced transaction; none when tracing is
 * off (the subscriber is not registered) or outside a span.
 */
export class TransactionTraceSubscriber implements EventSubscriber {
  async afterTransactionStart(args: TransactionEventArgs): Promise<void> {
    const traceparent = currentTraceparent();
    if (!traceparent) return;
    await args.em.getConnection().execute(`select set_config('anxin.traceparent', ?, true)`, [traceparent], 'run', args.transaction);
  }
}

/** The active span's W3C `traceparent` header value, if a span is active (tracing on). */
export function currentTraceparent(): string | undefined {
  if (!trace.getSpan(context.active())) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Registers the subscriber on an opened ORM (the traced processes' composition root). */
export function recordTraceparentOnTransactions(orm: Orm): void {
  orm.em.getEventManager().registerSubscriber(new TransactionTraceSubscriber());
}
