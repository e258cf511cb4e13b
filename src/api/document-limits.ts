import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  isObjectType,
  Kind,
  parse,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { MAX_PAGE, pageSize } from './pagination';

/**
 * What one GraphQL document may ask of the server before any of it runs, by caller tier. Both transports (HTTP
 * and graphql-ws) call `DocumentLimits.check` before graphql-js's full validation, because that validation is
 * where the work hides: OverlappingFieldsCanBeMerged compares every pair of same-named fields, so 2,000 tokens of
 * `{ health { database database … } } }` cost about a second of event loop. A rule inside the validation pass
 * cannot stop it (Apollo runs all rules in one visit), so the bound is checked here first:
 *
 * - size of the text and tokens (graphql-js's own parse limit `maxTokens`) bound the parse;
 * - field selections, counted with fragments expanded (a spread costs its fragment's size; cycles are refused),
 *   and the pairs of same-named fields among them bound the validation, whose worst case is quadratic;
 * - graphql-armor's depth, alias, cost and directive rules (linear passes) bound the execution; the cost counts
 *   each paged list at its real size (literal, variable or default `first`), which graphql-armor alone does not.
 *
 * Anonymous callers use only the public lookups (`caseStatus`, `health`), so their budgets are far smaller.
 */
export interface DocumentLimitSet {
  /** Characters of document text (comments included: they are not tokens). */
  maxChars: number;
  /** Lexical tokens, as graphql-js's parser counts them. */
  maxTokens: number;
  /** Field selections over the whole document, fragments expanded. */
  maxSelections: number;
  /**
   * Pairs of fields with the same response name in one selection set (fields of the same name merged level by
   * level, fragments expanded): the pairs graphql-js's OverlappingFieldsCanBeMerged compares, at up to 50 µs each.
   */
  maxOverlapPairs: number;
  maxDepth: number;
  maxAliases: number;
  /** graphql-armor's cost: every field counts (scalars 1, objects 2, times 1.5 per level, times `first`). */
  maxCost: number;
  maxDirectives: number;
}

export type CallerTier = 'anonymous' | 'signedIn';

export const DOCUMENT_LIMITS: Record<CallerTier, DocumentLimitSet> = {
  // The largest public document, `caseStatus(number:, phone:) { number status nextStep receivedAt }` with its
  // variables, is about 30 tokens, 5 selections and cost 8.
  anonymous: {
    maxChars: 2_000,
    maxTokens: 200,
    maxSelections: 40,
    maxOverlapPairs: 10,
    maxDepth: 4,
    maxAliases: 4,
    maxCost: 100,
    maxDirectives: 4,
  },
  // The dashboard's list document is about 30 selections and no repeated field; 300 selections leave room for
  // fragment-heavy screens. Repeats are what make validation quadratic (1,990 `database` took 900 ms, 100
  // `case(number:) { id }` 130 ms; a pair of fields with arguments and sub-selections costs about 50 µs): 200 pairs
  // keep the validation of the worst document the limits allow to about 10 ms. Ten fragments that all select `id`
  // on one type make 45.
  signedIn: {
    maxChars: 50_000,
    maxTokens: 2_000,
    maxSelections: 300,
    maxOverlapPairs: 200,
    maxDepth: 12,
    maxAliases: 15,
    maxCost: 20_000,
    maxDirectives: 20,
  },
};

/** The refusal of a document: GraphQL errors in the shape both transports send (400 over HTTP). */
export class DocumentRefused extends Error {
  constructor(readonly errors: GraphQLError[]) {
    super(errors[0]?.message ?? 'document refused');
    this.name = 'DocumentRefused';
  }
}

function refusal(code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED', message: string, limit?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...(limit ? { limit } : {}), http: { status: 400 } } });
}

/**
 * Field selections in the document with every fragment spread expanded, counting each operation and each fragment
 * definition (validation visits both). Memoized per fragment, so the count is linear in the document even when
 * the expansion is exponential; the result saturates just past `cap`. Throws on a fragment cycle.
 */
