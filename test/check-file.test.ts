/**
 * `oi4-conformance check-file`, run as a user runs it: the samples are CONFORMANT with a full bundle, and each
 * broken file turns exactly its declared requirements to FAIL (MUST) or WARN (SHOULD) and nothing else, like
 * the self-test matrix of the reference devices but for files. Every requirement of the aas-file profile is
 * broken by at least one file here. Bad input ends in one clear line (exit 2) or a report, never a hang.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadLibrary } from '../harness/catalog/index.js';
import { validateReport } from '../harness/report/index.js';
import { writeZip } from '../harness/protocols/aas/zip.js';
import { targetNameOf } from '../harness/cli/check-file.js';
import { readReport, ROOT, runCli, tempDir } from './support/cli.js';
import { MANUAL_PART, ORIGIN, readContentTypes, relationships, sampleEnvironment, sampleWith, SPEC, SPEC_PART, SUPPL, xmlEnvironment, xmlSample } from './unit/protocols/aas/packages.js';

const library = loadLibrary();
const profile = library.profiles.find((p) => p.id === 'aas-file')!;
const levelOf = (id: string) => library.catalog.get(id)!.level;
const SAMPLE_AASX = join(ROOT, 'fixtures', 'samples', 'aas', 'sample.aasx');
const SAMPLE_JSON = join(ROOT, 'fixtures', 'samples', 'aas', 'environment.json');
const work = tempDir('check-file');

/** The sample environment with one change; `edit` mutates a copy. */
function environmentWith(edit: (env: { assetAdministrationShells: Record<string, unknown>[]; submodels: Record<string, unknown>[] }) => void): string {
  const env = sampleEnvironment() as { assetAdministrationShells: Record<string, unknown>[]; submodels: Record<string, unknown>[] };
  edit(env);
  return JSON.stringify(env, null, 2);
}

interface BrokenFile {
  readonly name: string;
  readonly file: string;
  readonly content: string | Uint8Array;
  /** the requirement ids it must break: FAIL for a MUST, WARN for a SHOULD */
  readonly breaks: readonly string[];
}

const old = (type: string) => type.replace('http://admin-shell.io', 'http://www.admin-shell.io');
const SUPPL_RELS = 'aasx/environment/_rels/environment.aas.json.rels';

