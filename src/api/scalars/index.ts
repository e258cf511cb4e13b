import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { divisionLevel } from '../../domain/division-code';
import { normaliseMobile } from '../../domain/mobile';
import { residentIdProblem } from '../../domain/resident-id';
import { ErrorCode } from '../../domain/errors';
import { moneyBounds } from '../../rules/input-bounds';

function invalid(message: string, rule: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadUserInput, rule } });
}

/** A string scalar whose input is checked (and normalised) by `parse`. */
function stringScalar(name: string, description: string, parse: (v: string) => string): GraphQLScalarType<string, string> {
  const parseAny = (v: unknown) => {
    if (typeof v !== 'string') throw invalid(`${name} must be a string`, `${name.toLowerCase()}.type`);
    return parse(v);
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (v) => String(v),
    parseValue: parseAny,
    parseLiteral: (ast: ValueNode) => parseAny(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

export const MobileScalar = stringScalar(
  'Mobile',
  '手机号: a mainland mobile number, 11 digits starting with 1 (+86 and separators are stripped)',
  (v) => {
    const m = normaliseMobile(v);
    if (!m) throw invalid('mobile number must be 11 digits starting with 1', 'mobile.format');
    return m;
  },
);

export const DivisionCodeScalar = stringScalar(
  'DivisionCode',
  '行政区划代码: GB/T 2260 division code, 6 digits (province/city/district), 9 (street) or 12 (community)',
  (v) => {
    const code = v.trim();
    if (!divisionLevel(code)) throw invalid('division code must be 6, 9 or 12 digits (GB/T 2260)', 'division-code.format');
    return code;
  },
);

export const ResidentIdScalar = stringScalar('ResidentId', '居民身份证号码: 18 characters with a GB 11643 check character', (v) => {
  const id = v.trim().toUpperCase();
  const problem = residentIdProblem(id);
  if (problem === 'format') throw invalid('resident ID number must be 17 digits and a digit or X', 'resident-id.format');
  if (problem === 'birth-date') throw invalid('resident ID number has an impossible birth date', 'resident-id.birth-date');
  if (problem === 'check-character')
    throw invalid('resident ID number has a wrong check character (GB 11643)', 'resident-id.check-character');
  return id;
});

export const LocalDateScalar = stringScalar('LocalDate', 'A calendar date in Beijing (Asia/Shanghai), YYYY-MM-DD', (v) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || d.toISOString().slice(0, 10) !== v) throw invalid('date must be a real date as YYYY-MM-DD', 'date.format');
  return v;
});

/**
 * Money in fen (分), an integer, exact end to end: JSON numbers carry integers exactly up to 2^53 fen, beyond
 * GraphQL's 32-bit Int that city totals (¥10^8+ = 10^10 fen) already exceed. An input is refused past the sane
 * maximum of src/rules/input-bounds.ts; an output that is not exact (PostgreSQL's bigint past 2^53) is a fault,
 * never a rounded figure.
 */
export const MoneyScalar = new GraphQLScalarType<number, number>({
  name: 'Money',
  description: `An amount of money in fen (分, 1/100 yuan): a non-negative integer, at most ${moneyBounds.maxAmountFen} as input`,
  serialize: (v) => {
    const n = typeof v === 'bigint' || typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || String(n) !== String(v))
      throw new Error(`money ${String(v)} is not an exact whole number of fen`);
    return n;
  },
  parseValue: (v) => parseFen(v),
  parseLiteral: (ast) => parseFen(ast.kind === Kind.INT || ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseFen(v: unknown): number {
  if (typeof v === 'string' && /^\d+$/.test(v) && v.replace(/^0+(?=\d)/, '').length > String(moneyBounds.maxAmountFen).length)
    throw tooMuch();
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw invalid('money must be a whole number of fen (no decimals)', 'money.integer-fen');
  if (n < 0) throw invalid('money must not be negative', 'money.non-negative');
  if (n > moneyBounds.maxAmountFen) throw tooMuch();
  return n;
}

function tooMuch(): GraphQLError {
  return invalid(`money must be at most ${moneyBounds.maxAmountFen} fen (¥${moneyBounds.maxAmountFen / 100})`, 'money.max');
}
