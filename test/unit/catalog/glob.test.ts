import { describe, expect, it } from 'vitest';
import { expandGlobs } from '../../../harness/catalog/index.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

/** suites/a.suite.ts, suites/b.suite.ts, suites/ab.ts, suites/x/c.suite.ts, suites/x/y/d.suite.ts, other/e.suite.ts */
function tree(): string {
  const root = temp.make();
  for (const path of [
    'suites/a.suite.ts',
    'suites/b.suite.ts',
    'suites/ab.ts',
    'suites/x/c.suite.ts',
    'suites/x/y/d.suite.ts',
    'suites/node_modules/n.suite.ts',
    'other/e.suite.ts',
  ]) {
    temp.write(root, path, '// test file');
  }
  return root;
}

describe('expandGlobs', () => {
  it('"*" matches within one segment only', () => {
    expect(expandGlobs(tree(), ['suites/*.suite.ts'])).toEqual(['suites/a.suite.ts', 'suites/b.suite.ts']);
  });

  it('"?" matches exactly one character', () => {
    expect(expandGlobs(tree(), ['suites/?.suite.ts'])).toEqual(['suites/a.suite.ts', 'suites/b.suite.ts']);
    expect(expandGlobs(tree(), ['suites/a?.ts'])).toEqual(['suites/ab.ts']);
  });

  it('"**" matches any depth, including none, and skips node_modules', () => {
    expect(expandGlobs(tree(), ['suites/**/*.suite.ts'])).toEqual([
      'suites/a.suite.ts',
      'suites/b.suite.ts',
      'suites/x/c.suite.ts',
      'suites/x/y/d.suite.ts',
    ]);
  });

  it('"." in a pattern is literal', () => {
    expect(expandGlobs(tree(), ['suites/a.suite.t?'])).toEqual(['suites/a.suite.ts']);
    expect(expandGlobs(tree(), ['suites/a?suite.ts'])).toEqual(['suites/a.suite.ts']);
    expect(expandGlobs(tree(), ['suites/aXsuite.ts'])).toEqual([]);
  });

  it('matches files, not directories, at the last segment', () => {
    expect(expandGlobs(tree(), ['suites/*'])).toEqual(['suites/a.suite.ts', 'suites/ab.ts', 'suites/b.suite.ts']);
  });

  it('joins several patterns sorted and without duplicates', () => {
    expect(expandGlobs(tree(), ['other/*.ts', 'suites/a.*', 'suites/?.suite.ts'])).toEqual([
      'other/e.suite.ts',
      'suites/a.suite.ts',
      'suites/b.suite.ts',
    ]);
  });

  it('returns nothing for a folder that does not exist', () => {
    expect(expandGlobs(tree(), ['missing/**/*.ts', 'missing/*.ts'])).toEqual([]);
  });
});
