import { deflateRawSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { crc32, readZip, writeZip } from '../../../../harness/protocols/aas/zip.js';

const text = (data: Uint8Array | undefined) => Buffer.from(data ?? new Uint8Array()).toString('utf8');

/** Patches a little-endian 32-bit value into a copy. */
function patch32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(value, at);
  return new Uint8Array(copy);
}

function centralDirectoryOffset(bytes: Uint8Array): number {
  return Buffer.from(bytes).readUInt32LE(bytes.length - 22 + 16);
}

describe('crc32', () => {
  test('matches the check value of the standard', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });
});

describe('writeZip then readZip', () => {
  test('stored and deflated entries read back, in order', () => {
    const bytes = writeZip([
      { name: 'a.txt', data: 'hello' },
      { name: 'dir/b.bin', data: new Uint8Array([0, 1, 2, 255]), compress: false },
      { name: 'ü.txt', data: 'x'.repeat(10_000) },
    ]);
    const zip = readZip(bytes);
    expect(zip.problems).toEqual([]);
    expect(zip.readable).toBe(true);
    expect(zip.entries.map((e) => [e.name, e.method, e.size])).toEqual([
      ['a.txt', 8, 5],
      ['dir/b.bin', 0, 4],
      ['ü.txt', 8, 10_000],
    ]);
    expect(text(zip.entries[0]!.data)).toBe('hello');
    expect([...zip.entries[1]!.data!]).toEqual([0, 1, 2, 255]);
    expect(zip.entries[2]!.compressedSize).toBeLessThan(200);
  });

  test('is deterministic, with the fixed 1980-01-01 timestamp', () => {
    const make = () => writeZip([{ name: 'x', data: 'same' }]);
    expect(Buffer.from(make()).equals(Buffer.from(make()))).toBe(true);
    // local header: time at 10, date at 12
    expect(Buffer.from(make()).readUInt16LE(12)).toBe((1 << 5) | 1);
  });

  test('an empty archive is readable and has no entries', () => {
    const zip = readZip(writeZip([]));
    expect(zip).toMatchObject({ readable: true, entries: [], problems: [] });
  });

  test('a trailing archive comment is tolerated', () => {
    const base = Buffer.from(writeZip([{ name: 'a', data: 'b' }]));
    const withComment = Buffer.concat([base, Buffer.from('comment!')]);
    withComment.writeUInt16LE(8, base.length - 2);
    expect(readZip(withComment).problems).toEqual([]);
  });
});