export function countSelections(document: DocumentNode, cap: number): number {
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
  const sizes = new Map<string, number>();
  const expanding = new Set<string>();
  const over = cap + 1;

  const fragmentSize = (name: string): number => {
    const known = sizes.get(name);
    if (known !== undefined) return known;
    const set = fragments.get(name);
    if (!set) return 0; // an unknown fragment: validation reports it
    if (expanding.has(name)) throw refusal('GRAPHQL_VALIDATION_FAILED', `fragment "${name}" spreads itself`, 'fragment-cycle');
    expanding.add(name);
    const size = setSize(set);
    expanding.delete(name);
    sizes.set(name, size);
    return size;
  };
  const setSize = (set: SelectionSetNode): number => {
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += 1 + (s.selectionSet ? setSize(s.selectionSet) : 0);
      else if (s.kind === Kind.INLINE_FRAGMENT) n += setSize(s.selectionSet);
      else n += fragmentSize(s.name.value);
      if (n >= over) return over;
    }
    return n;
  };

  let total = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) total += setSize(d.selectionSet);
    else if (d.kind === Kind.FRAGMENT_DEFINITION) total += fragmentSize(d.name.value);
    if (total >= over) return over;
  }
  return total;
}

/**
 * Pairs of fields sharing a response name within one selection set, the way OverlappingFieldsCanBeMerged sees
 * them: a set's fields with fragments expanded (each fragment once per set, as graphql-js collects them), grouped
 * by response name, and the sub-selections of a group merged and counted the same way. Stops just past `cap`.
 * Run after `countSelections` has bounded the expansion (and refused cycles).
 */
export function countOverlapPairs(document: DocumentNode, cap: number): number {
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
  let pairs = 0;
  const collect = (set: SelectionSetNode, groups: Map<string, FieldNode[]>, spread: Set<string>): void => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        const group = groups.get(key);
        if (group) group.push(s);
        else groups.set(key, [s]);
      } else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet, groups, spread);
      else if (!spread.has(s.name.value)) {
        spread.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) collect(f, groups, spread);
      }
    }
  };
  const walk = (sets: SelectionSetNode[]): void => {
    const groups = new Map<string, FieldNode[]>();
    const spread = new Set<string>();
    for (const set of sets) collect(set, groups, spread);
    for (const fields of groups.values()) {
      pairs += (fields.length * (fields.length - 1)) / 2;
      if (pairs > cap) return;
      const subs = fields.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
      if (subs.length > 0) walk(subs);
      if (pairs > cap) return;
    }
  };
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) walk([d.selectionSet]);
    if (pairs > cap) return cap + 1;
  }
  return pairs;
}

