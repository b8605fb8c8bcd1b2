/**
 * A small ZIP reader and writer for AASX packages (OPC over ZIP).
 *
 * The reader trusts the central directory (as OPC readers do), checks every local header against it, and
 * decompresses stored and deflated entries only. It is built for hostile input: entry count, each entry's
 * size and the total size are capped, inflating stops at the cap whatever the headers claim (a zip bomb),
 * and a truncated or garbage file gives problems, never an exception or a hang.
 *
 * The writer is deterministic (fixed timestamps, entries in the order given), so a committed sample package
 * can be proven equal to what its generator makes.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  readonly maxEntries: number;
  /** uncompressed size of one entry */
  readonly maxEntryBytes: number;
  /** uncompressed size of all entries together */
  readonly maxTotalBytes: number;
  /** problems kept; more are counted */
  readonly maxProblems: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxEntryBytes: 256 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024, maxProblems: 50 };

export interface ZipEntry {
  /** the item name as stored (OPC: the part name without its leading "/") */
  readonly name: string;
  /** 0 stored, 8 deflated */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc32: number;
  /** undefined when the entry could not be read (see the problems) */
  readonly data: Uint8Array | undefined;
}

export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  /** one line each; empty when the archive read cleanly */
  readonly problems: readonly string[];
  /** false when the archive could not be read at all (no central directory) */
  readonly readable: boolean;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as ZIP uses it). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

class Problems {
  readonly lines: string[] = [];
  private dropped = 0;
  constructor(private readonly max: number) {}
  add(line: string): void {
    if (this.lines.length < this.max) this.lines.push(line);
    else this.dropped++;
  }
  list(): string[] {
    return this.dropped ? [...this.lines, `and ${this.dropped} more`] : this.lines;
  }
}

/** Reads a ZIP archive from memory; never throws. */
export function readZip(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): ZipArchive {
  const caps: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const problems = new Problems(caps.maxProblems);
  try {
    return readZipUnsafe(bytes, caps, problems);
  } catch (error) {
    // a defect of ours must not crash a check: say what happened
    problems.add(`the archive could not be read: ${error instanceof Error ? error.message : String(error)}`);
    return { entries: [], problems: problems.list(), readable: false };
  }
}

