import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lotTransitionsMarkdown } from './domain';

/** Table rows as trimmed cells, so that a Markdown formatter's padding does not matter. */
const cells = (table: string): string[][] =>
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

describe('README: Lots', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

  it('prints the transition table generated from LOT_TRANSITIONS', () => {
    const m = /<!-- lot-transitions:start -->([\s\S]*?)<!-- lot-transitions:end -->/.exec(readme);
    expect(m).not.toBeNull();
    expect(cells(m![1])).toEqual(cells(lotTransitionsMarkdown()));
  });

  it('has a Lots section with a Mermaid lifecycle diagram, before the Tests section', () => {
    const lots = readme.indexOf('\n## Lots\n');
    expect(lots).toBeGreaterThan(0);
    expect(lots).toBeLessThan(readme.indexOf('\n## Tests\n'));
    expect(readme.slice(lots)).toMatch(/```mermaid\nstateDiagram-v2/);
  });
});
