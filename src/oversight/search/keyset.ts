import { decodeCursor } from '../../shared/graphql/pagination';

/** A sort key: a NOT NULL column with an index on (column, id), and how to cast a cursor value back. */
export interface SortKey {
  readonly column: string;
  readonly cast: 'date' | 'timestamptz' | 'bigint' | 'text';
}

export type SortDirection = 'ASC' | 'DESC';

/** A search as SQL: the page (first + 1 rows) and the total count, over the same conditions. */
export interface SearchSql {
  readonly page: { readonly text: string; readonly params: unknown[] };
  readonly count: { readonly text: string; readonly params: unknown[] };
}

/**
 * Keyset (cursor) pagination over a sort key and the row id: each row carries `"sortKey"` (the key
 * as text, so that a cursor is a pair of strings) and `"id"`; the next page starts strictly after
 * the cursor's (key, id) in the sort direction, through the (column, id) index, never an OFFSET.
 */
export function keysetSearch(q: {
  select: string;
  from: string;
  where: readonly string[];
  params: unknown[];
  id: string;
  sort: SortKey;
  direction: SortDirection;
  first: number;
  after?: string;
}): SearchSql {
  const cond = q.where.length ? `WHERE ${q.where.join(' AND ')}` : '';
  const count = { text: `SELECT count(*)::int AS n FROM ${q.from} ${cond}`, params: [...q.params] };
  const params = [...q.params];
  const where = [...q.where];
  if (q.after) {
    const [key, id] = decodeCursor(q.after, 2).map(String);
    const op = q.direction === 'ASC' ? '>' : '<';
    where.push(
      `(${q.sort.column}, ${q.id}) ${op} ($${params.push(key)}::${q.sort.cast}, $${params.push(id)}::text)`,
    );
  }
  const text = `SELECT ${q.sort.column}::text AS "sortKey", ${q.id} AS "id", ${q.select}
      FROM ${q.from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY ${q.sort.column} ${q.direction}, ${q.id} ${q.direction}
     LIMIT ${q.first + 1}`;
  return { page: { text, params }, count };
}

/** `[from, to]` Shanghai dates as a half-open range of instants on `column`. */
export function dateRange(
  column: string,
  params: unknown[],
  range: { from?: string; to?: string },
  asInstants: boolean,
): string[] {
  const out: string[] = [];
  if (asInstants) {
    if (range.from) out.push(`${column} >= $${params.push(`${range.from}T00:00:00+08:00`)}::timestamptz`);
    if (range.to)
      out.push(`${column} < ($${params.push(`${range.to}T00:00:00+08:00`)}::timestamptz + interval '1 day')`);
  } else {
    if (range.from) out.push(`${column} >= $${params.push(range.from)}::date`);
    if (range.to) out.push(`${column} <= $${params.push(range.to)}::date`);
  }
  return out;
}

/** A division-code prefix as a LIKE pattern (digits only; validated at the edge). */
export const prefixPattern = (prefix: string): string => `${prefix.replace(/[^0-9]/g, '')}%`;
