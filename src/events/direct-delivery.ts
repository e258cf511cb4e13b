import type { ExecutionResult } from 'graphql';
import type { FeedChannel, FeedEntry, FeedSink } from './case-event-feed';

/** The socket as direct delivery uses it: `ws`'s WebSocket (graphql-ws's `ctx.extra.socket`). */
export interface FrameSocket {
  readonly readyState: number;
  /** Bytes given to `send` and not yet handed to the kernel. */
  readonly bufferedAmount: number;
  send(data: string): void;
}

/** `WebSocket.OPEN`. */
const OPEN = 1;

/**
 * A socket holding more than this not yet written to the kernel is behind: its subscriber's entries stop going
 * out directly and are queued on its subscription, where graphql-ws sends one at a time, each after the last was
 * written (so the socket paces it); past the feed's `maxQueued` it leaves its group and reads for itself from the
 * database when it has caught up. Nothing is dropped and memory per slow subscriber stays bounded.
 */
export const MAX_BUFFERED_BYTES = 256 * 1024;

/** Deliveries made directly and ones handed back to the iterator, in this process (for the tests and the bench). */
export const directDeliveryStats = { direct: 0, queued: 0 };

/**
 * The `next` message's payload as graphql-ws's server builds it from a result (the `onNext` hook's answer, or the
 * result without `errors` when there are none): the direct path must send the bytes graphql-ws would.
 */
export type NextPayload = (result: ExecutionResult) => unknown;

/** graphql-ws's own `next` payload when there is no `onNext` hook. */
export const graphqlWsNextPayload: NextPayload = (result) => {
  const { errors, ...rest } = result;
  return errors ? { ...rest, errors: errors.map((e) => e.toJSON()) } : rest;
};

/**
 * One rendering of each entry for every subscriber that would be sent the same bytes for it: the same rows (its
 * feed group), the same document and variables, the same caller's agency, kind and roles (`shared-execution.ts`).
 * The entry is executed and its `next` message serialised once, as the frame after the subscription id
 * (`,"type":"next","payload":…}`); each member's frame is its own prebuilt `{"id":"…"` and that tail.
 */
export class FrameChannel implements FeedChannel {
  private entryId: string | undefined;
  private tail: string | undefined;
  /** Live sinks on this channel; the owner drops the channel when it reaches 0. */
  members = 0;

  constructor(
    private readonly run: (entry: FeedEntry) => ExecutionResult | Promise<ExecutionResult>,
    private readonly payloadOf: NextPayload,
  ) {}

  prepare(entry: FeedEntry): void | Promise<void> {
    if (this.entryId === entry.id) return;
    this.entryId = undefined;
    this.tail = undefined;
    let result: ExecutionResult | Promise<ExecutionResult>;
    try {
      result = this.run(entry);
    } catch {
      return; // not prepared: the members get it through the iterator, where the error is reported as it always is
    }
    if (isPromise(result))
      return result.then(
        (r) => this.set(entry.id, r),
        () => undefined,
      );
    this.set(entry.id, result);
  }

  /** The frame after the id for `entry`, if it is the one prepared. */
  frameTail(entry: FeedEntry): string | undefined {
    return this.entryId === entry.id ? this.tail : undefined;
  }

  private set(id: string, result: ExecutionResult): void {
    try {
      this.tail = `,"type":"next","payload":${JSON.stringify(this.payloadOf(result))}}`;
      this.entryId = id;
    } catch {
      // left unprepared, as above
    }
  }
}

/** One subscription's direct way out: its socket, its id spliced in front of its channel's frame. */
export class FrameSink implements FeedSink {
  private readonly head: string;

  constructor(
    readonly channel: FrameChannel,
    private readonly socket: FrameSocket,
    id: string,
  ) {
    this.head = `{"id":${JSON.stringify(id)}`;
  }

  deliver(entry: FeedEntry): boolean {
    const tail = this.channel.frameTail(entry);
    if (tail === undefined || this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      directDeliveryStats.queued++;
      return false;
    }
    // As graphql-ws's send: nothing goes to a socket that is closing; its subscription ends with it.
    if (this.socket.readyState === OPEN) this.socket.send(this.head + tail);
    directDeliveryStats.direct++;
    return true;
  }
}

function isPromise<T>(x: T | Promise<T>): x is Promise<T> {
  return typeof (x as Promise<T> | null)?.then === 'function';
}
