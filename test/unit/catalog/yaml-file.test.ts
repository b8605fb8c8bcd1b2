import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readYamlFile } from '../../../harness/catalog/index.js';
import { ConfigError } from '../../../harness/model/index.js';
import { configErrorOf } from '../support/errors.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

const readError = (file: string, root: string): string => configErrorOf(() => readYamlFile(file, root));

describe('readYamlFile', () => {
  it('parses a YAML file into plain values', () => {
    const dir = temp.make();
    const file = temp.write(dir, 'a.yaml', 'name: x\nlist: [1, two]\nnested: { ok: true }\n');
    expect(readYamlFile(file, dir)).toEqual({ name: 'x', list: [1, 'two'], nested: { ok: true } });
  });

  it('says when the file does not exist, showing the path relative to the display root', () => {
    const dir = temp.make();
    expect(readError(join(dir, 'sub', 'absent.yaml'), dir)).toBe(`${join('sub', 'absent.yaml')}: file not found`);
  });

  it('says when the path cannot be read as a file', () => {
    const dir = temp.make();
    temp.write(dir, 'folder.yaml/inner', 'x');
    expect(readError(join(dir, 'folder.yaml'), dir)).toBe('folder.yaml: cannot read (EISDIR)');
  });

  it('names the line of a syntax error in one line', () => {
    const dir = temp.make();
    const file = temp.write(dir, 'bad.yaml', 'a: 1\nb: 2\nc: [1, 2\nd: 4\n');
    const message = readError(file, dir);
    expect(message).toMatch(/^bad\.yaml:\d+: invalid YAML: /);
    expect(message).not.toContain('\n');
  });

  it('rejects a key given twice, naming its line', () => {
    const dir = temp.make();
    const file = temp.write(dir, 'dup.yaml', 'a: 1\nb: 2\na: 3\n');
    expect(readError(file, dir)).toMatch(/^dup\.yaml:3: invalid YAML: .*unique/);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const dir = temp.make();
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const file = temp.write(dir, 'bomb.yaml', lines.join('\n') + '\n');
    expect(() => readYamlFile(file, dir)).toThrow(/alias/i);
  });
});