/** A small LRU of documents already accepted for a tier: the dashboard's repeated document costs a map lookup. */
class AcceptedDocuments {
  private readonly entries = new Map<string, Accepted>();
  constructor(private readonly max: number) {}
  get(key: string): Accepted | undefined {
    const doc = this.entries.get(key);
    if (doc) {
      this.entries.delete(key);
      this.entries.set(key, doc);
    }
    return doc;
  }
  set(key: string, doc: Accepted): void {
    this.entries.set(key, doc);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

interface Accepted {
  document: DocumentNode;
  /** Its page sizes come from variables: its cost is checked again with each request's values. */
  costFromVariables: boolean;
  /**
   * The page sizes (as the cost counts them, one per page-size variable) this document's cost was found within:
   * the cost depends on the document and those sizes alone, so a request with the same sizes needs no new count.
   */
  costAccepted?: Set<string>;
  /** Its page-size variables (`pageVariablesOf`), when its cost comes from them. */
  pageVariables?: Array<[string, number]>;
}

/** Distinct page-size combinations remembered per document (at most; past it the cost is counted each time). */
const COST_COMBINATIONS = 64;

/**
 * The document as graphql-armor's cost rule should see it: the rule multiplies a list by its `first` only when
 * that is a literal, so a page size given by a variable (the dashboard's way) or left to its default would count
 * once. Each paged field gets its actual size: the literal, the variable's value when sent, else the variable's
 * default value in the operation (`query($n: Int = 200)`: unsent, it is 200, not the resolver's default), else the
 * resolver's default.
 */
function withPageSizes(
  document: DocumentNode,
  paged: ReadonlySet<string>,
  variables: Readonly<Record<string, unknown>> | undefined,
): { document: DocumentNode; fromVariables: boolean } {
  const defaults = variableDefaultSizes(document);
  let fromVariables = false;
  const sized = visit(document, {
    Field(node) {
      if (!paged.has(node.name.value)) return undefined;
      const args = node.arguments ?? [];
      const first = args.find((a) => a.name.value === 'first');
      if (first?.value.kind === Kind.INT) return undefined;
      let size = pageSize(undefined);
      if (first?.value.kind === Kind.VARIABLE) {
        fromVariables = true;
        const name = first.value.name.value;
        size = variables && Object.hasOwn(variables, name) ? sizeOf(variables[name]) : (defaults.get(name) ?? size);
      } else if (first) size = MAX_PAGE;
      const sizeArg = {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'first' },
        value: { kind: Kind.INT, value: String(size) },
      } as const;
      return { ...node, arguments: [sizeArg, ...args.filter((a) => a !== first)] };
    },
  });
  return { document: sized, fromVariables };
}

/**
 * A document's page-size variables in the order `withPageSizes` meets them, each with the size it counts when the
 * request does not send it: read once per accepted document.
 */
function pageVariablesOf(document: DocumentNode, paged: ReadonlySet<string>): Array<[string, number]> {
  const defaults = variableDefaultSizes(document);
  const out: Array<[string, number]> = [];
  visit(document, {
    Field(node) {
      if (!paged.has(node.name.value)) return;
      const first = node.arguments?.find((a) => a.name.value === 'first');
      if (first?.value.kind !== Kind.VARIABLE) return;
      const name = first.value.name.value;
      out.push([name, defaults.get(name) ?? pageSize(undefined)]);
    },
  });
  return out;
}

/** The sizes `withPageSizes` would give those variables with a request's values, as a key. */
function pageSizesKey(pageVariables: ReadonlyArray<[string, number]>, variables: Readonly<Record<string, unknown>> | undefined): string {
  return pageVariables
    .map(([name, fallback]) => (variables && Object.hasOwn(variables, name) ? sizeOf(variables[name]) : fallback))
    .join(',');
}

/**
 * The page size each variable's default value comes to. A fragment may be spread by several operations, so a
 * variable name defined by more than one takes the largest of their defaults.
 */
function variableDefaultSizes(document: DocumentNode): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const v of d.variableDefinitions ?? []) {
      const dv = v.defaultValue;
      const size = !dv
        ? pageSize(undefined)
        : dv.kind === Kind.INT
          ? sizeOf(Number(dv.value))
          : dv.kind === Kind.NULL
            ? sizeOf(null)
            : MAX_PAGE;
      sizes.set(v.variable.name.value, Math.max(size, sizes.get(v.variable.name.value) ?? 0));
    }
  }
  return sizes;
}

/** A page size as the cost counts it: null is the resolver's default, anything not a positive integer the largest page. */
function sizeOf(value: unknown): number {
  if (value === null || value === undefined) return pageSize(undefined);
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? Math.min(value, MAX_PAGE) : MAX_PAGE;
}

/** A transport's rule on which operations it carries, checked right after parsing; throws DocumentRefused. */
export type OperationRule = (document: DocumentNode) => void;

export class DocumentLimits {
  private readonly shapeRules: Record<CallerTier, readonly ValidationRule[]>;
  private readonly costRules: Record<CallerTier, readonly ValidationRule[]>;
  private readonly accepted = new AcceptedDocuments(500);
  /** Names of the fields that take a page size (`first`): cases, employers, projects … */
  private readonly paged: Set<string>;

