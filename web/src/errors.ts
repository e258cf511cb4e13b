import type { CombinedError } from 'urql';
import type { FormInstance } from 'antd';

/**
 * The API's refusals on a form: a bad input names its field (`input.contactPhone`) and the rule it broke; each is
 * put on the form item of that name, and the whole message is returned for an alert.
 */
export function showApiErrors(error: CombinedError, form?: FormInstance): string {
  const fields: Array<{ name: string; errors: string[] }> = [];
  for (const e of error.graphQLErrors) {
    const violations = (e.extensions?.violations as Array<{ field: string; message: string }> | undefined) ?? [];
    const list = violations.length ? violations : e.extensions?.field ? [{ field: String(e.extensions.field), message: e.message }] : [];
    for (const v of list) fields.push({ name: v.field.replace(/^input\./, ''), errors: [v.message] });
  }
  if (form && fields.length) form.setFields(fields.map((f) => ({ name: f.name, errors: f.errors })));
  return error.graphQLErrors.length ? error.graphQLErrors.map((e) => e.message).join('；') : error.message;
}
