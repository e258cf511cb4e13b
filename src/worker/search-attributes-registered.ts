import type { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';

/**
 * Whether a namespace has Anxin's search attributes (src/domain/search-attributes.ts), asked of the server's
 * operator service once per namespace and remembered; a failed answer (a server without an operator service, like
 * the time-skipping test server) counts as "no" and is asked again after a minute. Workflows set the attributes only
 * where this says yes: an upsert of an unregistered attribute would fail their workflow task over and over.
 */
export function searchAttributesRegistered(connection: Pick<Connection, 'operatorService'>): (namespace: string) => Promise<boolean> {
  const known = new Map<string, { registered: boolean; at: number }>();
  return async (namespace) => {
    const k = known.get(namespace);
    if (k && (k.registered || Date.now() - k.at < 60_000)) return k.registered;
    let registered = false;
    try {
      const res = await connection.operatorService.listSearchAttributes({ namespace });
      const custom = res.customAttributes ?? {};
      registered = SEARCH_ATTRIBUTE_KEYS.every((key) => key.name in custom);
    } catch {
      registered = false;
    }
    known.set(namespace, { registered, at: Date.now() });
    return registered;
  };
}