function readZipUnsafe(bytes: Uint8Array, caps: ZipLimits, problems: Problems): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => Number(view.getBigUint64(at, true));
  const fail = (line: string): ZipArchive => {
    problems.add(line);
    return { entries: [], problems: problems.list(), readable: false };
  };
  if (bytes.length === 0) return fail('the file is empty; expected a ZIP archive');
  if (bytes.length < 22) return fail(`the file is ${bytes.length} bytes, too short for a ZIP archive`);

  // the end of central directory record: the last 22 bytes, or earlier by a comment of up to 65535 bytes
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === SIG_EOCD && at + 22 + u16(at + 20) <= bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return fail('not a ZIP archive: no end of central directory record');
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) return fail('the archive spans several disks; that is not supported');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // ZIP64: the real values are in the ZIP64 end of central directory record, found through its locator
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== SIG_ZIP64_LOCATOR) return fail('the end of central directory points to ZIP64 values, but there is no ZIP64 locator');
    const record = u64(locator + 8);
    if (record + 56 > bytes.length || u32(record) !== SIG_ZIP64_EOCD) return fail('the ZIP64 end of central directory record is missing or outside the file');
    count = u64(record + 32);
    cdSize = u64(record + 40);
    cdOffset = u64(record + 48);
  }
  if (count > caps.maxEntries) return fail(`the archive has ${count} entries; the limit is ${caps.maxEntries}`);
  if (cdOffset + cdSize > bytes.length) return fail(`the central directory (offset ${cdOffset}, ${cdSize} bytes) lies outside the file of ${bytes.length} bytes: truncated?`);

  const entries: ZipEntry[] = [];
  let total = 0;
  let at = cdOffset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > cdOffset + cdSize || u32(at) !== SIG_CENTRAL) {
      problems.add(`central directory entry ${index + 1} of ${count} is missing or damaged`);
      break;
    }
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const crc = u32(at + 16);
    let compressedSize = u32(at + 20);
    let size = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    let localOffset = u32(at + 42);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > cdOffset + cdSize) {
      problems.add(`central directory entry ${index + 1} runs past the central directory`);
      break;
    }
    // bit 11: UTF-8 names; others are CP437, which for the ASCII names of OPC parts reads the same
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // ZIP64 extended information (header 0x0001): the 64-bit values of the fields set to 0xFFFFFFFF, in order
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = u16(x);
      const length = u16(x + 2);
      if (id === 0x0001) {
        const end = x + 4 + length;
        let y = x + 4;
        const next64 = (): number | undefined => {
          if (y + 8 > end) return undefined;
          y += 8;
          return u64(y - 8);
        };
        if (size === 0xffffffff) size = next64() ?? size;
        if (compressedSize === 0xffffffff) compressedSize = next64() ?? compressedSize;
        if (localOffset === 0xffffffff) localOffset = next64() ?? localOffset;
      }
      x += 4 + length;
    }
    at = next;
    const entry = { name, method, compressedSize, size, crc32: crc };
    const skip = (line: string) => {
      problems.add(`${name}: ${line}`);
      entries.push({ ...entry, data: undefined });
    };
    if (flags & 0x1) {
      skip('is encrypted; AASX parts must not be');
      continue;
    }
    if (method !== 0 && method !== 8) {
      skip(`uses compression method ${method}; only stored (0) and deflate (8) are supported`);
      continue;
    }
    if (size > caps.maxEntryBytes) {
      skip(`declares ${size} bytes uncompressed; the limit for one entry is ${caps.maxEntryBytes}`);
      continue;
    }
    if (total + size > caps.maxTotalBytes) {
      skip(`would bring the uncompressed total above ${caps.maxTotalBytes} bytes; reading stops here`);
      break;
    }
    if (localOffset + 30 > bytes.length || u32(localOffset) !== SIG_LOCAL) {
      skip(`its local header (offset ${localOffset}) is missing or damaged`);
      continue;
    }
    const localName = new TextDecoder(u16(localOffset + 6) & 0x800 ? 'utf-8' : 'latin1').decode(bytes.subarray(localOffset + 30, localOffset + 30 + u16(localOffset + 26)));
    if (localName !== name) problems.add(`${name}: the local header names it "${localName}"`);
    const dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28);
    if (dataStart + compressedSize > bytes.length) {
      skip(`its data (offset ${dataStart}, ${compressedSize} bytes) runs past the end of the file: truncated?`);
      continue;
    }
    const raw = bytes.subarray(dataStart, dataStart + compressedSize);
    let data: Uint8Array;
    if (method === 0) {
      if (compressedSize !== size) {
        skip(`is stored, but its sizes differ (${compressedSize} stored, ${size} declared)`);
        continue;
      }
      data = raw;
    } else {
      try {
        // never more than declared (+1 to notice a lie), whatever the stream would expand to
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, Math.min(size + 1, caps.maxEntryBytes, caps.maxTotalBytes - total)) });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        skip(code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError ? `inflates to more than its declared ${size} bytes (a zip bomb?)` : `does not inflate: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (data.length !== size) {
        skip(`inflates to ${data.length} bytes; the central directory declares ${size}`);
        continue;
      }
    }
    if (crc32(data) !== crc) {
      skip(`its CRC-32 does not match (the data is damaged)`);
      continue;
    }
    total += size;
    entries.push({ ...entry, data });
  }
  return { entries, problems: problems.list(), readable: true };
}

export interface ZipInput {
  readonly name: string;
  readonly data: Uint8Array | string;
  /** deflate this entry (default: the writer's option) */
  readonly compress?: boolean;
}

// 1980-01-01 00:00:00, the earliest DOS date: no clock in the output
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** Writes a ZIP archive: entries in the given order, fixed timestamps, UTF-8 names. */
export function writeZip(inputs: readonly ZipInput[], options: { compress?: boolean } = {}): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const input of inputs) {
    const data = typeof input.data === 'string' ? Buffer.from(input.data, 'utf8') : Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength);
    const name = Buffer.from(input.name, 'utf8');
    const deflate = input.compress ?? options.compress ?? true;
    const body = deflate ? deflateRawSync(data, { level: 9 }) : data;
    const method = deflate ? 8 : 0;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(SIG_CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_EOCD, 0);
  end.writeUInt16LE(inputs.length, 8);
  end.writeUInt16LE(inputs.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}
