import type { CombinedError } from 'urql';
import type { FormInstance } from 'antd';

/**
 * The API's refusals on a form: a bad input names its field (`input.contactPhone`, `input.payment.amount`) and the
 * rule it broke; each is put on the form item of that name (a nested field on the item named by its path, e.g.
 * `['payment', 'amount']`), and the whole message is returned for an alert.
 */
export function showApiErrors(error: CombinedError, form?: FormInstance): string {
  const fields: Array<{ name: Array<string | number>; errors: string[] }> = [];
  for (const e of error.graphQLErrors) {
    const violations = (e.extensions?.violations as Array<{ field: string; message: string }> | undefined) ?? [];
    const list = violations.length ? violations : e.extensions?.field ? [{ field: String(e.extensions.field), message: e.message }] : [];
    for (const v of list) fields.push({ name: fieldPath(v.field), errors: [v.message] });
  }
  if (form && fields.length) form.setFields(fields.map((f) => ({ name: f.name, errors: f.errors })));
  return error.graphQLErrors.length ? error.graphQLErrors.map((e) => e.message).join('；') : error.message;
}

/** `input.payment.allocations.0.amount` → `['payment', 'allocations', 0, 'amount']`: antd's name path of the item. */
function fieldPath(field: string): Array<string | number> {
  return field
    .replace(/^input\./, '')
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
