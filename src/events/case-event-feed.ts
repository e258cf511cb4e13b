import type { Actor } from '../api/context';
import { decodeCursor, encodeCursor } from '../api/pagination';
import { badUserInput, unauthenticated } from '../api/errors';
import { caseScope, processEntryScope } from '../auth/policy';
import type { Orm } from '../db/database';
import { REGION_AND_BELOW_SQL } from '../regions/region-scope';
import type { CaseEventListener } from './event-listener';

export interface CaseEventFilter {
  caseId?: string | null;
  regionCode?: string | null;
  agencyId?: string | null;
  employerId?: string | null;
  projectId?: string | null;
  types?: string[] | null;
}

export interface FeedEntry {
  cursor: string;
  id: string;
  caseId: string;
  caseNumber: string;
  seq: number;
  type: string;
  at: Date;
  actorUserId: string | null;
  actorAgencyId: string | null;
  payload: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

interface Row {
  id: string;
  case_id: string;
  number: string;
  seq: number;
  type: string;
  at: Date;
  actor_user_id: string | null;
  actor_agency_id: string | null;
  payload: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const PAGE = 500;

/**
 * The highest entry id below which every entry is final: committed, or known never to come (rolled back).
 * Ids are handed out when a transaction inserts, not when it commits, so a reader that moved past a gap could
 * miss an entry committed later. A gap is waited on until every transaction that was running when it was first
 * seen has finished; then it is a rollback. Shared by the subscribers of one API process; calls coalesce.
 */
export class FeedHorizon {
  /**
   * Reads shared by subscribers that would run the same query: same scope and filter, same (cursor, top]. Under
   * a burst, a thousand subscribers of one agency move in step, so they read each page once, not a thousand times.
   */
  private readonly reads = new Map<string, Promise<Row[]>>();

  sharedRead(key: string, read: () => Promise<Row[]>): Promise<Row[]> {
    let p = this.reads.get(key);
    if (!p) {
      p = read();
      this.reads.set(key, p);
      // Kept for a moment after it settles, for the subscribers still on their way to the same page.
      const forget = () => setTimeout(() => this.reads.delete(key), 1_000).unref();
      p.then(forget, forget);
    }
    return p;
  }

  private safe: bigint | undefined;
  private gap: { id: bigint; xmax: bigint } | undefined;
  private running: Promise<bigint> | undefined;

  constructor(private readonly orm: Orm) {}

  advance(): Promise<bigint> {
    this.running ??= this.step().finally(() => (this.running = undefined));
    return this.running;
  }

  private async step(): Promise<bigint> {
    const conn = this.orm.em.getConnection();
    if (this.safe === undefined) {
      const [row] = await conn.execute<Array<{ max: string | null }>>('select max(id)::text as max from case_event');
      this.safe = BigInt(row?.max ?? '0');
    }
    let safe: bigint = this.safe;
    const ids = await conn.execute<Array<{ id: string }>>('select id::text as id from case_event where id > ? order by id limit 5000', [safe.toString()]);
    const [snap] = (await conn.execute<Array<{ xmin: string; xmax: string }>>('select pg_snapshot_xmin(s)::text as xmin, pg_snapshot_xmax(s)::text as xmax from pg_current_snapshot() s')) as [{ xmin: string; xmax: string }];
    try {
      for (const { id } of ids) {
        const next = BigInt(id);
        while (next > safe + 1n) {
          const missing: bigint = safe + 1n;
          if (this.gap?.id === missing && BigInt(snap.xmin) >= this.gap.xmax) {
            safe = missing; // every transaction that could have held it has ended: it was rolled back
            this.gap = undefined;
            continue;
          }
          if (this.gap?.id !== missing) this.gap = { id: missing, xmax: BigInt(snap.xmax) };
          return safe;
        }
        safe = next;
        if (this.gap && this.gap.id <= next) this.gap = undefined;
      }
      return safe;
    } finally {
      this.safe = safe;
    }
  }
}

/**
 * A subscriber's stream of case-file entries: everything after its cursor, in order, then live entries as they
 * commit — read from the table, filtered and authorized in the SQL exactly like queries.
 */
export async function* caseEventStream(deps: { orm: Orm; horizon: FeedHorizon; listener: CaseEventListener }, actor: Actor | undefined, filter: CaseEventFilter, after?: string | null): AsyncGenerator<FeedEntry> {
  if (!actor?.agencyKind) throw unauthenticated('sign in: subscriptions need a token (connection parameter `authorization`)');
  let cursor: bigint;
  if (after) {
    try {
      cursor = BigInt(decodeCursor(after, 1)[0] as string);
    } catch {
      throw badUserInput('after', 'cursor', 'is not a cursor this feed gave out');
    }
  } else cursor = await deps.horizon.advance();

  const scope = caseScope(actor);
  const entries = processEntryScope(actor);
  const where = [scope.sql, entries.sql];
  const params: unknown[] = [...scope.params, ...entries.params];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (filter.caseId) add('c.id = ?', filter.caseId);
  if (filter.regionCode) add(`c.region_code in (${REGION_AND_BELOW_SQL})`, filter.regionCode);
  if (filter.agencyId) add('c.owning_agency_id = ?', filter.agencyId);
  if (filter.employerId) add('c.employer_id = ?', filter.employerId);
  if (filter.projectId) add('c.project_id = ?', filter.projectId);
  if (filter.types?.length) add('e.type in (?)', filter.types);

  let woken = true;
  let wake: (() => void) | undefined;
  const unsubscribe = deps.listener.onWake(() => {
    woken = true;
    wake?.();
  });
  try {
    for (;;) {
      woken = false;
      const top = await deps.horizon.advance();
      if (top > cursor) {
        const from = cursor.toString();
        const to = top.toString();
        const rows = await deps.horizon.sharedRead(JSON.stringify([where, params, from, to]), () =>
          deps.orm.em.getConnection().execute<Row[]>(
            `select e.id::text as id, e.case_id, c.number, e.seq, e.type, e.at, e.actor_user_id, e.actor_agency_id, e.payload, e.before, e.after
               from case_event e join wage_case c on c.id = e.case_id
              where e.id > ? and e.id <= ? and ${where.join(' and ')}
              order by e.id limit ?`,
            [from, to, ...params, PAGE],
          ),
        );
        for (const r of rows) {
          cursor = BigInt(r.id);
          yield {
            cursor: encodeCursor([r.id]),
            id: r.id,
            caseId: r.case_id,
            caseNumber: r.number,
            seq: r.seq,
            type: r.type,
            at: new Date(r.at),
            actorUserId: r.actor_user_id,
            actorAgencyId: r.actor_agency_id,
            payload: r.payload,
            before: r.before,
            after: r.after,
          };
        }
        if (rows.length === PAGE) continue;
        cursor = top;
      }
      if (!woken) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    unsubscribe();
  }
}
