import { ReferenceKind, type EntityMetadata } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency, User } from '../agencies/agency.entity';
import { Employer } from '../employers/employer.entity';
import { Project } from '../projects/project.entity';
import { Region } from '../regions/region.entity';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { REGION_AND_BELOW_SQL } from '../regions/region-scope';
import type { CaseScope } from '../policy/case-scope';
import type { Channel } from '../rules/case-deadlines';
import { Case, type CaseStatus } from './case.entity';
import type { CaseRecord } from './case.entity';
import { OVERDUE_SQL } from './overdue';
import { GRANT_HELD_SQL, regionOnlyScope, scopeInUse } from './scope-in-use';

export interface CaseFilterInput {
  statuses?: CaseStatus[] | null;
  channels?: Channel[] | null;
  /** This region and every region below it. */
  regionCode?: string | null;
  agencyId?: string | null;
  employerId?: string | null;
  projectId?: string | null;
  receivedFrom?: Date | null;
  receivedTo?: Date | null;
  /** Cases with a deadline that has passed while the step it guards is still open. */
  overdue?: boolean | null;
  /** Words in the description, the employer's name or a complainant's name. */
  text?: string | null;
}

export type CaseOrder = 'RECEIVED_AT_DESC' | 'RECEIVED_AT_ASC';

/**
 * What a case refers to by key that a page can read in its own statement (joined by primary key), so that a list
 * with its employers, projects, leads and regions costs one round trip, not one per relation: the rows come back as
 * the loaders would load them (`ctx.loaders.employer` …), for the caller to prime the loaders with.
 */
export interface CaseRelations {
  employer: Employer;
  project: Project;
  leadInspector: User;
  region: Region;
  owningAgency: Agency;
}
export type CaseRelation = keyof CaseRelations;

const RELATIONS: { [R in CaseRelation]: { entity: new () => CaseRelations[R]; column: string; alias: string } } = {
  employer: { entity: Employer, column: 'employer_id', alias: 'r_employer' },
  project: { entity: Project, column: 'project_id', alias: 'r_project' },
  leadInspector: { entity: User, column: 'lead_inspector_id', alias: 'r_lead' },
  region: { entity: Region, column: 'region_code', alias: 'r_region' },
  owningAgency: { entity: Agency, column: 'owning_agency_id', alias: 'r_agency' },
};

/** The related rows a page read, by their keys (an empty map for a relation not asked for). */
export type RelatedRows = { [R in CaseRelation]: Map<string, CaseRelations[R]> };

/**
 * The properties of each relation the caller will read (its `FieldReads`), where it knows them: only their columns
 * are read, with the key, and the rows are partial (`RelatedRows` then holds them, and `partial` names them), not
 * rows a loader may be primed with. A relation not named here is read whole.
 */
export type RelationProperties = { [R in CaseRelation]?: ReadonlyArray<string> };

/**
 * The dashboard's case list: filters become one WHERE clause; pages are keyset pages over (received_at, id),
 * so page N costs what page 1 costs and rows inserted meanwhile do not shift the pages.
 */
export class CaseList {
  private readonly filter: CaseFilterInput;

  constructor(
    private readonly em: EntityManager,
    filter: CaseFilterInput,
    /** What the caller may see (from the policy), and whether free text may search complainants' names. */
    private readonly access: { scope: CaseScope; searchPersonNames: boolean },
  ) {
    // A status repeated in the filter would be walked once per repeat (the per-(region, status) pages) and its
    // rows listed as many times: each status and channel counts once.
    this.filter = { ...filter, statuses: distinct(filter.statuses), channels: distinct(filter.channels) };
  }

  private scoped?: Promise<CaseScope>;

  /**
   * The caller's scope as the queries use it (`scopeInUse`: the region alone for labour inspection holding no
   * cross-region grant, which takes the per-region walk and the tally). Once per list.
   */
  private scope(): Promise<CaseScope> {
    const { scope } = this.access;
    this.scoped ??= scopeInUse(this.em, scope);
    return this.scoped;
  }

