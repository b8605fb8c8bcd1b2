import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../harness/model/index.js';
import { writeJunit } from '../../../harness/report/index.js';
import { checkRow, minimalReport } from '../support/report.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// XML 1.0 Char production, minus the surrogate range JavaScript strings could carry unpaired
const INVALID_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(text: string): string {
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`raw "&" in ${JSON.stringify(text)}`);
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);
}

/**
 * A strict little parser for the subset of XML junit.xml uses (declaration, elements, double-quoted
 * attributes, text). It throws on anything not well-formed, so a test can assert the file parses.
 */
function parseXml(xml: string): XmlElement {
  if (INVALID_CHAR.test(xml)) throw new Error('character not allowed in XML 1.0');
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const root: XmlElement = { name: '#root', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (token.lastIndex < body.length) {
    const at = token.lastIndex;
    const m = token.exec(body);
    if (!m) throw new Error(`not well-formed at offset ${at}: ${JSON.stringify(body.slice(at, at + 40))}`);
    const [, closing, name, attrs, selfClosing, text] = m;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      top.text += decode(text);
    } else if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const a of (attrs ?? '').matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        if (a[1]! in attributes) throw new Error(`attribute ${a[1]} twice`);
        attributes[a[1]!] = decode(a[2]!);
      }
      const element: XmlElement = { name: name!, attributes, children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root.children.length !== 1 || root.text.trim()) throw new Error('more than one root element');
  return root.children[0]!;
}

function find(element: XmlElement, name: string): XmlElement[] {
  return [...(element.name === name ? [element] : []), ...element.children.flatMap((c) => find(c, name))];
}

function junitOf(report: Report): { xml: string; root: XmlElement } {
  const dir = temp.make();
  writeJunit(dir, report);
  const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
  return { xml, root: parseXml(xml) };
}

function testcase(root: XmlElement, checkId: string): XmlElement {
  const found = find(root, 'testcase').find((t) => t.attributes['name']?.startsWith(`${checkId}:`));
  if (!found) throw new Error(`no testcase for ${checkId}`);
  return found;
}