describe('readZip on bad input: problems, never a throw', () => {
  test('empty, tiny and garbage files', () => {
    expect(readZip(new Uint8Array())).toMatchObject({ readable: false, problems: ['the file is empty; expected a ZIP archive'] });
    expect(readZip(new Uint8Array(10)).problems[0]).toMatch(/too short/);
    expect(readZip(new Uint8Array(5000).fill(0x41)).problems[0]).toMatch(/no end of central directory/);
    const random = new Uint8Array(100_000);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    expect(readZip(random).readable).toBe(false);
  });

  test('truncation anywhere gives problems', () => {
    const bytes = writeZip([{ name: 'a.txt', data: 'a'.repeat(1000) }, { name: 'b.txt', data: 'b'.repeat(1000) }]);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const zip = readZip(bytes.subarray(0, cut));
      expect(zip.problems.length, `cut at ${cut}`).toBeGreaterThan(0);
    }
  });

  test('a corrupted byte in the data fails the CRC or the inflate', () => {
    const bytes = Buffer.from(writeZip([{ name: 'a.txt', data: 'payload', compress: false }]));
    const at = 30 + 'a.txt'.length + 2;
    bytes[at] = bytes[at]! ^ 0xff;
    expect(readZip(bytes).problems).toEqual(['a.txt: its CRC-32 does not match (the data is damaged)']);
    const deflated = Buffer.from(writeZip([{ name: 'b', data: 'x'.repeat(500) }]));
    deflated[31] = deflated[31]! ^ 0x55;
    expect(readZip(deflated).problems[0]).toMatch(/^b: /);
  });

  test('a zip bomb: an entry inflating beyond its declared size is cut off there', () => {
    const huge = Buffer.alloc(50 * 1024 * 1024);
    const bytes = writeZip([{ name: 'bomb.json', data: huge }]);
    // claim 1000 bytes: the reader must stop inflating at 1001
    const cd = centralDirectoryOffset(bytes);
    const lying = patch32(patch32(bytes, cd + 24, 1000), 22, 1000);
    const started = performance.now();
    const zip = readZip(lying);
    expect(zip.problems[0]).toMatch(/inflates to more than its declared 1000 bytes \(a zip bomb\?\)/);
    expect(zip.entries[0]!.data).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test('a zip bomb: declared sizes beyond the caps are refused before inflating', () => {
    const bytes = writeZip([{ name: 'a', data: Buffer.alloc(2000) }, { name: 'b', data: Buffer.alloc(2000) }]);
    expect(readZip(bytes, { maxEntryBytes: 1000 }).problems[0]).toMatch(/declares 2000 bytes uncompressed; the limit for one entry is 1000/);
    expect(readZip(bytes, { maxTotalBytes: 3000 }).problems[0]).toMatch(/^b: would bring the uncompressed total above 3000 bytes/);
  });

  test('too many entries', () => {
    const bytes = writeZip(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, data: '' })));
    expect(readZip(bytes, { maxEntries: 10 }).problems).toEqual(['the archive has 20 entries; the limit is 10']);
  });

  test('unsupported method, encryption, a central directory outside the file, a broken local header', () => {
    const bytes = writeZip([{ name: 'a', data: 'abc', compress: false }]);
    const cd = centralDirectoryOffset(bytes);
    const method = Buffer.from(bytes);
    method.writeUInt16LE(12, cd + 10);
    expect(readZip(method).problems[0]).toMatch(/compression method 12/);
    const encrypted = Buffer.from(bytes);
    encrypted.writeUInt16LE(0x801, cd + 8);
    expect(readZip(encrypted).problems[0]).toMatch(/is encrypted/);
    expect(readZip(patch32(bytes, bytes.length - 22 + 16, 1_000_000)).problems[0]).toMatch(/lies outside the file/);
    expect(readZip(patch32(bytes, 0, 0x12345678)).problems[0]).toMatch(/local header .* is missing or damaged/);
  });

  test('a deflate stream that is not one', () => {
    const bytes = Buffer.from(writeZip([{ name: 'a', data: 'abcdef', compress: false }]));
    const cd = centralDirectoryOffset(bytes);
    bytes.writeUInt16LE(8, cd + 10);
    bytes.writeUInt16LE(8, 8);
    bytes.fill(0xff, 31, 37);
    expect(readZip(bytes).problems[0]).toMatch(/^a: (does not inflate|inflates to)/);
  });

  test('a valid deflate stream from elsewhere reads', () => {
    // made by zlib directly, not by our writer
    const data = Buffer.from('independent');
    const body = deflateRawSync(data);
    const name = Buffer.from('i.txt');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    const cdStart = local.length + name.length + body.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(cdStart, 16);
    const zip = readZip(Buffer.concat([local, name, body, central, name, end]));
    expect(zip.problems).toEqual([]);
    expect(text(zip.entries[0]!.data)).toBe('independent');
  });

  test('archives from another writer: ZIP64 extras in local headers, and a data descriptor', () => {
    // made with Python's zipfile (force_zip64, and writing to a stream that cannot seek)
    const zip64 = readZip(Buffer.from('UEsDBC0AAAAIAAAAIQCsugr4//////////8HABQAYmlnLnR4dAEAEAALAAAAAAAAAA0AAAAAAAAAy0jNyclXqMosMDMBAFBLAwQUAAAACAAdhnZdgxbcjAMAAAABAAAACQAAAHNtYWxsLnR4dKsAAFBLAQItAy0AAAAIAAAAIQCsugr4DQAAAAsAAAAHAAAAAAAAAAAAAACAAQAAAABiaWcudHh0UEsBAhQDFAAAAAgAHYZ2XYMW3IwDAAAAAQAAAAkAAAAAAAAAAAAAAIABRgAAAHNtYWxsLnR4dFBLBQYAAAAAAgACAGwAAABwAAAAAAA=', 'base64'));
    expect(zip64.problems).toEqual([]);
    expect(zip64.entries.map((e) => [e.name, text(e.data)])).toEqual([
      ['big.txt', 'hello zip64'],
      ['small.txt', 'x'],
    ]);
    const streamed = readZip(Buffer.from('UEsDBBQACAAIACKGdl0AAAAAAAAAAAAAAAAGAAAAZGQudHh0Ky4pSk3MTU1RKKY2AwBQSwcIXGKtig4AAABaAAAAUEsBAhQDFAAIAAgAIoZ2XVxirYoOAAAAWgAAAAYAAAAAAAAAAAAAAIABAAAAAGRkLnR4dFBLBQYAAAAAAQABADQAAABCAAAAAAA=', 'base64'));
    expect(streamed.problems).toEqual([]);
    expect(text(streamed.entries[0]!.data)).toBe('streamed '.repeat(10));
  });

  test('a ZIP64 end of central directory and ZIP64 sizes in the central directory', () => {
    const data = Buffer.from('zip64 body');
    const name = Buffer.from('z.txt');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    // central header: sizes and offset in the ZIP64 extra field (0x0001), in its order
    const extra = Buffer.alloc(4 + 24);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(24, 2);
    extra.writeBigUInt64LE(BigInt(data.length), 4);
    extra.writeBigUInt64LE(BigInt(data.length), 12);
    extra.writeBigUInt64LE(0n, 20);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(0xffffffff, 20);
    central.writeUInt32LE(0xffffffff, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(0xffffffff, 42);
    const cdOffset = local.length + name.length + data.length;
    const cdSize = central.length + name.length + extra.length;
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(1n, 24);
    record.writeBigUInt64LE(1n, 32);
    record.writeBigUInt64LE(BigInt(cdSize), 40);
    record.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    locator.writeUInt32LE(1, 16);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(0xffff, 8);
    end.writeUInt16LE(0xffff, 10);
    end.writeUInt32LE(0xffffffff, 12);
    end.writeUInt32LE(0xffffffff, 16);
    const bytes = Buffer.concat([local, name, data, central, name, extra, record, locator, end]);
    const zip = readZip(bytes);
    expect(zip.problems).toEqual([]);
    expect(text(zip.entries[0]!.data)).toBe('zip64 body');
    // without its locator, the ZIP64 values cannot be found
    expect(readZip(Buffer.concat([local, name, data, central, name, extra, record, Buffer.alloc(20), end])).problems[0]).toMatch(/no ZIP64 locator/);
  });
});
