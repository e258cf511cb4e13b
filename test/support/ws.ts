import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What one operation over graphql-ws came to: a result, an `error` message, the socket closing, or still open. */
export interface WsOutcome {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  /** The socket was closed with this code before any answer. */
  closeCode?: number;
  /** A subscription accepted and still running when we stopped waiting. */
  open?: boolean;
}

/** One graphql-ws connection (the `graphql-ws` client over `ws`), for sending operations as a client would. */
export class WsCaller {
  private readonly client: Client;
  private closeCode: number | undefined;

  constructor(httpUrl: string, authorization?: string) {
    this.client = createClient({
      url: httpUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { authorization } : {},
      retryAttempts: 0,
      // One socket for all of this caller's operations, open until disposed, as a real client keeps it (a lazy
      // client would close it between operations, and each new connection spends a point of the rate budget).
      lazy: false,
      onNonLazyError: () => undefined,
      on: { closed: (e) => void (this.closeCode = (e as { code?: number }).code) },
    });
  }

  /** Sends one operation; resolves with its first answer, or `open` after `waitMs` for a running subscription. */
  run(query: string, variables?: Record<string, unknown>, waitMs = 2_000): Promise<WsOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (o: WsOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        resolve(o);
      };
      const timer = setTimeout(() => settle({ open: true }), waitMs);
      const unsubscribe = this.client.subscribe<Record<string, unknown>>(
        { query, variables },
        {
          next: (r) => settle({ data: r.data, errors: r.errors as WsOutcome['errors'] }),
          error: (e) => {
            if (Array.isArray(e)) settle({ errors: e as WsOutcome['errors'] });
            else settle({ closeCode: (e as { code?: number }).code ?? this.closeCode });
          },
          complete: () => settle({}),
        },
      );
    });
  }

  /**
   * Starts a subscription and keeps it running: resolves with `open` and its `stop` after `waitMs` without an
   * answer, or with its first answer (the subscription then stopped).
   */
  start(query: string, variables?: Record<string, unknown>, waitMs = 300): Promise<WsOutcome & { stop(): void }> {
    return new Promise((resolve) => {
      let answered = false;
      const stop = this.client.subscribe<Record<string, unknown>>(
        { query, variables },
        {
          next: (r) => answer({ data: r.data, errors: r.errors as WsOutcome['errors'] }),
          error: (e) =>
            answer(
              Array.isArray(e) ? { errors: e as WsOutcome['errors'] } : { closeCode: (e as { code?: number }).code ?? this.closeCode },
            ),
          complete: () => answer({}),
        },
      );
      const timer = setTimeout(() => {
        answered = true;
        resolve({ open: true, stop });
      }, waitMs);
      const answer = (o: WsOutcome) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        stop();
        resolve({ ...o, stop });
      };
    });
  }

  dispose(): Promise<void> {
    return Promise.resolve(this.client.dispose());
  }
}

/** One operation on a connection of its own. */
export async function wsOnce(
  httpUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  authorization?: string,
  waitMs?: number,
): Promise<WsOutcome> {
  const caller = new WsCaller(httpUrl, authorization);
  try {
    return await caller.run(query, variables, waitMs);
  } finally {
    await caller.dispose();
  }
}