  private where(scope: CaseScope): { sql: string[]; params: unknown[] } {
    const f = this.filter;
    const sql: string[] = [scope.sql];
    const params: unknown[] = [...scope.params];
    const add = (clause: string, ...values: unknown[]) => {
      sql.push(clause);
      params.push(...values);
    };
    if (f.statuses?.length) add('c.status in (?)', f.statuses);
    if (f.channels?.length) add('c.channel in (?)', f.channels);
    if (f.regionCode) {
      add(`c.region_code in (${REGION_AND_BELOW_SQL})`, f.regionCode);
    }
    if (f.agencyId) add('c.owning_agency_id = ?', f.agencyId);
    if (f.employerId) add('c.employer_id = ?', f.employerId);
    if (f.projectId) add('c.project_id = ?', f.projectId);
    if (f.receivedFrom) add('c.received_at >= ?', f.receivedFrom);
    if (f.receivedTo) add('c.received_at < ?', f.receivedTo);
    if (f.overdue === true) add(OVERDUE_SQL);
    if (f.overdue === false) add(`not ${OVERDUE_SQL}`);
    if (f.text?.trim()) {
      const like = `%${f.text.trim().replace(/[%_\\]/g, '\\$&')}%`;
      add(
        `(c.description ilike ? or c.employer_name_given ilike ?
          or exists (select 1 from employer e where e.id = c.employer_id and e.name ilike ?)
          ${this.access.searchPersonNames ? 'or exists (select 1 from case_complainant cc where cc.case_id = c.id and (cc.identified_name ilike ? or cc.stated_name ilike ?))' : ''})`,
        ...(this.access.searchPersonNames ? [like, like, like, like, like] : [like, like, like]),
      );
    }
    return { sql, params };
  }

  async page(opts: {
    first: number;
    after?: string | null;
    order: CaseOrder;
    /** The relations to read with the page, in the same statement (see `CaseRelations`). */
    include?: ReadonlyArray<CaseRelation>;
    /** Count the list in the same statement too (`count()` then answers without a query). */
    withCount?: boolean;
    /**
     * The case properties the caller will read (`CASE_FIELD_READS`), when it knows them: only their columns are read,
     * with the key and time the pages are ordered by and the keys of the relations included. Unset: whole rows.
     */
    properties?: ReadonlyArray<keyof CaseRecord>;
    /** Of the relations included, those read for some properties only (see `RelationProperties`). */
    relationProperties?: RelationProperties;
  }): Promise<{
    nodes: CaseRecord[];
    hasNextPage: boolean;
    endCursor: string | null;
    related: RelatedRows;
    /** The relations whose rows in `related` are partial (read for `relationProperties`). */
    partial: ReadonlySet<CaseRelation>;
  }> {
    const desc = opts.order === 'RECEIVED_AT_DESC';
    const dir = desc ? 'desc' : 'asc';
    const cursor = opts.after ? decodeCursor(opts.after, ['instant', 'uuid']) : null;
    const include = [...new Set(opts.include ?? [])];
    const meta = this.em.getMetadata().get(Case.name);
    const columns = caseColumns(meta, opts.properties, include);
    const statement = (scope: CaseScope) => {
      const [query, values] = this.pageQuery(scope, opts.first, dir, cursor, columns);
      const counting = opts.withCount && !this.counted ? this.countQuery(scope) : null;
      const joined = include.length || counting ? this.withRelations(query, include, counting, dir, opts.relationProperties ?? {}) : null;
      return { sql: joined?.sql ?? query, params: counting ? [...values, ...counting.params] : values, counting, joined };
    };
    let read: ReturnType<typeof statement> | undefined;
    let rows: Array<Record<string, unknown>> | undefined;
    const whole = this.access.scope;
    if (whole.regional && !this.scoped && !this.em.getTransactionContext()) {
      // Labour inspection: whether the agency holds a cross-region grant, and the page as if it holds none (the
      // per-region walk), sent together in one round trip as two statements (each planned alone: one statement
      // gated on the grant doubled the page's planning, measured). Holding a grant, the page is read again over the
      // whole scope; that answer is never cached, so a grant given or revoked counts from the next request.
      const regionOnly = regionOnlyScope(whole);
      read = statement(regionOnly);
      const [held, page] = await this.inOneRoundTrip([GRANT_HELD_SQL, [whole.regional.agencyId]], [read.sql, read.params]);
      const holds = !!held?.[0]?.held;
      this.scoped = Promise.resolve(holds ? whole : regionOnly);
      if (!holds) rows = page;
    }
    if (!read || !rows) {
      // Any other agency: its scope is its own (no statement); a grant held: the whole scope.
      read = statement(await this.scope());
      rows = await this.em.getConnection().execute<Array<Record<string, unknown>>>(read.sql, read.params);
    }
    const { counting, joined } = read;
    if (counting) {
      const total = Number(rows[0]?.['n.total'] ?? 0);
      this.counted = Promise.resolve(total);
    }
    // Read-only rows: mapped to properties and types without making managed entities of them.
    const driver = this.em.getDriver();
    const related = emptyRelated();
    // With the count, an empty page is one row of the count alone (the page's columns null).
    const found = joined ? rows.filter((r) => r.id != null) : rows;
    const nodes = found.slice(0, opts.first).map((r) => {
      if (!joined) return driver.mapResult(r, meta) as CaseRecord;
      for (const { name, meta: relMeta, columns: relColumns, key } of joined.relations) {
        const id = r[key];
        const byKey = related[name] as Map<string, unknown>;
        if (id == null || byKey.has(String(id))) continue;
        const own: Record<string, unknown> = {};
        for (const [column, field] of relColumns) own[field] = r[column];
        byKey.set(String(id), driver.mapResult(own, relMeta));
      }
      const own: Record<string, unknown> = {};
      for (const column of columns) own[column] = r[column];
      return driver.mapResult(own, meta) as CaseRecord;
    });
    const last = nodes.at(-1);
    return {
      nodes,
      hasNextPage: found.length > opts.first,
      endCursor: last ? encodeCursor([last.receivedAt.toISOString(), last.id]) : null,
      related,
      partial: new Set(include.filter((r) => opts.relationProperties?.[r])),
    };
  }

