import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/domain/search-attributes';

/**
 * `npm run temporal:search-attributes`: registers Anxin's search attributes (src/domain/search-attributes.ts) in the
 * namespace of the Temporal cluster at TEMPORAL_ADDRESS (TEMPORAL_NAMESPACE, default `default`) through its operator
 * service — the same as `temporal operator search-attribute create --name AnxinCaseNumber --type Keyword …`. Run it
 * once per namespace, before the workers (they leave the attributes unset until it has run); it adds only the
 * missing ones, so running it again does nothing. The embedded dev server of `npm start` needs no such step: it
 * starts with them (src/infra/temporal-dev-server.ts).
 */
export async function registerSearchAttributes(address: string, namespace: string): Promise<{ added: string[]; present: string[] }> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const present = SEARCH_ATTRIBUTE_KEYS.filter((k) => k.name in (customAttributes ?? {})).map((k) => k.name);
    const missing = SEARCH_ATTRIBUTE_KEYS.filter((k) => !present.includes(k.name));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(
          missing.map((k) => [k.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
        ),
      });
    }
    return { added: missing.map((k) => k.name), present };
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  const address = process.env.TEMPORAL_ADDRESS?.trim();
  const namespace = process.env.TEMPORAL_NAMESPACE?.trim() || 'default';
  if (!address) {
    console.error('TEMPORAL_ADDRESS is required (host:port of the Temporal cluster’s frontend)');
    process.exit(2);
  }
  registerSearchAttributes(address, namespace).then(
    ({ added, present }) => {
      console.log(
        `namespace ${namespace} at ${address}: added ${added.join(', ') || 'none'}; already there: ${present.join(', ') || 'none'}`,
      );
    },
    (err: unknown) => {
      console.error(`could not register the search attributes: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
