import type { DataSource, QueryRunner } from 'typeorm';

/** The small SQL surface the ledger and the read models use: rows, one row, or a count of affected rows. */
export interface Sql {
  rows<T>(text: string, params?: unknown[]): Promise<T[]>;
  one<T>(text: string, params?: unknown[]): Promise<T | undefined>;
  exec(text: string, params?: unknown[]): Promise<number>;
}

interface StructuredResult {
  records?: unknown[];
  affected?: number;
}

/** SQL on one connection (inside a transaction). */
export class RunnerSql implements Sql {
  constructor(readonly runner: QueryRunner) {}

  async rows<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const r = (await this.runner.query(text, params, true)) as StructuredResult;
    return (r.records ?? []) as T[];
  }

  async one<T>(text: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(text, params))[0];
  }

  async exec(text: string, params: unknown[] = []): Promise<number> {
    const r = (await this.runner.query(text, params, true)) as StructuredResult;
    return r.affected ?? 0;
  }
}

/** Read-only SQL on the pool (each statement on any connection). */
export class PoolSql implements Sql {
  constructor(private readonly ds: DataSource) {}

  async rows<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.ds.query<unknown>(text, params);
    // TypeORM answers UPDATE and DELETE with [rows, rowCount]; rows are objects, never arrays
    if (
      Array.isArray(result) &&
      result.length === 2 &&
      Array.isArray(result[0]) &&
      typeof result[1] === 'number'
    ) {
      return result[0] as T[];
    }
    return result as T[];
  }

  async one<T>(text: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(text, params))[0];
  }

  async exec(text: string, params: unknown[] = []): Promise<number> {
    const runner = this.ds.createQueryRunner();
    try {
      return await new RunnerSql(runner).exec(text, params);
    } finally {
      await runner.release();
    }
  }
}

/** The SQLSTATE of a database error, through TypeORM's wrapper. */
export function sqlState(e: unknown): string | undefined {
  const err = e as { code?: unknown; driverError?: { code?: unknown } };
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The constraint a unique violation hit, if any. */
export function sqlConstraint(e: unknown): string | undefined {
  const err = e as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const c = err?.driverError?.constraint ?? err?.constraint;
  return typeof c === 'string' ? c : undefined;
}

interface PgLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** SQL on a plain `pg` client or pool (command-line tools, tests). */
export class PgSql implements Sql {
  constructor(private readonly client: PgLike) {}

  async rows<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query(text, params)).rows as T[];
  }

  async one<T>(text: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(text, params))[0];
  }

  async exec(text: string, params: unknown[] = []): Promise<number> {
    return (await this.client.query(text, params)).rowCount ?? 0;
  }
}

const UNAVAILABLE_STATE = /^(08|57P0|53)/;
const UNAVAILABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|terminating connection|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

/** True for failures that mean "the database cannot be reached now" (retry later), not a bug. */
export function isDatabaseUnavailable(e: unknown): boolean {
  const state = sqlState(e);
  if (state && UNAVAILABLE_STATE.test(state)) return true;
  const message = e instanceof Error ? e.message : String(e);
  return UNAVAILABLE_MESSAGE.test(message);
}
