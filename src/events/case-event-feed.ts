import type { Actor } from '../core/execution-context';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { unauthenticated } from '../domain/errors';
import { caseScope, processEntryScope } from '../policy/case-scope';
import type { Orm } from '../db/database';
import { REGION_AND_BELOW_SQL } from '../regions/region-scope';
import type { FeedHorizon } from './feed-horizon';

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
 * What renders an entry for a set of subscribers that receive the same bytes for it (same rows, same document,
 * same caller's agency, kind and roles): see `direct-delivery.ts`. A group prepares each entry once per channel
 * among its members before it hands the entry out, so that the hand-out itself is synchronous.
 */
export interface FeedChannel {
  prepare(entry: FeedEntry): void | Promise<void>;
}

/**
 * A subscriber's direct way out: while its consumer is idle (waiting on `next()` with nothing queued) the group
 * hands it each entry through `deliver`, synchronously, instead of through the iterator's promise chain.
 */
export interface FeedSink {
  readonly channel: FeedChannel;
  /**
   * Sends the prepared entry now and answers true; false when it cannot (not prepared for this entry, or the
   * socket is behind): the entry is then queued and goes through the iterator, paced by the socket.
   */
  deliver(entry: FeedEntry): boolean;
}

/**
 * The case-file feed of one API process: every subscriber's entries, read from the table, filtered and
 * authorized in the SQL exactly like queries, in order, after its cursor, then live.
 *
 * Live subscribers are grouped by the rows they may see (the caller's scope and the filter). A group reads each
 * new page once, when the horizon moves, and hands every entry to each member: a thousand subscribers of one
 * agency cost one query and one pass per commit. A subscriber reads on its own only to catch up (it resumed from
 * an old cursor, or fell behind), and joins its group when it has reached it.
 */
export class CaseEventFeed {
  private readonly groups = new Map<string, FeedGroup>();
  private readonly stopListening: () => void;
  /**
   * Catch-up reads shared by subscribers that would run the same query: the same group and range. Subscribers
   * resuming together from the same cursor read each page once.
   */
  private readonly reads = new Map<string, Promise<FeedEntry[]>>();

  constructor(
    readonly orm: Orm,
    readonly horizon: FeedHorizon,
    /** Entries queued for a slow subscriber before it leaves its group and reads for itself when it comes back. */
    readonly maxQueued = 5_000,
  ) {
    this.stopListening = horizon.onAdvance(() => {
      for (const group of this.groups.values()) void group.pull();
    });
  }

  /** Open subscriptions in this process. */
  get subscribers(): number {
    return this.open.size;
  }

  /** Subscriptions that are live in a group (the rest are catching up on their own). */
  get live(): number {
    let n = 0;
    for (const group of this.groups.values()) n += group.members.size;
    return n;
  }

  /** @internal every subscription not yet returned, in a group or catching up */
  readonly open = new Set<FeedSubscription>();

  /**
   * The stream of the entries `actor` may see, matching `filter`, after the cursor `after` (or from now). Its
   * `return()` ends it at once, whatever it is waiting for.
   */
  subscribe(actor: Actor | undefined, filter: CaseEventFilter, after?: string | null): FeedSubscription {
    if (!actor?.agencyKind) throw unauthenticated('sign in: subscriptions need a token (connection parameter `authorization`)');
    let cursor: bigint | undefined;
    if (after) {
      cursor = BigInt(decodeCursor(after, ['integer'])[0]!);
    }
    // Without a cursor it is live from this call: it starts at the horizon as last read, so an entry committed
    // before its first read is not skipped (it may also get a few committed just before the call).
    return new FeedSubscription(this, feedQuery(actor, filter), cursor ?? this.horizon.top);
  }

  stop(): void {
    this.stopListening();
    for (const subscription of [...this.open]) void subscription.return();
  }

  /** Where the group that sees what `query` selects has handed out to, if there is one. */
  groupCursor(query: FeedQuery): bigint | undefined {
    return this.groups.get(query.key)?.cursor;
  }

  /**
   * Makes `member`, caught up to `cursor`, a member of its group (made for it if there is none). A new group
   * starts at the horizon `top` even when the member's cursor is past it (a cursor another process gave out):
   * nothing beyond the horizon is final yet, and the member skips what it already has.
   */
  join(query: FeedQuery, member: FeedSubscription, cursor: bigint, top: bigint): FeedGroup {
    let group = this.groups.get(query.key);
    if (!group) {
      group = new FeedGroup(this, query, cursor < top ? cursor : top);
      this.groups.set(query.key, group);
    }
    group.add(member);
    void group.pull(); // the horizon may have moved while the member was catching up
    return group;
  }

  /** A group with no members is dropped; its next member starts a new one at the horizon. */
  leave(group: FeedGroup, member: FeedSubscription): void {
    group.remove(member);
    if (group.members.size === 0 && this.groups.get(group.query.key) === group) this.groups.delete(group.query.key);
  }

  /** The entries of (from, to] that `query` selects, at most a page. */
  read(query: FeedQuery, from: bigint, to: bigint): Promise<FeedEntry[]> {
    const key = `${query.key}|${from}|${to}`;
    let p = this.reads.get(key);
    if (!p) {
      p = this.orm.em
        .getConnection()
        .execute<Row[]>(query.sql, [from.toString(), to.toString(), ...query.params, PAGE])
        .then((rows) => rows.map(toEntry));
      this.reads.set(key, p);
      const forget = () => setTimeout(() => this.reads.delete(key), 1_000).unref();
      p.then(forget, forget);
    }
    return p;
  }
}

/** Live subscribers that see the same rows. `cursor`: every entry up to it has been handed to the members. */
class FeedGroup {
  readonly members = new Set<FeedSubscription>();
  /** The channels of the members with a direct sink, with how many members each: what `prepare` renders for. */
  private readonly channels = new Map<FeedChannel, number>();
  private pulling = false;
  private again = false;

  constructor(
    private readonly feed: CaseEventFeed,
    readonly query: FeedQuery,
    public cursor: bigint,
  ) {}

  /**
   * Renders `entry` once for each channel among the members with a direct sink; a promise only when a channel's
   * rendering is asynchronous (a member that joins meanwhile with an unprepared channel gets it queued).
   */
  private prepare(entry: FeedEntry): Promise<unknown> | undefined {
    let waits: Array<void | Promise<void>> | undefined;
    for (const channel of this.channels.keys()) {
      const r = channel.prepare(entry);
      if (r) (waits ??= []).push(r);
    }
    return waits && Promise.all(waits);
  }

  add(member: FeedSubscription): void {
    if (this.members.has(member)) return;
    this.members.add(member);
    const channel = member.sink?.channel;
    if (channel) this.channels.set(channel, (this.channels.get(channel) ?? 0) + 1);
  }

  remove(member: FeedSubscription): void {
    if (!this.members.delete(member)) return;
    const channel = member.sink?.channel;
    if (!channel) return;
    const n = (this.channels.get(channel) ?? 1) - 1;
    if (n > 0) this.channels.set(channel, n);
    else this.channels.delete(channel);
  }

  /** Reads what the horizon's move brought and hands it out; a move during a read brings another read. */
  async pull(): Promise<void> {
    if (this.pulling) {
      this.again = true;
      return;
    }
    this.pulling = true;
    try {
      do {
        this.again = false;
        for (
          let top = this.feed.horizon.top ?? this.cursor;
          this.cursor < top && this.members.size > 0;
          top = this.feed.horizon.top ?? top
        ) {
          const page = await this.feed.read(this.query, this.cursor, top);
          for (const entry of page) {
            const preparing = this.prepare(entry);
            if (preparing) await preparing;
            const id = BigInt(entry.id); // once per entry, not per member
            for (const member of this.members) member.push(entry, id);
          }
          this.cursor = page.length === PAGE ? BigInt(page[page.length - 1]!.id) : top;
        }
      } while (this.again);
    } catch {
      // The members catch up on their own from where they are; the error reaches each one that reads again.
      for (const member of [...this.members]) member.detach();
    } finally {
      this.pulling = false;
    }
  }
}

/**
 * One subscriber's stream. It catches up by reading from its cursor, then joins its group and is handed live
 * entries. Not an async generator: one of those waiting for the next entry would hold a `return()` until an
 * entry arrived, and a subscriber that went away would stay for as long as nothing matched its filter.
 */
export class FeedSubscription implements AsyncIterableIterator<FeedEntry> {
  private readonly queue: FeedEntry[] = [];
  /** Set by the transport (`attach`): live entries go out through it while the consumer is idle. */
  private attached: FeedSink | undefined;
  private group: FeedGroup | undefined;
  private waiting: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly feed: CaseEventFeed,
    private readonly query: FeedQuery,
    /** The last entry handed to this subscriber (queued or delivered); undefined until it has a starting point. */
    private cursor: bigint | undefined,
  ) {
    feed.open.add(this);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Names the rows this subscriber sees (its caller's scope and its filter): equal keys, equal rows. */
  get rowsKey(): string {
    return this.query.key;
  }

  async next(): Promise<IteratorResult<FeedEntry>> {
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      const entry = this.queue.shift();
      if (entry) return { done: false, value: entry };
      if (!this.group) await this.catchUp();
      else await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  async return(): Promise<IteratorResult<FeedEntry>> {
    this.close();
    return { done: true, value: undefined };
  }

  async throw(err: unknown): Promise<IteratorResult<FeedEntry>> {
    this.close();
    throw err;
  }

  /**
   * Gives live entries a direct way out (see FeedSink). Only while the consumer is idle, so an entry sent directly
   * never overtakes one still on its way through the iterator: the order per subscriber is the feed's.
   */
  attach(sink: FeedSink): void {
    if (this.group) throw new Error('a sink is attached before the subscription joins its group');
    this.attached = sink;
  }

  get sink(): FeedSink | undefined {
    return this.attached;
  }

  /** Called by the group, in order; entries it already has are skipped (it may have read past the group). */
  push(entry: FeedEntry, id = BigInt(entry.id)): void {
    if (this.cursor !== undefined && id <= this.cursor) return;
    // Idle (`waiting`: its consumer has handled everything before and asked for more): sent at once, synchronously.
    if (this.waiting && this.attached && this.queue.length === 0 && this.attached.deliver(entry)) {
      this.cursor = id;
      return;
    }
    if (this.queue.length >= this.feed.maxQueued) return this.detach();
    this.cursor = id;
    this.queue.push(entry);
    this.wake();
  }

  /** Leaves the group; the next read starts from this subscriber's own cursor. */
  detach(): void {
    if (!this.group) return;
    this.feed.leave(this.group, this);
    this.group = undefined;
    this.wake();
  }

  /** Reads one page from its cursor toward its group's, or joins the group once it has caught up. */
  private async catchUp(): Promise<void> {
    const top = await this.feed.horizon.current();
    if (this.closed) return;
    this.cursor ??= top;
    const target = this.feed.groupCursor(this.query) ?? top;
    if (this.cursor >= target) {
      // Nothing between: everything after the group's cursor will be handed to this member, and whatever it has
      // already read past the group's cursor is skipped.
      this.group = this.feed.join(this.query, this, this.cursor, top);
      return;
    }
    const page = await this.feed.read(this.query, this.cursor, target);
    if (this.closed) return;
    this.queue.push(...page);
    this.cursor = page.length === PAGE ? BigInt(page[page.length - 1]!.id) : target;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.group) this.feed.leave(this.group, this);
    this.group = undefined;
    this.feed.open.delete(this);
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}

/** What one subscriber may see and asked for, as SQL over (from, to]; `key` names it for sharing. */
interface FeedQuery {
  key: string;
  sql: string;
  params: unknown[];
}

function feedQuery(actor: Actor, filter: CaseEventFilter): FeedQuery {
  const scope = caseScope(actor);
  const visibleEntries = processEntryScope(actor);
  const where = [scope.sql, visibleEntries.sql];
  const params: unknown[] = [...scope.params, ...visibleEntries.params];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (filter.caseId) add('c.id = ?', filter.caseId);
  if (filter.regionCode) add(`c.region_code in (${REGION_AND_BELOW_SQL})`, filter.regionCode);
  if (filter.agencyId) add('c.owning_agency_id = ?', filter.agencyId);
  if (filter.employerId) add('c.employer_id = ?', filter.employerId);
  if (filter.projectId) add('c.project_id = ?', filter.projectId);
  if (filter.types?.length) add('e.type in (?)', [...filter.types].sort());
  const sql = `select e.id::text as id, e.case_id, c.number, e.seq, e.type, e.at, e.actor_user_id, e.actor_agency_id, e.payload, e.before, e.after
                 from case_event e join wage_case c on c.id = e.case_id
                where e.id > ? and e.id <= ? and ${where.join(' and ')}
                order by e.id limit ?`;
  return { key: JSON.stringify([where, params]), sql, params };
}

function toEntry(r: Row): FeedEntry {
  return {
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