describe('writeJunit', () => {
  it('maps FAIL to <failure>, ERROR to <error>, NA and NOT_EXECUTED to <skipped>, PASS to an empty testcase', () => {
    const { root } = junitOf(
      minimalReport({
        verdict: 'NOT_CONFORMANT',
        exitCode: 1,
        checks: [
          checkRow('c.pass', 'PASS'),
          checkRow('c.fail', 'FAIL', 'expected Oi4, saw oi4'),
          checkRow('c.error', 'ERROR', 'broker gone'),
          checkRow('c.na', 'NA', 'no Data'),
          checkRow('c.notexec', 'NOT_EXECUTED', 'no restart action'),
          checkRow('c.warn', 'WARN', 'slow'),
        ],
      }),
    );
    const kinds = (id: string) => testcase(root, id).children.filter((c) => c.name !== 'properties').map((c) => c.name);
    expect(kinds('c.pass')).toEqual([]);
    expect(kinds('c.fail')).toEqual(['failure']);
    expect(kinds('c.error')).toEqual(['error']);
    expect(kinds('c.na')).toEqual(['skipped']);
    expect(kinds('c.notexec')).toEqual(['skipped']);
    expect(kinds('c.warn')).toEqual(['system-out']);
    expect(testcase(root, 'c.fail').children.find((c) => c.name === 'failure')?.attributes['message']).toBe('expected Oi4, saw oi4');
    expect(testcase(root, 'c.notexec').children.find((c) => c.name === 'skipped')?.attributes['message']).toBe('NOT_EXECUTED: no restart action');

    const suite = find(root, 'testsuite').find((s) => s.attributes['name'] === 'suites/test.suite.ts')!;
    expect(suite.attributes).toMatchObject({ tests: '6', failures: '1', errors: '1', skipped: '2' });
    expect(root.attributes['tests']).toBe('7');
  });

  it('escapes XML special characters so messages survive a round trip', () => {
    const nasty = `expected <Oi4> & "quotes" 'apostrophes' > done`;
    const { xml, root } = junitOf(minimalReport({ verdict: 'NOT_CONFORMANT', exitCode: 1, checks: [checkRow('c.fail', 'FAIL', nasty)] }));
    const failure = testcase(root, 'c.fail').children.find((c) => c.name === 'failure')!;
    expect(failure.attributes['message']).toBe(nasty);
    expect(failure.text).toBe(nasty);
    // no raw "<" or unescaped "&" inside any attribute value
    for (const [, value] of xml.matchAll(/="([^"]*)"/g)) {
      expect(value).not.toMatch(/<|&(?!(amp|lt|gt|quot|apos);)/);
    }
  });

  it('replaces control characters, which XML 1.0 cannot carry, and keeps tabs and newlines', () => {
    const message = 'nul\u0000 bell\u0007 esc\u001b vt\u000b tab\tnewline\n';
    const { root } = junitOf(minimalReport({ verdict: 'NOT_CONFORMANT', exitCode: 1, checks: [checkRow('c.fail', 'FAIL', message)] }));
    const failure = testcase(root, 'c.fail').children.find((c) => c.name === 'failure')!;
    expect(failure.text).toBe('nul\uFFFD bell\uFFFD esc\uFFFD vt\uFFFD tab\tnewline\n');
  });

  it('escapes suite paths, check titles and the target name', () => {
    const check = { ...checkRow('c.pass', 'PASS', '', 'suites/<odd>&.suite.ts'), title: 'title with "quotes" & <tags>' };
    const report = minimalReport({ checks: [check] });
    const { root } = junitOf({ ...report, target: { ...report.target, name: 'dev<1>&co' } });
    expect(testcase(root, 'c.pass').attributes).toMatchObject({ name: 'c.pass: title with "quotes" & <tags>', classname: 'suites/<odd>&.suite.ts' });
    expect(find(root, 'testsuite').map((s) => s.attributes['name'])).toContain('suites/<odd>&.suite.ts');
    const verdictCase = find(root, 'testcase').find((t) => t.attributes['classname'] === 'verdict');
    expect(verdictCase?.attributes['name']).toBe('test-profile 1.0.0 on dev<1>&co: CONFORMANT');
  });

  it('lists the requirements and the outcome of each check as properties', () => {
    const { root } = junitOf(minimalReport({ checks: [{ ...checkRow('c.pass', 'PASS'), requirements: ['A-001', 'B-002'] }] }));
    const properties = find(testcase(root, 'c.pass'), 'property').map((p) => [p.attributes['name'], p.attributes['value']]);
    expect(properties).toEqual([
      ['requirement', 'A-001'],
      ['requirement', 'B-002'],
      ['outcome', 'PASS'],
    ]);
  });

  it('groups checks into one testsuite per suite file', () => {
    const { root } = junitOf(
      minimalReport({ checks: [checkRow('a.one', 'PASS', '', 'suites/a.suite.ts'), checkRow('b.one', 'PASS', '', 'suites/b.suite.ts'), checkRow('a.two', 'PASS', '', 'suites/a.suite.ts')] }),
    );
    const suites = find(root, 'testsuite').map((s) => [s.attributes['name'], s.attributes['tests']]);
    expect(suites).toEqual([
      ['suites/a.suite.ts', '2'],
      ['suites/b.suite.ts', '1'],
      ['verdict', '1'],
    ]);
  });

  it('has a verdict testsuite whose testcase passes only when the verdict is CONFORMANT', () => {
    const verdictCase = (report: Report) => find(find(junitOf(report).root, 'testsuite').find((s) => s.attributes['name'] === 'verdict')!, 'testcase')[0]!;
    const conformant = verdictCase(minimalReport());
    expect(conformant.attributes['name']).toBe('test-profile 1.0.0 on unit-target: CONFORMANT');
    expect(conformant.children).toEqual([]);
    for (const [verdict, exitCode] of [['NOT_CONFORMANT', 1], ['INCOMPLETE', 3]] as const) {
      const failed = verdictCase(minimalReport({ verdict, exitCode }));
      expect(failed.children.map((c) => [c.name, c.attributes['type']])).toEqual([['failure', verdict]]);
    }
  });
});