  /**
   * Read statements in one simple-query round trip, each with its parameters inlined as MikroORM's `execute`
   * inlines them, and each given to MikroORM's `onQuery` hook and its query log as a statement of its own (the
   * statement counts of the tests read that log); their rows in order.
   */
  private async inOneRoundTrip(...statements: Array<[string, unknown[]]>): Promise<Array<Array<Record<string, unknown>>>> {
    const connection = this.em.getConnection();
    await connection.ensureConnection();
    const platform = this.em.getPlatform();
    const onQuery = this.em.config.get('onQuery');
    const texts = statements.map(([sql, params]) => platform.formatQuery(onQuery(sql, params), params));
    const started = Date.now();
    const results = (await connection.getKnex().raw(texts.join(';\n'))) as unknown as Array<{ rows: Array<Record<string, unknown>> }>;
    const logger = this.em.config.getLogger();
    const took = Date.now() - started;
    texts.forEach((query, i) => logger.logQuery({ level: 'info', query, took, results: results[i]?.rows.length }));
    return results.map((r) => r.rows);
  }

  /** One page's statement over a scope: the rows after the cursor, one more than the page (whether more follow). */
  private pageQuery(scope: CaseScope, first: number, dir: 'asc' | 'desc', cursor: string[] | null, columns: string[]): [string, unknown[]] {
    const { sql, params } = this.where(scope);
    if (cursor) {
      const [receivedAt, id] = cursor;
      sql.push(`(c.received_at, c.id) ${dir === 'desc' ? '<' : '>'} (?, ?)`);
      params.push(new Date(receivedAt!), id);
    }
    const order = `order by c.received_at ${dir}, c.id ${dir}`;
    const regions = this.regionsInScope(scope);
    const statuses = this.filter.statuses;
    const select = columns.map((c) => `c.${c}`).join(', ');
    // By region and status, a page is the newest rows of each (region, status) pair, merged: one short walk of
    // the (region, status, received_at) index per pair, however many cases the pairs hold. One walk over all
    // cases in time order would pass every case of other districts and statuses first.
    return regions && statuses?.length
      ? [
          `select ${select} from (${regions.sql}) rg cross join unnest(array[?]::text[]) st(status)
             cross join lateral (select ${select} from wage_case c where c.region_code = rg.code and c.status = st.status and ${sql.join(' and ')} ${order} limit ?) c
            ${order} limit ?`,
          [...regions.params, statuses, ...params, first + 1, first + 1],
        ]
      : [`select ${select} from wage_case c where ${sql.join(' and ')} ${order} limit ?`, [...params, first + 1]];
  }