  constructor(
    private readonly schema: GraphQLSchema,
    readonly limits: Record<CallerTier, DocumentLimitSet> = DOCUMENT_LIMITS,
  ) {
    const off = { enabled: false } as const;
    // Tokens are counted by graphql-js's parser below (graphql-armor's answers a syntax error with a 500).
    const shape = (l: DocumentLimitSet) =>
      new ApolloArmor({
        maxDepth: { n: l.maxDepth },
        maxAliases: { n: l.maxAliases },
        maxDirectives: { n: l.maxDirectives },
        costLimit: off,
        maxTokens: off,
        blockFieldSuggestion: off,
      }).protect().validationRules;
    const cost = (l: DocumentLimitSet) =>
      new ApolloArmor({
        costLimit: { maxCost: l.maxCost },
        maxDepth: off,
        maxAliases: off,
        maxDirectives: off,
        maxTokens: off,
        blockFieldSuggestion: off,
      }).protect().validationRules;
    this.shapeRules = { anonymous: shape(limits.anonymous), signedIn: shape(limits.signedIn) };
    this.costRules = { anonymous: cost(limits.anonymous), signedIn: cost(limits.signedIn) };
    this.paged = new Set();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) if (field.args.some((a) => a.name === 'first')) this.paged.add(field.name);
    }
  }

  /**
   * The parsed document if it is within the tier's limits; otherwise throws DocumentRefused with coded errors.
   * Does not run graphql-js's own validation (the caller's transport does, after this). `variables` give the
   * page sizes the cost counts; `operationRule` refuses what the transport does not carry before any counting.
   */
  check(text: string, tier: CallerTier, variables?: Readonly<Record<string, unknown>>, operationRule?: OperationRule): DocumentNode {
    const key = `${tier}\u0000${text}`;
    const known = this.accepted.get(key);
    if (known) {
      operationRule?.(known.document);
      if (known.costFromVariables) {
        const sizes = pageSizesKey(known.pageVariables!, variables);
        if (!known.costAccepted!.has(sizes)) {
          this.checkCost(known.document, tier, variables);
          if (known.costAccepted!.size < COST_COMBINATIONS) known.costAccepted!.add(sizes);
        }
      }
      return known.document;
    }
    const l = this.limits[tier];
    const who = tier === 'anonymous' ? 'an anonymous' : 'a signed-in';
    if (text.length > l.maxChars)
      throw new DocumentRefused([
        refusal('GRAPHQL_VALIDATION_FAILED', `the document is over the ${l.maxChars}-character limit for ${who} caller`, 'characters'),
      ]);
    let document: DocumentNode;
    try {
      document = parse(text, { maxTokens: l.maxTokens, noLocation: false });
    } catch (err) {
      if (err instanceof GraphQLError) throw new DocumentRefused([refusal('GRAPHQL_PARSE_FAILED', err.message)]);
      throw err;
    }
    operationRule?.(document);
    let selections: number;
    try {
      selections = countSelections(document, l.maxSelections);
    } catch (err) {
      if (err instanceof GraphQLError) throw new DocumentRefused([err]);
      throw err;
    }
    if (selections > l.maxSelections) {
      throw new DocumentRefused([
        refusal(
          'GRAPHQL_VALIDATION_FAILED',
          `the document selects more than ${l.maxSelections} fields (fragments expanded), the limit for ${who} caller`,
          'selections',
        ),
      ]);
    }
    if (countOverlapPairs(document, l.maxOverlapPairs) > l.maxOverlapPairs) {
      throw new DocumentRefused([
        refusal(
          'GRAPHQL_VALIDATION_FAILED',
          `the document repeats fields of the same name in one selection more than ${who} caller may (${l.maxOverlapPairs} pairs)`,
          'repeated-fields',
        ),
      ]);
    }
    armorCheck(this.schema, document, this.shapeRules[tier]);
    const costFromVariables = this.checkCost(document, tier, variables);
    if (text.length <= 20_000) {
      const pageVariables = costFromVariables ? pageVariablesOf(document, this.paged) : undefined;
      this.accepted.set(
        key,
        pageVariables
          ? { document, costFromVariables, costAccepted: new Set([pageSizesKey(pageVariables, variables)]), pageVariables }
          : { document, costFromVariables },
      );
    }
    return document;
  }

  /** graphql-armor's cost of the document with its real page sizes; whether those came from variables. */
  private checkCost(document: DocumentNode, tier: CallerTier, variables: Readonly<Record<string, unknown>> | undefined): boolean {
    const sized = withPageSizes(document, this.paged, variables);
    armorCheck(this.schema, sized.document, this.costRules[tier]);
    return sized.fromVariables;
  }
}

/** graphql-armor's rules alone: linear passes. They throw their first refusal rather than report it. */
function armorCheck(schema: GraphQLSchema, document: DocumentNode, rules: readonly ValidationRule[]): void {
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, document, rules);
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    errors = [err];
  }
  if (errors.length > 0) {
    throw new DocumentRefused(
      errors.map((e) => refusal('GRAPHQL_VALIDATION_FAILED', e.message.replace(/^Syntax Error: /, ''), limitName(e.message))),
    );
  }
}

function limitName(message: string): string | undefined {
  if (/depth/i.test(message)) return 'depth';
  if (/alias/i.test(message)) return 'aliases';
  if (/cost/i.test(message)) return 'cost';
  if (/directive/i.test(message)) return 'directives';
  return undefined;
}
