/**
 * The closed set of error codes a client can see (SPEC section 13). Every refusal in the domain
 * is a `DomainError` carrying one of these; `src/shared/graphql/error-map.ts` is the ONE place
 * that turns a code into a GraphQL `extensions.code` (and says whether it is retryable).
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'INVALID_TRANSITION',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INVALID_USCC',
  'UNKNOWN_WASTE_CODE',
  'PARTY_NOT_VERIFIED',
  'RECEIVER_NOT_LICENSED',
  'CARRIER_NOT_LICENSED',
  'VEHICLE_NOT_AUTHORISED',
  'LICENCE_CAPACITY_EXCEEDED',
  'NOT_IN_PLAN',
  'CROSS_PROVINCE_APPROVAL_REQUIRED',
  'LICENCE_MODE_MISSING',
  'CERTIFICATE_EXPIRED',
  'LOT_NOT_IN_CUSTODY',
  'LOT_ON_OPEN_MANIFEST',
  'LABEL_MISMATCH',
  'HANDOVER_CODE_INVALID',
  'HANDOVER_CODE_LOCKED',
  'MASS_MISMATCH',
  'LEDGER_LIMIT_EXCEEDED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DomainErrorDetails {
  /** The input field at fault, as a dotted path (`input.filter.category`). */
  field?: string;
  [key: string]: unknown;
}

/** A refusal the client is meant to see. Never carries a stack trace to the client. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static badInput(field: string, message: string, details: DomainErrorDetails = {}): DomainError {
    return new DomainError('BAD_USER_INPUT', message, { ...details, field });
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** Exhaustiveness helper for discriminated unions. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