  /**
   * The page's query with what it is read with, in one statement: the rows its cases refer to, joined by key (each
   * related row's columns under `<alias>.<column>`: every column its entity maps, as a loader reads it), and the
   * count under `n.total` (the count's statement as a second CTE, the page left-joined to it so that an empty page
   * still carries it). The page's order is kept.
   */
  private withRelations(
    query: string,
    include: CaseRelation[],
    counting: { sql: string } | null,
    dir: 'asc' | 'desc',
    properties: RelationProperties,
  ): { sql: string; relations: Array<{ name: CaseRelation; meta: EntityMetadata; columns: Array<[string, string]>; key: string }> } {
    const metadata = this.em.getMetadata();
    const selected: string[] = ['pg.*'];
    const joins: string[] = [];
    const relations = include.map((name) => {
      const { entity, column, alias } = RELATIONS[name];
      const meta = metadata.get(entity.name);
      const pk = meta.primaryKeys[0]!;
      const asked = properties[name];
      const read = asked ? [...new Set([pk, ...asked].flatMap((p) => meta.properties[p]!.fieldNames))] : columnsOf(meta);
      const columns = read.map((c): [string, string] => [`${alias}.${c}`, c]);
      for (const [as, c] of columns) selected.push(`${alias}.${c} as "${as}"`);
      // A lookup by key per case (`limit 1` keeps each a nested index probe: a page is a few dozen rows, and a hash
      // join would read whole tables when the planner over-estimates the page).
      joins.push(`left join lateral (select * from ${meta.tableName} t where t.${pk} = pg.${column} limit 1) ${alias} on true`);
      return { name, meta, columns, key: `${alias}.${pk}` };
    });
    const from = counting
      ? `with pg as (${query}), n as (${counting.sql}) select ${selected.join(', ')}, n.n as "n.total" from n left join pg on true`
      : `with pg as (${query}) select ${selected.join(', ')} from pg`;
    return { sql: `${from} ${joins.join(' ')} order by pg.received_at ${dir}, pg.id ${dir}`, relations };
  }

  /** The regions the caller may see and asked for, when the caller's scope is by region alone. */
  private regionsInScope(scope: CaseScope): { sql: string; params: unknown[] } | undefined {
    if (!scope.regionOnly) return undefined;
    const where = [scope.sql];
    const params = [...scope.params];
    if (this.filter.regionCode) {
      where.push(`c.region_code in (${REGION_AND_BELOW_SQL})`);
      params.push(this.filter.regionCode);
    }
    // The scope is written over the cases (`c.region_code`): here it reads the regions under that name.
    return { sql: `select c.region_code as code from (select code as region_code from region) c where ${where.join(' and ')}`, params };
  }

  private counted?: Promise<number>;

  /** All cases matching the filter in the caller's scope; once per list (a page read with `withCount` has it already). */
  count(): Promise<number> {
    this.counted ??= (async () => {
      const { sql, params } = this.countQuery(await this.scope());
      const rows = await this.em.getConnection().execute<Array<{ n: string }>>(sql, params);
      return Number(rows[0]!.n);
    })();
    return this.counted;
  }

  private countQuery(scope: CaseScope): { sql: string; params: unknown[] } {
    const { sql, params } = this.where(scope);
    // Within a region-only scope, a count by region and status is a sum over the tally (see the case_tally
    // migration): the same WHERE, over a table aliased as the cases are.
    const count = this.talliable(scope) ? 'coalesce(sum(c.n), 0) as n from case_tally c' : 'count(*) as n from wage_case c';
    return { sql: `select ${count} where ${sql.join(' and ')}`, params };
  }

  /** Only filters the tally holds, over a scope that reads only the region; any other filter counts the cases. */
  private talliable(scope: CaseScope): boolean {
    return (
      !!scope.regionOnly &&
      Object.entries(this.filter).every(
        ([key, value]) => TALLY_FILTERS.has(key) || value == null || (Array.isArray(value) && value.length === 0),
      )
    );
  }
}

const TALLY_FILTERS: ReadonlySet<string> = new Set<keyof CaseFilterInput>(['statuses', 'regionCode']);

/**
 * The case columns a page reads: those of the properties asked for, the key and time its order and cursor use, and
 * the keys of the relations read with it; every column the entity maps when the properties are not known.
 */
function caseColumns(meta: EntityMetadata, properties: ReadonlyArray<keyof CaseRecord> | undefined, include: CaseRelation[]): string[] {
  if (!properties) return columnsOf(meta);
  const columns = new Set(['id', 'received_at', ...include.map((r) => RELATIONS[r].column)]);
  for (const p of properties) for (const c of meta.properties[p as string]!.fieldNames) columns.add(c);
  return [...columns];
}

function emptyRelated(): RelatedRows {
  return { employer: new Map(), project: new Map(), leadInspector: new Map(), region: new Map(), owningAgency: new Map() };
}

const mapped = new WeakMap<EntityMetadata, string[]>();

/** The columns an entity maps (its scalar properties and the keys it holds of others); worked out once per entity. */
function columnsOf(meta: EntityMetadata): string[] {
  let columns = mapped.get(meta);
  if (!columns) mapped.set(meta, (columns = mappedColumns(meta)));
  return columns;
}

function mappedColumns(meta: EntityMetadata): string[] {
  return meta.props
    .filter(
      (p) =>
        p.persist !== false &&
        !p.formula &&
        (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)),
    )
    .flatMap((p) => p.fieldNames);
}

function distinct<T>(values: T[] | null | undefined): T[] | null | undefined {
  return values ? [...new Set(values)] : values;
}
