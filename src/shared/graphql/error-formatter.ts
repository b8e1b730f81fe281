import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../../database/sql';
import { ERROR_MAP } from './error-map';
import { type ErrorCode, isDomainError } from '../domain/domain-error';

interface HttpLikeError {
  statusCode?: number;
  status?: number;
  code?: string;
  message?: string;
  errors?: unknown[];
  getStatus?: () => number;
  getResponse?: () => unknown;
}

export interface FormattedErrors {
  statusCode: number;
  response: { data: unknown; errors: GraphQLFormattedError[] };
}

type Logger = (err: unknown, message: string) => void;

/** Statuses Nest's HttpExceptions (guards, pipes) carry, mapped onto our codes. */
const STATUS_TO_CODE: Record<number, ErrorCode> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** The first quoted name in a graphql-js message (`Argument "filter"…`, `Variable "$x"…`), for `extensions.field`. */
function fieldFromMessage(message: string): string | undefined {
  const m = /Variable "\$([^"]+)"/.exec(message) ?? /(?:Argument|Field) "([^"]+)"/.exec(message);
  return m?.[1];
}

function withCode(
  err: GraphQLError,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLFormattedError {
  const presentation = ERROR_MAP[code];
  const json = err.toJSON();
  return {
    message,
    ...(json.locations ? { locations: json.locations } : {}),
    ...(json.path ? { path: json.path } : {}),
    extensions: { code: presentation.extensionsCode, retryable: presentation.retryable, ...extra },
  };
}

/**
 * Formats one error, whatever its origin, into a coded GraphQL error. Returns `requestLevel`
 * when the whole request was refused before execution (HTTP 400 or 413 rather than 200).
 */
function formatOne(err: GraphQLError, log: Logger): { error: GraphQLFormattedError; status?: number } {
  const original: (Error & HttpLikeError) | undefined = err.originalError;

  if (original && isDomainError(original)) {
    const { field, ...details } = original.details;
    return {
      error: withCode(err, original.code, original.message, { ...(field ? { field } : {}), ...details }),
    };
  }
  if (err.message.startsWith('Variable "$')) {
    // variable coercion (wrong type, unknown enum value, missing required variable)
    const field = /at "([^"]+)"/.exec(err.message)?.[1] ?? fieldFromMessage(err.message);
    return { error: withCode(err, 'BAD_USER_INPUT', err.message, field ? { field } : {}), status: 400 };
  }
  if (!original) {
    // Produced by graphql-js itself: syntax or validation.
    if (err.message.startsWith('Syntax Error'))
      return { error: withCode(err, 'GRAPHQL_PARSE_FAILED', err.message), status: 400 };
    const field = fieldFromMessage(err.message);
    if (err.path) {
      // an execution error with no cause, e.g. a non-null field resolved to null: a server fault
      log(err, 'GraphQL execution error');
      return { error: withCode(err, 'INTERNAL_SERVER_ERROR', 'Internal server error') };
    }
    return {
      error: withCode(err, 'GRAPHQL_VALIDATION_FAILED', err.message, field ? { field } : {}),
      status: 400,
    };
  }
  const status = original.getStatus?.() ?? original.statusCode ?? original.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = STATUS_TO_CODE[status] ?? 'BAD_USER_INPUT';
    const response = original.getResponse?.();
    const message =
      typeof response === 'object' && response && 'message' in response
        ? [response.message].flat().join('; ')
        : (original.message ?? 'Bad request');
    const isRequestLevel = typeof original.code === 'string' && /^(FST_|MER_)/.test(original.code);
    return { error: withCode(err, code, message), status: isRequestLevel ? status : undefined };
  }
  if (status === 503 || isDatabaseUnavailable(original)) {
    return { error: withCode(err, 'SERVICE_UNAVAILABLE', 'Service unavailable, try again') };
  }
  log(original, 'unexpected error in GraphQL operation');
  return { error: withCode(err, 'INTERNAL_SERVER_ERROR', 'Internal server error') };
}

/**
 * The Mercurius `errorFormatter`: every error gets `extensions.code` (and `field` where known),
 * never a stack trace, never HTTP 500. Request-level refusals (bad JSON, GraphQL syntax or
 * validation) answer 400; errors during execution answer 200 as GraphQL over HTTP expects.
 */
export function createErrorFormatter(log: Logger) {
  return (execution: { data?: unknown; errors: readonly GraphQLError[] }): FormattedErrors => {
    const flat: GraphQLError[] = [];
    for (const e of execution.errors) {
      const inner = (e.originalError as HttpLikeError | undefined)?.errors;
      if (Array.isArray(inner) && inner.length > 0) {
        for (const i of inner) flat.push(i instanceof GraphQLError ? i : toGraphQLError(i));
      } else {
        flat.push(e);
      }
    }
    const formatted = flat.map((e) => formatOne(e, log));
    const requestStatus = formatted.find((f) => f.status !== undefined)?.status;
    return {
      statusCode: execution.data ? 200 : (requestStatus ?? 200),
      response: { data: execution.data ?? null, errors: formatted.map((f) => f.error) },
    };
  };
}

function toGraphQLError(e: unknown): GraphQLError {
  if (e instanceof Error) return new GraphQLError(e.message, { originalError: e });
  return new GraphQLError(String(e));
}
