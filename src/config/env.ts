import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { toBool, toInt } from './env-transforms';
import { TelemetryEnv } from './telemetry-env';

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;

/**
 * Every environment variable HazLedger reads, validated once at start. A bad value stops the
 * start with a message that names the variable. The README's configuration table mirrors this.
 * The telemetry capability's settings (MQTT_*, TELEMETRY_*) are in `telemetry-env.ts`.
 */
export class Env extends TelemetryEnv {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Restricted application role (INSERT/SELECT on the ledger). Set by the embedded database when absent. */
  @IsString()
  @Matches(POSTGRES_URL, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Owner role that runs migrations; defaults to DATABASE_URL. */
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'MIGRATION_DATABASE_URL must be a postgres:// URL' })
  MIGRATION_DATABASE_URL?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** Folder for the embedded database and development keys. */
  @IsString()
  DATA_DIR = '.data';

  /** GraphiQL at /graphiql; defaults to on outside production. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHIQL?: boolean;

  /** Maximum GraphQL query depth. */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(100)
  GRAPHQL_MAX_DEPTH = 12;

  /** Maximum aliases in one GraphQL operation. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  GRAPHQL_MAX_ALIASES = 30;

  /** Maximum cost of one operation (fields after expanding fragments, lists weighted by their page size). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  GRAPHQL_MAX_COST = 50_000;

  /** Maximum operations in one batched request. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  GRAPHQL_MAX_BATCH = 10;

  /** Schema introspection; defaults to off in production. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHQL_INTROSPECTION?: boolean;

  /** Origins allowed to call the API from a browser (comma-separated); none by default (CORS closed). */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /**
   * Behind a load balancer or reverse proxy: whose `X-Forwarded-For` to believe, so that the client
   * address (login throttling, inspection-link limits, the opening log) is the client's, not the
   * proxy's. `true` (any), a number of hops, or comma-separated addresses/CIDRs of the proxies.
   * Unset: the connecting address is the client.
   */
  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[\d.:a-fA-F/]+(\s*,\s*[\d.:a-fA-F/]+)*)$/, {
    message: 'TRUST_PROXY: true, false, a number of hops, or comma-separated proxy addresses/CIDRs',
  })
  TRUST_PROXY?: string;

  /** Requests a device key may make per minute (per API process); beyond: RATE_LIMITED. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEVICE_RATE_LIMIT_PER_MINUTE = 1200;

  /** Maximum HTTP request body in bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 2_000_000;

  /** Database pool size of the application role. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /**
   * PostgreSQL's JIT compilation for the application's sessions (`-c jit=…` at connect). Off by
   * default: the workspace's large reads (a 10,000-lot custody chain) took 0.8 s with JIT and
   * 0.19 s without on PostgreSQL 15 with LLVM, the compilation costing more than it saves. Behind
   * a PgBouncer that refuses the `options` startup parameter, set `on` (no parameter is sent).
   */
  @IsIn(['on', 'off'])
  DATABASE_JIT: 'on' | 'off' = 'off';

  /** How far ahead of the server's clock a business time may lie (device clocks drift). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  LEDGER_MAX_CLOCK_SKEW_SECONDS = 300;

  /** Largest canonical size of one event, in bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  LEDGER_MAX_EVENT_BYTES = 65_536;

  /** How many times a command is re-run after a concurrency conflict before CONFLICT reaches the client. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(20)
  LEDGER_COMMAND_RETRIES = 3;

  /** Coalesce concurrent commands into shared transactions (one fsync for many). */
  @Transform(toBool)
  @IsBoolean()
  LEDGER_GROUP_COMMIT = true;

  /** Most commands in one group-commit transaction. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  LEDGER_GROUP_COMMIT_MAX_BATCH = 64;

  /** Group-commit transactions in flight at once (connections used by writes). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  LEDGER_GROUP_COMMIT_CONCURRENCY = 4;

  /** Write checkpoints from this process (one process at a time holds the checkpoint lock). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  LEDGER_CHECKPOINTS?: boolean;

  /** Seal a checkpoint once this many events are unsealed… */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LEDGER_CHECKPOINT_EVERY_EVENTS = 1000;

  /** …or once the oldest unsealed event is this old (milliseconds). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  LEDGER_CHECKPOINT_INTERVAL_MS = 10_000;

  /** Ed25519 private key for checkpoints: PKCS#8 PEM, or its base64. Required in production. */
  @IsOptional()
  @IsString()
  LEDGER_SIGNING_KEY?: string;

  /** Key id published with the public key; defaults to a fingerprint of the public key. */
  @IsOptional()
  @Matches(/^[\w.:-]{1,64}$/)
  LEDGER_SIGNING_KEY_ID?: string;

  /** ES256 (P-256) or RS256 private key (PKCS#8 PEM) that signs access tokens. Required in production. */
  @IsOptional()
  @IsString()
  JWT_PRIVATE_KEY?: string;

  /** Key id (`kid`) of JWT_PRIVATE_KEY; defaults to a fingerprint of its public key. */
  @IsOptional()
  @Matches(/^[\w.:-]{1,64}$/)
  JWT_KEY_ID?: string;

  /** Earlier public keys still accepted while their tokens live: JSON object {kid: PEM}. */
  @IsOptional()
  @IsString()
  JWT_PUBLIC_KEYS?: string;

  /** Development only: HS256 secret when no JWT_PRIVATE_KEY (generated into DATA_DIR when absent). */
  @IsOptional()
  @IsString()
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(86_400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  JWT_REFRESH_TTL_DAYS = 30;

  /** The system administrator created at start when missing (bootstraps agencies). */
  @IsOptional()
  @Matches(/^[\w.@-]{3,64}$/)
  SYSTEM_ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  SYSTEM_ADMIN_PASSWORD?: string;

  /** Failed logins per account within LOGIN_WINDOW_SECONDS before it is locked for that window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 5;

  /** Failed logins per client address within the window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_ADDRESS = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_WINDOW_SECONDS = 900;

  /** Largest mass of one lot (one container, or one tank load), in kilograms. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOT_MAX_MASS_KG = 40_000;

  /** Tolerance between a consolidated (or split) lot's mass and the sum of its sources, in percent (may have 2 decimals). */
  @Transform(({ value }: { value: unknown }) =>
    value === undefined || value === '' ? undefined : Number(value),
  )
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  LOT_CONSOLIDATION_TOLERANCE_PERCENT = 1;

  /** How often the oversight scheduler runs every capability's alert rules (seconds); 0 turns it off. Defaults to 60, and 0 in tests. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  OVERSIGHT_SCHEDULE_SECONDS?: number;

  /** How long a manifest's one-time handover code (交接码) stays valid, in hours. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  HANDOVER_CODE_TTL_HOURS = 72;

  /** Receipt discrepancy tolerance (measured vs pickup weighing, else declared), in percent (may have 2 decimals). */
  @Transform(({ value }: { value: unknown }) =>
    value === undefined || value === '' ? undefined : Number(value),
  )
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  RECEIPT_TOLERANCE_PERCENT = 5;

  /** How long the other parties on a manifest have to answer a correction request, in hours. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  CORRECTION_RESPONSE_HOURS = 72;

  /** Largest offline scan batch (`submitScans`), in acts. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  SCAN_BATCH_LIMIT = 500;

  /**
   * 管理计划 rule at manifest submission (NOT_IN_PLAN): REFUSE the submission, or record it and
   * ALERT. Defaults to REFUSE, and to ALERT in tests (suites written before plans existed).
   */
  @IsOptional()
  @IsIn(['REFUSE', 'ALERT'])
  PLAN_ENFORCEMENT?: 'REFUSE' | 'ALERT';

  /** Rows read per database round trip when a ledger book is exported as CSV (small batches die young: less heap). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(50_000)
  LEDGER_BOOK_CSV_BATCH = 500;

  /**
   * 路检链接 — HMAC-SHA256 key that signs roadside inspection links (base64 of at least 32 bytes).
   * Unset: a key generated once into DATA_DIR (development), an ephemeral one in tests.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/_-]{43,}={0,2}$/, {
    message: 'INSPECTION_LINK_KEY must be base64 of at least 32 bytes',
  })
  INSPECTION_LINK_KEY?: string;

  /** How long an inspection link keeps working after its manifest is closed or cancelled, in days. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  INSPECTION_LINK_DAYS_AFTER_CLOSE = 7;

  /**
   * Openings of inspection links (`/inspect/…`) per client address and minute, in each API
   * process: the links are public and every opening is logged, so a flood is cut off early.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INSPECTION_RATE_LIMIT_PER_MINUTE = 60;

  /** The API's public address for links printed on documents (QR codes); unset: taken from the request's Host. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'PUBLIC_BASE_URL must be an http(s):// URL' })
  PUBLIC_BASE_URL?: string;

  /** Seed the demo world on an empty database (never in production). Defaults to on outside production. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  SEED_DEMO?: boolean;
}

/** Keys a production process must be given, and what each is. */
export const PRODUCTION_KEYS: readonly [
  'LEDGER_SIGNING_KEY' | 'JWT_PRIVATE_KEY' | 'INSPECTION_LINK_KEY',
  string,
][] = [
  ['LEDGER_SIGNING_KEY', 'an Ed25519 PKCS#8 private key that signs checkpoints'],
  ['JWT_PRIVATE_KEY', 'an ES256 or RS256 PKCS#8 private key that signs access tokens'],
  ['INSPECTION_LINK_KEY', 'base64 of at least 32 random bytes, the HMAC key of inspection links'],
];

/** Validates `raw` (usually `process.env`) and returns typed settings, or throws naming every bad variable. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const env = plainToInstance(Env, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const value = /URL|KEY|SECRET|PASSWORD/.test(e.property) ? '(hidden)' : JSON.stringify(e.value);
      return `  ${e.property}=${value}: ${Object.values(e.constraints ?? {}).join('; ')}`;
    });
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (env.NODE_ENV === 'production') {
    // in development each of these is generated into DATA_DIR; in production a key on one
    // machine's disk would split the processes (tokens, links, checkpoints valid on one only)
    const missing = PRODUCTION_KEYS.filter(([name]) => !env[name]);
    if (missing.length > 0) {
      throw new Error(
        `Invalid configuration:\n${missing.map(([name, what]) => `  ${name} is required in production (${what})`).join('\n')}\n  \`npm run keys\` prints a fresh set`,
      );
    }
  }
  return env;
}