const BROKEN: readonly BrokenFile[] = [
  // environments, JSON
  { name: 'JSON that does not parse', file: 'truncated.json', content: '{"submodels": [', breaks: ['AAS-FILE-001'] },
  { name: 'JSON that is not UTF-8', file: 'latin1.json', content: new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]), breaks: ['AAS-FILE-001'] },
  { name: 'a JSON root that is an array', file: 'array.json', content: '[]', breaks: ['AAS-FILE-002'] },
  { name: 'a JSON object that is no environment', file: 'not-env.json', content: '{"submodel": [{"modelType": "Submodel", "id": "urn:x"}]}', breaks: ['AAS-FILE-002'] },
  { name: 'a ModellingKind that does not exist', file: 'kind.json', content: environmentWith((env) => (env.submodels[0]!['kind'] = 'Sometimes')), breaks: ['AAS-FILE-003'] },
  { name: 'an idShort that starts with a digit', file: 'idshort.json', content: environmentWith((env) => (env.submodels[0]!['idShort'] = '1Technical')), breaks: ['AAS-FILE-004'] },
  {
    name: 'two submodels with one id',
    file: 'duplicate-id.json',
    content: environmentWith((env) => env.submodels.push({ ...env.submodels[0]!, idShort: 'Copy' })),
    breaks: ['AAS-FILE-005'],
  },
  {
    name: 'a shell listing a submodel that is not in the file',
    file: 'dangling.json',
    content: environmentWith((env) => env.assetAdministrationShells[0]!['submodels'] = [{ type: 'ModelReference', keys: [{ type: 'Submodel', value: 'https://example.com/ids/sm/missing' }] }]),
    breaks: ['AAS-FILE-006'],
  },
  // environments, XML
  { name: 'XML that is not well-formed', file: 'broken.xml', content: '<environment xmlns="https://admin-shell.io/aas/3/0"><submodels></environment>', breaks: ['AAS-FILE-001'] },
  { name: 'XML with a DOCTYPE (billion laughs)', file: 'laughs.xml', content: '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><environment>&b;</environment>', breaks: ['AAS-FILE-001'] },
  { name: 'an XML root outside the AAS namespace', file: 'namespace.xml', content: xmlEnvironment({ namespace: 'https://admin-shell.io/aas/2/0' }), breaks: ['AAS-FILE-002'] },
  { name: 'XML with two submodels of one id', file: 'duplicate-id.xml', content: xmlEnvironment({ submodelIds: ['urn:sm:1', 'urn:sm:1'] }), breaks: ['AAS-FILE-005'] },
  { name: 'XML with a shell listing a missing submodel', file: 'dangling.xml', content: xmlEnvironment({ referenced: 'urn:sm:gone' }), breaks: ['AAS-FILE-006'] },
  // packages
  { name: 'an .aasx that is JSON', file: 'not-a-zip.aasx', content: '{"assetAdministrationShells": []}', breaks: ['AASX-PKG-001'] },
  { name: 'an .aasx with a zip bomb in it', file: 'bomb.aasx', content: bombPackage(), breaks: ['AASX-PKG-001'] },
  { name: 'a part name with ".."', file: 'dotdot.aasx', content: sampleWith({}, [{ name: 'aasx/../escape.pdf', data: 'x' }]), breaks: ['AASX-PKG-002'] },
  { name: 'two item names for one part', file: 'case.aasx', content: sampleWith({}, [{ name: 'aasx/files/MANUAL.pdf', data: 'x' }]), breaks: ['AASX-PKG-002'] },
  { name: 'no [Content_Types].xml', file: 'no-content-types.aasx', content: sampleWith({ '[Content_Types].xml': undefined }), breaks: ['AASX-PKG-003'] },
  { name: 'a part without a content type', file: 'no-pdf-type.aasx', content: sampleWith({ '[Content_Types].xml': readContentTypes().replace(/\s*<Default Extension="pdf"[^>]*\/>/, '') }), breaks: ['AASX-PKG-003'] },
  { name: 'no aasx-origin relationship', file: 'no-origin.aasx', content: sampleWith({ '_rels/.rels': relationships([]) }), breaks: ['AASX-PKG-004'] },
  { name: 'two aasx-origin relationships', file: 'two-origins.aasx', content: sampleWith({ '_rels/.rels': relationships([['a', ORIGIN, '/aasx/aasx-origin'], ['b', ORIGIN, '/aasx/aasx-origin']]) }), breaks: ['AASX-PKG-004'] },
  {
    name: 'deprecated www.admin-shell.io relationship types',
    file: 'deprecated.aasx',
    content: sampleWith({ '_rels/.rels': relationships([['o', old(ORIGIN), '/aasx/aasx-origin']]), 'aasx/_rels/aasx-origin.rels': relationships([['s', old(SPEC), `/${SPEC_PART}`]]) }),
    breaks: ['AASX-PKG-005'],
  },
  { name: 'an origin without aas-spec', file: 'no-spec.aasx', content: sampleWith({ 'aasx/_rels/aasx-origin.rels': relationships([]) }), breaks: ['AASX-PKG-006'] },
  { name: 'an aas-spec part that is a PDF', file: 'pdf-spec.aasx', content: sampleWith({ 'aasx/_rels/aasx-origin.rels': relationships([['s', SPEC, `/${MANUAL_PART}`]]) }), breaks: ['AASX-PKG-006'] },
  { name: 'a relationship to a missing part', file: 'dangling-rel.aasx', content: sampleWith({ [SUPPL_RELS]: relationships([['m', SUPPL, '/aasx/files/other.pdf']]) }), breaks: ['AASX-PKG-007'] },
  { name: 'a relationships part that is not well-formed', file: 'bad-rels.aasx', content: sampleWith({ [SUPPL_RELS]: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' }), breaks: ['AASX-PKG-007'] },
  { name: 'a File element whose file is missing', file: 'no-manual.aasx', content: sampleWith({ [MANUAL_PART]: undefined, [SUPPL_RELS]: undefined }), breaks: ['AASX-PKG-008'] },
  { name: 'an XML environment whose File is missing', file: 'xml-no-manual.aasx', content: xmlSample(xmlEnvironment({ fileValue: '/aasx/files/none.pdf' })), breaks: ['AASX-PKG-008'] },
  { name: 'an aas-spec part that does not parse', file: 'bad-spec.aasx', content: sampleWith({ [SPEC_PART]: '{"submodels": [' }), breaks: ['AAS-FILE-001'] },
  {
    name: 'an aas-spec part with a constraint broken',
    file: 'bad-constraint.aasx',
    content: sampleWith({ [SPEC_PART]: environmentWith((env) => (env.submodels[0]!['idShort'] = '1Technical')) }),
    breaks: ['AAS-FILE-004'],
  },
];

/** A package whose extra entry claims 1 KiB and inflates to 64 MiB. */
function bombPackage(): Uint8Array {
  const clean = sampleWith({}, [{ name: 'aasx/files/bomb.bin', data: Buffer.alloc(64 * 1024 * 1024) }]);
  const bytes = Buffer.from(clean);
  const cdOffset = bytes.readUInt32LE(bytes.length - 22 + 16);
  const count = bytes.readUInt16LE(bytes.length - 22 + 10);
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    const nameLength = bytes.readUInt16LE(at + 28);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (name === 'aasx/files/bomb.bin') {
      bytes.writeUInt32LE(1024, at + 24);
      bytes.writeUInt32LE(1024, bytes.readUInt32LE(at + 42) + 22);
    }
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return new Uint8Array(bytes);
}

/** A one-entry archive whose headers declare `size` bytes uncompressed. */
function declaring(zip: Uint8Array, size: number): Uint8Array {
  const bytes = Buffer.from(zip);
  const cdOffset = bytes.readUInt32LE(bytes.length - 22 + 16);
  bytes.writeUInt32LE(size, cdOffset + 24);
  bytes.writeUInt32LE(size, 22);
  return new Uint8Array(bytes);
}

function writeInput(file: string, content: string | Uint8Array): string {
  const path = join(work, 'inputs', file);
  mkdirSync(join(work, 'inputs'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const NOT_BAD = new Set(['PASS', 'NA', 'NOT_EXECUTED']);

describe('check-file: the samples', () => {
  test.concurrent.each([
    ['sample.aasx', SAMPLE_AASX],
    ['environment.json', SAMPLE_JSON],
  ])('%s is CONFORMANT, with a full bundle', async (_, file) => {
    const out = tempDir('check-file-clean');
    const result = await runCli(['check-file', file, '--out', out]);
    expect(result.killed).toBe(false);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    for (const name of ['report.json', 'junit.xml', 'report.html', 'manifest.sha256']) expect(existsSync(join(out, name)), name).toBe(true);
    const report = readReport(out);
    expect(validateReport(report).ok).toBe(true);
    expect(report.verdict).toBe('CONFORMANT');
    expect(report.profile.id).toBe('aas-file');
    expect(report.errors).toEqual([]);
    expect(report.requirements.filter((r) => r.outcome !== 'PASS' && r.outcome !== 'NA').map((r) => `${r.id} ${r.outcome}: ${r.reason}`)).toEqual([]);
    const identity = report.target.identity!;
    expect(identity.fields).toMatchObject({ format: file.endsWith('.aasx') ? 'aasx' : 'json', bytes: String(readFileSync(file).length) });
    expect(identity.fields['sha256']).toMatch(/^[0-9a-f]{64}$/);
    // a plain environment is no package
    if (file.endsWith('.json')) expect(report.requirements.filter((r) => r.id.startsWith('AASX-')).every((r) => r.outcome === 'NA')).toBe(true);
    else expect(report.requirements.every((r) => r.outcome === 'PASS')).toBe(true);
  });

  test('a valid XML environment is INCOMPLETE: Part 1 structure and constraints of XML are not executed, never passed', async () => {
    const out = tempDir('check-file-xml');
    const result = await runCli(['check-file', writeInput('valid.xml', xmlEnvironment()), '--out', out]);
    expect(result.code, result.stderr).toBe(3);
    const report = readReport(out);
    expect(report.verdict).toBe('INCOMPLETE');
    const outcome = Object.fromEntries(report.requirements.map((r) => [r.id, r]));
    for (const id of ['AAS-FILE-003', 'AAS-FILE-004']) {
      expect(outcome[id]!.outcome).toBe('NOT_EXECUTED');
      expect(outcome[id]!.reason).toMatch(/reads JSON only/);
    }
    for (const id of ['AAS-FILE-001', 'AAS-FILE-002', 'AAS-FILE-005', 'AAS-FILE-006']) expect(outcome[id]!.outcome).toBe('PASS');
  });

  test('--sign signs the bundle, and verify accepts it', async () => {
    const keys = tempDir('check-file-keys');
    expect((await runCli(['keygen', '--out', join(keys, 'lab')])).code).toBe(0);
    const out = tempDir('check-file-signed');
    const result = await runCli(['check-file', SAMPLE_JSON, '--out', out, '--sign', join(keys, 'lab.key.pem')]);
    expect(result.code, result.stderr).toBe(0);
    const verified = await runCli(['verify', out, '--pubkey', join(keys, 'lab.pub.pem')]);
    expect(verified.code, verified.stderr + verified.stdout).toBe(0);
  });

  test('--json prints report.json on stdout and nothing else', async () => {
    const out = tempDir('check-file-json');
    const result = await runCli(['check-file', SAMPLE_JSON, '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as { verdict: string };
    expect(printed.verdict).toBe('CONFORMANT');
    expect(result.stdout).toBe(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(result.stderr).toMatch(/verdict: CONFORMANT/);
  });
});

describe('check-file: every requirement can fail', () => {
  test('each requirement of the profile is broken by at least one file below', () => {
    const broken = new Set(BROKEN.flatMap((b) => b.breaks));
    expect(profile.requirements.filter((id) => !broken.has(id))).toEqual([]);
  });

  test.concurrent.each(BROKEN.map((b) => [b.name, b] as const))('%s', async (_, broken) => {
    const out = tempDir('check-file-broken');
    const result = await runCli(['check-file', writeInput(broken.file, broken.content), '--out', out], { timeoutMs: 120_000 });
    expect(result.killed).toBe(false);
    const report = readReport(out);
    expect(report.errors).toEqual([]);
    const seen = report.requirements.filter((r) => !NOT_BAD.has(r.outcome)).map((r) => `${r.id} ${r.outcome}`);
    const expected = broken.breaks.map((id) => `${id} ${levelOf(id) === 'MUST' ? 'FAIL' : 'WARN'}`);
    expect(seen.sort(), report.requirements.map((r) => `${r.id} ${r.outcome}: ${r.reason}`).join('\n')).toEqual(expected.sort());
    const mustFail = broken.breaks.some((id) => levelOf(id) === 'MUST');
    expect(result.code).toBe(mustFail ? 1 : report.verdict === 'CONFORMANT' ? 0 : 3);
    // the message says where
    for (const id of broken.breaks) expect(report.requirements.find((r) => r.id === id)!.reason.length).toBeGreaterThan(10);
  });
});

describe('check-file: the target name', () => {
  test('comes from the file name, fitted to the target-name pattern', () => {
    expect(targetNameOf('/x/sample.aasx')).toBe('sample.aasx');
    expect(targetNameOf('/x/My Model (v2).json')).toBe('My_Model__v2_.json');
    expect(targetNameOf('/x/.hidden.xml')).toBe('hidden.xml');
    expect(targetNameOf('/x/Größe.json')).toBe('Gr__e.json');
    expect(targetNameOf(`/x/${'a'.repeat(100)}.json`)).toHaveLength(64);
    expect(targetNameOf('/x/___')).toBe('aas-file');
  });
});

describe('check-file: bad input', () => {
  test('a missing file, a folder, an unknown extension: one line, exit 2', async () => {
    const cases: [string, RegExp][] = [
      [join(work, 'nothing-here.aasx'), /nothing-here\.aasx: no such file/],
      [work, /is not a file/],
      [writeInput('model.txt', 'x'), /unknown extension; expected \.json or \.xml .* or \.aasx/],
    ];
    for (const [file, message] of cases) {
      const result = await runCli(['check-file', file]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test.concurrent.each([
    ['an empty JSON file', 'empty.json', '', 'AAS-FILE-001', /the file is empty/],
    ['a 0-byte AASX', 'empty.aasx', '', 'AASX-PKG-001', /the file is empty; expected a ZIP archive/],
    ['garbage in an AASX', 'garbage.aasx', Buffer.alloc(4096, 0x5a), 'AASX-PKG-001', /no end of central directory/],
    ['a truncated AASX', 'truncated.aasx', readFileSync(SAMPLE_AASX).subarray(0, 5000), 'AASX-PKG-001', /end of central directory/],
    ['a zip bomb declaring 4 GB', 'bomb4g.aasx', declaring(writeZip([{ name: 'x.json', data: Buffer.alloc(8 * 1024 * 1024) }]), 0xf0000000), 'AASX-PKG-001', /declares 4026531840 bytes uncompressed; the limit for one entry is/],
  ] as const)('%s: FAIL with the reason, not a crash', async (_, file, content, id, reason) => {
    const out = tempDir('check-file-bad');
    const result = await runCli(['check-file', writeInput(file, content), '--out', out], { timeoutMs: 120_000 });
    expect(result.killed).toBe(false);
    expect(result.code, result.stderr).toBe(1);
    const requirement = readReport(out).requirements.find((r) => r.id === id)!;
    expect(requirement.outcome).toBe('FAIL');
    expect(requirement.reason).toMatch(reason);
  });
});
