import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project's README.md. */
export const readReadme = (): string => readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** Table rows as trimmed cells, so that a Markdown formatter's padding does not matter. */
export const markdownCells = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim().replace(/^-+$/, '---')),
    );

/** The text between `<!-- name:start -->` and `<!-- name:end -->`, or null. */
export function generatedBlock(readme: string, name: string): string | null {
  const start = readme.indexOf(`<!-- ${name}:start -->`);
  const end = readme.indexOf(`<!-- ${name}:end -->`);
  return start < 0 || end < start ? null : readme.slice(start + `<!-- ${name}:start -->`.length, end);
}
