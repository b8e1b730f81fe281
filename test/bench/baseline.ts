import { Pool } from 'pg';
import { uuidv7 } from '../../src/shared/ids';

/** One table's part of a command: how many rows it writes there, and how to copy a template row with fresh keys. */
export interface TableWork {
  table: string;
  rowsPerOp: number;
  uniqueColumns: { name: string; type: string; identity: boolean }[];
  /** Integer columns of unique keys with no text, binary or identity column to make them fresh (e.g. a book entry's position and seq). */
  counterColumns: string[];
  templateCtid: string;
}

/** A column type the baseline fills with a fresh uuid-like value. */
const freshType = (type: string) => /^(text|uuid|character|bytea)/.test(type);

/** Row counts of every table of the public schema. */
export async function rowCounts(pool: Pool): Promise<Map<string, number>> {
  const tables = await pool.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
  );
  const out = new Map<string, number>();
  for (const { t } of tables.rows)
    out.set(t, Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n));
  return out;
}

/** The tables (and rows per operation) an API run wrote, found from the row counts before and after it. */
export async function workOf(
  pool: Pool,
  before: Map<string, number>,
  after: Map<string, number>,
  ops: number,
): Promise<TableWork[]> {
  const work: TableWork[] = [];
  for (const [table, n] of after) {
    const per = Math.round((n - (before.get(table) ?? 0)) / ops);
    if (per < 1) continue;
    const uniq = await pool.query<{ index: string; name: string; type: string; identity: string }>(
      `SELECT i.indexrelid::text AS index, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attidentity AS identity
         FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisunique`,
      [table],
    );
    const columns = uniq.rows.map((u) => ({ name: u.name, type: u.type, identity: u.identity !== '' }));
    const counterColumns = new Set<string>();
    for (const index of new Set(uniq.rows.map((u) => u.index))) {
      const of = columns.filter((_, k) => uniq.rows[k].index === index);
      if (of.some((c) => c.identity || freshType(c.type))) continue;
      for (const c of of) if (/^(bigint|integer|smallint)/.test(c.type)) counterColumns.add(c.name);
    }
    const unique = [...new Map(columns.map((c) => [c.name, c])).values()];
    const [tpl] = (
      await pool.query<{ ctid: string }>(
        `SELECT ctid::text AS ctid FROM "${table}" ORDER BY ctid DESC LIMIT 1`,
      )
    ).rows;
    work.push({
      table,
      rowsPerOp: per,
      uniqueColumns: unique,
      counterColumns: [...counterColumns],
      templateCtid: tpl.ctid,
    });
  }
  return work;
}

/**
 * Fresh values for integer-only unique keys, far from anything the API wrote: one counter for the
 * whole process, so that a second run (at another concurrency) never reuses the first one's keys.
 */
let counter = 0;

/**
 * The bare baseline: the same database work as one API command — one transaction, a read of a
 * stream head with a row lock, then the same rows in the same tables (template rows copied with
 * fresh keys, so the same indexes and triggers run) — driven by a minimal `pg` client at the
 * same concurrency. It measures PostgreSQL, so that the API's ratio measures the service.
 */
export async function runBaseline(url: string, work: TableWork[], connections: number, durationMs: number) {
  const pool = new Pool({ connectionString: url, max: connections });
  const latencies: number[] = [];
  let errors = 0;
  const fresh = (type: string) => {
    counter += 1;
    if (type.startsWith('bigint')) return String(1e15 + counter);
    if (type.startsWith('integer')) return String(2_000_000_000 - counter);
    return String(counter % 32_000);
  };
  const deadline = Date.now() + durationMs;
  const op = async () => {
    const c = await pool.connect();
    const t0 = performance.now();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_current_xact_id()');
      await c.query(`SELECT version FROM ledger_stream WHERE stream_id = $1 FOR UPDATE`, [
        `bench-${uuidv7()}`,
      ]);
      for (const w of work) {
        for (let r = 0; r < w.rowsPerOp; r++) {
          const overrides: Record<string, unknown> = {};
          let position = '';
          for (const u of w.uniqueColumns) {
            if (w.counterColumns.includes(u.name)) overrides[u.name] = fresh(u.type);
            else if (u.identity) position = u.name;
            else if (/^(text|uuid|character)/.test(u.type)) overrides[u.name] = uuidv7();
            // integer parts of composite keys (a stream version) stay: the text part next to them is fresh
            else if (u.type === 'bytea') overrides[u.name] = `\\x${Buffer.from(uuidv7()).toString('hex')}`;
          }
          const identity = position
            ? ` || jsonb_build_object('${position}', nextval(pg_get_serial_sequence('${w.table}', '${position}')))`
            : '';
          await c.query(
            `INSERT INTO "${w.table}" ${position ? 'OVERRIDING SYSTEM VALUE' : ''}
             SELECT (jsonb_populate_record(NULL::"${w.table}", to_jsonb(t) || $1::jsonb${identity})).* FROM "${w.table}" t WHERE ctid = $2::tid`,
            [JSON.stringify(overrides), w.templateCtid],
          );
        }
      }
      await c.query('COMMIT');
      latencies.push(performance.now() - t0);
    } catch (e) {
      errors += 1;
      if (errors === 1)
        console.warn(
          `baseline error (first of its kind shown): ${e instanceof Error ? e.message : String(e)}`,
        );
      await c.query('ROLLBACK').catch(() => undefined);
    } finally {
      c.release();
    }
  };
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) await op();
    }),
  );
  const seconds = (Date.now() - t0) / 1000;
  await pool.end();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { ops: latencies.length, perSecond: latencies.length / seconds, p50: pct(50), p99: pct(99), errors };
}
