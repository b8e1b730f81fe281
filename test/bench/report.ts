import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Row {
  scenario: string;
  subject: string;
  perSecond?: number;
  p50?: number;
  p99?: number;
  seconds?: number;
  ratio?: number;
  note?: string;
}

const f = (n: number | undefined, d = 1) => (n === undefined ? '' : n.toFixed(d));

/** Prints one table and writes the JSON to test/bench/results/. */
export function report(rows: Row[], meta: Record<string, unknown>): string {
  const head = ['scenario', 'subject', 'ops/s', 'p50 ms', 'p99 ms', 'seconds', 'ratio', 'note'];
  const body = rows.map((r) => [
    r.scenario,
    r.subject,
    f(r.perSecond),
    f(r.p50),
    f(r.p99),
    f(r.seconds, 3),
    f(r.ratio, 2),
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.min(70, Math.max(h.length, ...body.map((b) => b[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  const table = [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
  console.log(
    `\n${Object.entries(meta)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('\n')}\n\n${table}\n`,
  );
  const dir = join(process.cwd(), 'test', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ meta, rows }, null, 2));
  console.log(`results written to ${file}`);
  return file;
}
