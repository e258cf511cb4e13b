import { getNamedType, isInputObjectType, isListType, isNonNullType, type GraphQLInputType } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { badUserInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every id in this API is a UUID. An argument of type ID that is not one is refused here, naming the field (e.g.
 * `input.team.1`), instead of reaching PostgreSQL as a malformed uuid and coming back as a fault.
 */
export const idArguments: MiddlewareFn = ({ args, info }, next) => {
  const field = info.parentType.getFields()[info.fieldName];
  for (const arg of field?.args ?? []) check(arg.type, args[arg.name], arg.name);
  return next();
};

function check(type: GraphQLInputType, value: unknown, path: string): void {
  if (value === null || value === undefined) return;
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
