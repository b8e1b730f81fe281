import { generatedBlock, markdownCells, readReadme } from '../../test/support/readme';
import { lotTransitionsMarkdown } from './domain';

describe('README: Lots', () => {
  const readme = readReadme();

  it('prints the transition table generated from LOT_TRANSITIONS', () => {
    const block = generatedBlock(readme, 'lot-transitions');
    expect(block).not.toBeNull();
    expect(markdownCells(block!)).toEqual(markdownCells(lotTransitionsMarkdown()));
  });

  it('has a Lots section with a Mermaid lifecycle diagram, before the Tests section', () => {
    const lots = readme.indexOf('\n## Lots\n');
    expect(lots).toBeGreaterThan(0);
    expect(lots).toBeLessThan(readme.indexOf('\n## Tests\n'));
    expect(readme.slice(lots)).toMatch(/```mermaid\nstateDiagram-v2/);
  });
});
