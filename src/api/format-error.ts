import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { ErrorCode } from '../domain/errors';

interface Violation {
  field: string;
  rule: string;
  message: string;
}

// graphql-js reports a bad variable as: Variable "$input" got invalid value "…" at "input.uscc"; <reason>
const VARIABLE_ERROR = /^Variable "\$([^"]+)" got invalid value .*? at "([^"]+)";/s;
const WHOLE_VARIABLE_ERROR = /^Variable "\$([^"]+)" got invalid value/;

/**
 * One shape for every error a client sees: `extensions.code` to switch on; for bad input also `field` (a path
 * from the argument, e.g. `input.uscc`) and `rule` (e.g. `uscc.check-character`, `minLength`).
 * Unexpected faults are reduced to INTERNAL_SERVER_ERROR: their messages may carry SQL or internals.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = (error as { originalError?: unknown })?.originalError;
  if (original instanceof ArgumentValidationError) {
    // By convention every mutation takes its data as one argument named `input`.
    const violations = flatten(original.extensions.validationErrors as ValidationErrorLike[], 'input');
    const first = violations[0];
    return {
      message: violations.map((v) => `${v.field}: ${v.message}`).join('; ') || formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.BadUserInput, field: first?.field, rule: first?.rule, violations },
    };
  }
  const code = formatted.extensions?.code;
  if (!code || code === 'INTERNAL_SERVER_ERROR') {
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  if (code === ErrorCode.BadUserInput && !formatted.extensions?.field) {
    const m = VARIABLE_ERROR.exec(formatted.message) ?? WHOLE_VARIABLE_ERROR.exec(formatted.message);
    if (m) {
      const { stacktrace: _s, ...rest } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...rest, field: m[2] ?? m[1], rule: formatted.extensions?.rule ?? 'type' } };
    }
  }
  return formatted;
}

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function flatten(errors: ValidationErrorLike[], prefix: string): Violation[] {
  const out: Violation[] = [];
  for (const e of errors ?? []) {
    const field = `${prefix}.${e.property}`;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) out.push({ field, rule, message });
    out.push(...flatten(e.children ?? [], field));
  }
  return out;
}
