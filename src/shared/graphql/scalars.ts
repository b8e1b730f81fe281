import { GraphQLScalarType, Kind } from 'graphql';
import { DomainError } from '../domain/domain-error';
import { formatKg, parseKg } from '../domain/mass';
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

/** Arbitrary JSON (event payloads, evidence). Output only in practice. */
export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'A JSON value (event data, alert evidence).',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: () => {
    throw DomainError.badInput('json', 'JSON values are not accepted as literals; use a variable');
  },
});

/** A non-negative integer up to 2^53 − 1 (global ledger positions outgrow GraphQL's 32-bit Int). */
export const LongScalar = new GraphQLScalarType<number, number>({
  name: 'Long',
  description: 'An integer up to 2^53 − 1, serialised as a JSON number (ledger positions).',
  serialize: (v) => Number(v),
  parseValue: (v) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      throw DomainError.badInput('position', 'not a non-negative integer');
    return v;
  },
  parseLiteral: (ast) => {
    const n = ast.kind === Kind.INT ? Number(ast.value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0)
      throw DomainError.badInput('position', 'not a non-negative integer');
    return n;
  },
});

/** A mass: integer grams inside, a decimal string of kilograms with up to 3 places outside (`"12.345"`). */
export const MassScalar = new GraphQLScalarType<number, string>({
  name: 'Mass',
  description:
    'A mass in kilograms, as a decimal string with up to three decimals ("12.345"): exact, never a float.',
  serialize: (v) => formatKg(Number(v)),
  parseValue: (v) => {
    if (typeof v !== 'string')
      throw DomainError.badInput('mass', 'a mass is a decimal string of kilograms, e.g. "12.345"');
    return parseKg(v);
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING)
      throw DomainError.badInput('mass', 'a mass is a decimal string of kilograms, e.g. "12.345"');
    return parseKg(ast.value);
  },
});

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses a strict ISO 8601 instant with a time zone, in years 1900–2199; undefined otherwise. */
export function parseInstant(text: string): Date | undefined {
  const m = ISO_INSTANT.exec(text);
  if (!m || Number(m[1]) < 1900 || Number(m[1]) > 2199) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Instants: ISO 8601 with a time zone (`2026-11-28T09:30:00+08:00`), stored in UTC with
 * milliseconds. Strict, so that a malformed or absurd date is a `BAD_USER_INPUT`, never a fault.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with a time zone (e.g. "2026-11-28T09:30:00+08:00"); answered in UTC with milliseconds.',
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString()),
  parseValue: (v) => {
    const d = typeof v === 'string' ? parseInstant(v) : undefined;
    if (!d) throw DomainError.badInput('date', `not an ISO 8601 instant with a time zone: ${JSON.stringify(v)}`);
    return d;
  },
  parseLiteral: (ast) => {
    const d = ast.kind === Kind.STRING ? parseInstant(ast.value) : undefined;
    if (!d) throw DomainError.badInput('date', 'not an ISO 8601 instant with a time zone');
    return d;
  },
});
