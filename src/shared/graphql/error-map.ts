import type { ErrorCode } from '../domain/domain-error';

/**
 * THE map from a domain error code to what a GraphQL client sees. Used by the Mercurius
 * `errorFormatter` (which also formats GraphQL validation and syntax errors that never reach
 * Nest) and by the HTTP exception filter. `Record<ErrorCode, …>` makes it exhaustive: a new code
 * without an entry does not compile.
 */
export interface ErrorPresentation {
  /** The `extensions.code` the client sees. */
  extensionsCode: string;
  /** Whether the same request may succeed if sent again later. */
  retryable: boolean;
  /** HTTP status for plain HTTP routes (GraphQL answers 200 for executed operations). */
  httpStatus: number;
}

const p = (extensionsCode: string, httpStatus: number, retryable = false): ErrorPresentation => ({
  extensionsCode,
  httpStatus,
  retryable,
});

export const ERROR_MAP: Record<ErrorCode, ErrorPresentation> = {
  UNAUTHENTICATED: p('UNAUTHENTICATED', 401),
  FORBIDDEN: p('FORBIDDEN', 403),
  NOT_FOUND: p('NOT_FOUND', 404),
  BAD_USER_INPUT: p('BAD_USER_INPUT', 400),
  CONFLICT: p('CONFLICT', 409, true),
  IDEMPOTENCY_KEY_REUSED: p('IDEMPOTENCY_KEY_REUSED', 422),
  INVALID_TRANSITION: p('INVALID_TRANSITION', 409),
  SERVICE_UNAVAILABLE: p('SERVICE_UNAVAILABLE', 503, true),
  INTERNAL_SERVER_ERROR: p('INTERNAL_SERVER_ERROR', 500, true),
  GRAPHQL_VALIDATION_FAILED: p('GRAPHQL_VALIDATION_FAILED', 400),
  GRAPHQL_PARSE_FAILED: p('GRAPHQL_PARSE_FAILED', 400),
  PAYLOAD_TOO_LARGE: p('PAYLOAD_TOO_LARGE', 413),
  RATE_LIMITED: p('RATE_LIMITED', 429, true),
  INVALID_USCC: p('INVALID_USCC', 422),
  UNKNOWN_WASTE_CODE: p('UNKNOWN_WASTE_CODE', 422),
  PARTY_NOT_VERIFIED: p('PARTY_NOT_VERIFIED', 422),
  RECEIVER_NOT_LICENSED: p('RECEIVER_NOT_LICENSED', 422),
  CARRIER_NOT_LICENSED: p('CARRIER_NOT_LICENSED', 422),
  VEHICLE_NOT_AUTHORISED: p('VEHICLE_NOT_AUTHORISED', 422),
  LICENCE_CAPACITY_EXCEEDED: p('LICENCE_CAPACITY_EXCEEDED', 422),
  NOT_IN_PLAN: p('NOT_IN_PLAN', 422),
  CROSS_PROVINCE_APPROVAL_REQUIRED: p('CROSS_PROVINCE_APPROVAL_REQUIRED', 422),
  LICENCE_MODE_MISSING: p('LICENCE_MODE_MISSING', 422),
  CERTIFICATE_EXPIRED: p('CERTIFICATE_EXPIRED', 422),
  LOT_NOT_IN_CUSTODY: p('LOT_NOT_IN_CUSTODY', 422),
  LOT_ON_OPEN_MANIFEST: p('LOT_ON_OPEN_MANIFEST', 422),
  LABEL_MISMATCH: p('LABEL_MISMATCH', 422),
  HANDOVER_CODE_INVALID: p('HANDOVER_CODE_INVALID', 422),
  HANDOVER_CODE_LOCKED: p('HANDOVER_CODE_LOCKED', 423),
  MASS_MISMATCH: p('MASS_MISMATCH', 422),
  LEDGER_LIMIT_EXCEEDED: p('LEDGER_LIMIT_EXCEEDED', 413),
};
