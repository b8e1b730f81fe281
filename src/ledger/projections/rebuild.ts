import type { Sql } from '../../database/sql';
import { EVENT_COLUMNS, toStoredEvent } from '../ledger-transaction';
import type { ProjectionRegistry } from './projection';

export interface TableDifference {
  table: string;
  /** Rows in the live table that the rebuild does not produce. */
  onlyLive: number;
  /** Rows the rebuild produces that the live table lacks. */
  onlyRebuilt: number;
  /** A few differing rows, as JSON, to start looking. */
  samples: string[];
}

export interface RebuildReport {
  eventsReplayed: number;
  tables: string[];
  identical: boolean;
  differences: TableDifference[];
}

const BATCH = 5000;

/**
 * Rebuilds every read model from the events alone, into fresh temporary tables that shadow the
 * live ones for this session only (projections use unqualified names, and `pg_temp` comes first),
 * then compares them with the live tables row for row. Stream heads are rebuilt too. Needs a
 * session that may create temporary tables; nothing live is changed, and the caller rolls back.
 */
export async function rebuildAndCompare(sql: Sql, registry: ProjectionRegistry): Promise<RebuildReport> {
  const tables = ['ledger_stream', ...registry.all().flatMap((p) => p.tables)];
  for (const t of tables) {
    await sql.exec(
      `CREATE TEMP TABLE ${t} (LIKE public.${t} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES) ON COMMIT DROP`,
    );
  }
  let replayed = 0;
  for (let after = 0; ;) {
    const rows = await sql.rows<Parameters<typeof toStoredEvent>[0]>(
      `SELECT ${EVENT_COLUMNS} FROM public.ledger_event WHERE position > $1 ORDER BY position LIMIT ${BATCH}`,
      [after],
    );
    if (rows.length === 0) break;
    for (const row of rows) await registry.apply(sql, toStoredEvent(row));
    replayed += rows.length;
    after = Number(rows[rows.length - 1].position);
  }
  await sql.exec(
    `INSERT INTO pg_temp.ledger_stream (stream_id, stream_type, version, last_hash, last_occurred_at, last_position)
     SELECT DISTINCT ON (stream_id) stream_id, stream_type, version, hash,
            max(occurred_at) OVER (PARTITION BY stream_id), position
       FROM public.ledger_event ORDER BY stream_id, version DESC`,
  );
  const differences: TableDifference[] = [];
  for (const t of tables) {
    const live = t === 'ledger_stream' ? `(SELECT * FROM public.${t} WHERE version > 0)` : `public.${t}`;
    const [counts] = await sql.rows<{ only_live: number; only_rebuilt: number }>(
      `SELECT (SELECT count(*) FROM (SELECT * FROM ${live} l EXCEPT ALL SELECT * FROM pg_temp.${t}) a)::int AS only_live,
              (SELECT count(*) FROM (SELECT * FROM pg_temp.${t} EXCEPT ALL SELECT * FROM ${live} l) b)::int AS only_rebuilt`,
    );
    if (counts.only_live || counts.only_rebuilt) {
      const samples = await sql.rows<{ row: string }>(
        `(SELECT 'live: ' || to_jsonb(a)::text AS row FROM (SELECT * FROM ${live} l EXCEPT ALL SELECT * FROM pg_temp.${t}) a LIMIT 3)
         UNION ALL
         (SELECT 'rebuilt: ' || to_jsonb(b)::text FROM (SELECT * FROM pg_temp.${t} EXCEPT ALL SELECT * FROM ${live} l) b LIMIT 3)`,
      );
      differences.push({
        table: t,
        onlyLive: counts.only_live,
        onlyRebuilt: counts.only_rebuilt,
        samples: samples.map((s) => s.row),
      });
    }
  }
  return { eventsReplayed: replayed, tables, identical: differences.length === 0, differences };
}
