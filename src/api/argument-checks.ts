import {
  defaultFieldResolver,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { badUserInput } from '../domain/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * The longest list any argument may hold, at any depth. The longest legitimate lists are a hearing's attendees
 * (70) and a mediation's parties (50); variables are not counted by the document limits, so without this a
 * 2,000-status filter multiplied the case list's per-(region, status) walks and stalled the database pool.
 */
export const MAX_LIST_LENGTH = 100;

declare global {
  interface String {
    /** Node 20+ (ES2024): false when the string holds a lone surrogate. The project's lib is ES2022. */
    isWellFormed(): boolean;
  }
}

/**
 * Checks every argument's value before a resolver sees it, naming the field (e.g. `input.team.1`), so that what
 * PostgreSQL cannot take is refused as bad input instead of coming back as a fault:
 * - every id in this API is a UUID: an argument of type ID that is not one is refused (`id.uuid`);
 * - no string anywhere in an argument (any type, any depth, JSON values included) may hold a NUL character,
 *   which PostgreSQL's text cannot store (`string.no-nul`), or a lone UTF-16 surrogate, which PostgreSQL's
 *   UTF-8 text and jsonb refuse (`string.well-formed`);
 * - no list anywhere in an argument may hold more than MAX_LIST_LENGTH items (`list.max-length`).
 *
 * The check wraps only the fields that take arguments (queries, mutations, the subscription and a few nested
 * fields), in the built schema: as a type-graphql global middleware it wrapped every field of every object, and
 * a page of 50 cases paid for it on each of their hundreds of plain fields.
 */
export function checkArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const args = field.args;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, values, context, info) => {
        checkAll(args, values);
        return resolve(source, values, context, info);
      };
      const subscribe = field.subscribe;
      if (subscribe) {
        field.subscribe = (source, values, context, info) => {
          checkAll(args, values);
          return subscribe(source, values, context, info);
        };
      }
    }
  }
  return schema;
}

function checkAll(args: readonly GraphQLArgument[], values: Record<string, unknown>): void {
  for (const arg of args) check(arg.type, values[arg.name], arg.name);
}

function check(type: GraphQLInputType, value: unknown, path: string): void {
  if (value === null || value === undefined) return;
  refuseBadValues(value, path);
  if (isNonNullType(type)) return check(type.ofType, value, path);
  if (isListType(type)) {
    if (Array.isArray(value)) value.forEach((v, i) => check(type.ofType as GraphQLInputType, v, `${path}.${i}`));
    return;
  }
  const named = getNamedType(type);
  if (named.name === 'ID') {
    if (typeof value !== 'string' || !UUID.test(value)) throw badUserInput(path, 'id.uuid', 'must be an id (a UUID)');
    return;
  }
  if (isInputObjectType(named) && typeof value === 'object') {
    const fields = named.getFields();
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) if (fields[key]) check(fields[key].type, v, `${path}.${key}`);
  }
}

/**
 * Strings and lists at any depth of a value (a JSON scalar's keys too); input objects are walked again by `check`
 * with their field names. A list's length is checked before its items are walked.
 */
function refuseBadValues(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw badUserInput(path, 'string.no-nul', 'must not contain a NUL character');
    if (!value.isWellFormed()) throw badUserInput(path, 'string.well-formed', 'must be well-formed text (no lone UTF-16 surrogate)');
  } else if (Array.isArray(value)) {
    if (value.length > MAX_LIST_LENGTH) throw badUserInput(path, 'list.max-length', `must have at most ${MAX_LIST_LENGTH} items`);
    value.forEach((v, i) => refuseBadValues(v, `${path}.${i}`));
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, v] of Object.entries(value)) {
      refuseBadValues(key, path);
      refuseBadValues(v, `${path}.${key}`);
    }
  }
}
