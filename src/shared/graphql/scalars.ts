import { GraphQLScalarType, Kind } from 'graphql';
import { DomainError } from '../domain/domain-error';
import { isLocalDate } from '../domain/time';

/** A calendar date `YYYY-MM-DD` (business dates are in Asia/Shanghai). */
export const LocalDateScalar = new GraphQLScalarType<string, string>({
  name: 'LocalDate',
  description: 'A calendar date written YYYY-MM-DD, in Asia/Shanghai.',
  serialize: (v) => String(v),
  parseValue: (v) => {
    if (typeof v !== 'string' || !isLocalDate(v))
      throw DomainError.badInput('date', `not a date YYYY-MM-DD: ${JSON.stringify(v)}`);
    return v;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !isLocalDate(ast.value))
      throw DomainError.badInput('date', 'not a date YYYY-MM-DD');
    return ast.value;
  },
});
