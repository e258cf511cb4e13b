import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { usccProblem } from '../../domain/uscc';
import { ErrorCode } from '../../domain/errors';

const RULES = {
  length: 'must be exactly 18 characters',
  alphabet: 'may contain only digits and capital letters other than I, O, S, V, Z',
  'check-character': 'has a wrong check character (GB 32100-2015)',
} as const;

function parse(value: unknown): string {
  if (typeof value !== 'string') {
    throw new GraphQLError('USCC must be a string', { extensions: { code: ErrorCode.BadUserInput, rule: 'uscc.type' } });
  }
  const code = value.trim().toUpperCase();
  const problem = usccProblem(code);
  if (problem) {
    throw new GraphQLError(`unified social credit code ${RULES[problem]}`, {
      extensions: { code: ErrorCode.BadUserInput, rule: `uscc.${problem}` },
    });
  }
  return code;
}

export const UsccScalar = new GraphQLScalarType<string, string>({
  name: 'USCC',
  description: '统一社会信用代码: unified social credit code, 18 characters with a GB 32100-2015 check character',
  serialize: (v) => String(v),
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('USCC must be a string', { extensions: { code: ErrorCode.BadUserInput, rule: 'uscc.type' } });
    }
    return parse(ast.value);
  },
});
