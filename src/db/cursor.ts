import { badUserInput } from '../domain/errors';

/** Opaque cursors: base64url of the sort key and id of the last row seen (keyset paging, stable under inserts). */
export function encodeCursor(parts: Array<string | number>): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** What one part of a cursor must be; checked before it reaches a query (a crafted part is never run as SQL or an ORM operator). */
export type CursorPart = 'string' | 'uuid' | 'instant' | 'integer';

const CURSOR_PART_CHECKS: Record<CursorPart, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string' && v.length <= 500 && !v.includes('\u0000'),
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  instant: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  integer: (v) => typeof v === 'string' && /^\d{1,18}$/.test(v),
};

/** The cursor's parts, each checked against its kind; BAD_USER_INPUT on `after` for anything this list did not give out. */
export function decodeCursor(cursor: string, kinds: readonly CursorPart[]): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  if (Array.isArray(parts) && parts.length === kinds.length && kinds.every((k, i) => CURSOR_PART_CHECKS[k](parts[i])))
    return parts as string[];
  throw badUserInput('after', 'cursor.valid', 'is not a cursor this list gave out');
}
