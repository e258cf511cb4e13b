import type { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../src/domain/search-attributes';
import { searchAttributesRegistered } from '../src/worker/search-attributes-registered';

/**
 * Whether the workflows set their search attributes: only where the namespace has every one of them. Temporal's
 * time-skipping test server has no operator service (ListSearchAttributes answers UNIMPLEMENTED): a "no", and the
 * workflows run without the attributes instead of failing their tasks on an unregistered one.
 */
describe('searchAttributesRegistered', () => {
  const serverWith = (list: () => Promise<{ customAttributes: Record<string, number> }>) => {
    let calls = 0;
    const connection = {
      operatorService: {
        listSearchAttributes: () => {
          calls++;
          return list();
        },
      },
    } as unknown as Pick<Connection, 'operatorService'>;
    return { check: searchAttributesRegistered(connection), calls: () => calls };
  };

  it('is yes when the namespace has all five, asked once', async () => {
    const s = serverWith(async () => ({ customAttributes: Object.fromEntries(SEARCH_ATTRIBUTE_KEYS.map((k) => [k.name, 2])) }));
    expect(await s.check('default')).toBe(true);
    expect(await s.check('default')).toBe(true);
    expect(s.calls()).toBe(1);
  });

  it('is no when one is missing', async () => {
    const s = serverWith(async () => ({ customAttributes: { AnxinCaseNumber: 2 } }));
    expect(await s.check('default')).toBe(false);
  });

  it('is no, not an error, when the server has no operator service (the time-skipping test server)', async () => {
    const s = serverWith(() =>
      Promise.reject(
        new Error('12 UNIMPLEMENTED: Method temporal.api.operatorservice.v1.OperatorService/ListSearchAttributes is unimplemented'),
      ),
    );
    expect(await s.check('default')).toBe(false);
    expect(await s.check('default')).toBe(false); // remembered for a minute
    expect(s.calls()).toBe(1);
  });
});
