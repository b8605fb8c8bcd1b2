import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST, writeManifest } from '../../../harness/report/index.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/** A report bundle with files at the top and below evidence/. */
function bundle(): string {
  const dir = temp.make();
  temp.write(dir, 'report.json', '{"formatVersion":1}\n');
  temp.write(dir, 'junit.xml', '<testsuites/>\n');
  temp.write(dir, 'evidence/b.check.jsonl', '{"seq":1}\n');
  temp.write(dir, 'evidence/a.check.jsonl', '{"seq":2}\n');
  temp.write(dir, 'report.json.sig', 'detached signature');
  return dir;
}

function manifestLines(dir: string): string[] {
  const text = readFileSync(join(dir, MANIFEST), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('writeManifest', () => {
  it('writes one "sha256  path" line per file, in sha256sum format, sorted by path', () => {
    const dir = bundle();
    writeManifest(dir);
    expect(manifestLines(dir)).toEqual([
      `${sha256('{"seq":2}\n')}  evidence/a.check.jsonl`,
      `${sha256('{"seq":1}\n')}  evidence/b.check.jsonl`,
      `${sha256('<testsuites/>\n')}  junit.xml`,
      `${sha256('{"formatVersion":1}\n')}  report.json`,
    ]);
  });

  it('leaves out itself and detached signatures, also when written again', () => {
    const dir = bundle();
    writeManifest(dir);
    const first = readFileSync(join(dir, MANIFEST), 'utf8');
    writeManifest(dir);
    expect(readFileSync(join(dir, MANIFEST), 'utf8')).toBe(first);
    for (const line of manifestLines(dir)) {
      expect(line).toMatch(/^[0-9a-f]{64} {2}\S/);
      expect(line).not.toContain(MANIFEST);
      expect(line).not.toContain('.sig');
    }
  });

  it('reflects a changed file', () => {
    const dir = bundle();
    writeManifest(dir);
    temp.write(dir, 'junit.xml', '<testsuites tests="1"/>\n');
    writeManifest(dir);
    expect(manifestLines(dir)).toContain(`${sha256('<testsuites tests="1"/>\n')}  junit.xml`);
  });
});
