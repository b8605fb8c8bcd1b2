import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/**
 * Reads evidence files for inlining into report.html. The page must render even when a file is missing,
 * malformed or enormous (a hostile target can make the recorder store 2000 records of 64 KB), so files are
 * read with a byte budget, every line is checked against the record shape instead of trusted, and a problem
 * becomes a sentence on the page rather than an exception.
 */

export interface InlineLimits {
  /** records of one evidence file shown on the page */
  readonly maxRecords: number;
  /** characters of one payload (or OPC UA request/result, HTTP body) shown on the page */
  readonly maxPayloadChars: number;
  /** bytes read from the start of one JSON Lines file */
  readonly maxReadBytes: number;
  /** bytes of a HAR file parsed at most (HAR is one JSON document: it cannot be read in part) */
  readonly maxHarBytes: number;
  /** payload characters inlined in the whole page; after that evidence is linked, not inlined */
  readonly maxPageChars: number;
}

export const INLINE_LIMITS: InlineLimits = {
  maxRecords: 200,
  maxPayloadChars: 8 * 1024,
  maxReadBytes: 4 * 1024 * 1024,
  maxHarBytes: 16 * 1024 * 1024,
  maxPageChars: 16 * 1024 * 1024,
};

export interface MqttRow {
  readonly seq: number;
  readonly at: string;
  readonly direction: string;
  readonly topic: string;
  readonly qos: number;
  readonly retain: boolean;
  readonly bytes: number;
  readonly payload: string;
  readonly encoding: string;
  readonly truncated: boolean;
}

export interface OpcUaRow {
  readonly seq: number;
  readonly at: string;
  readonly service: string;
  readonly request: unknown;
  readonly status: string;
  readonly hasResult: boolean;
  readonly result: unknown;
  readonly durationMs: number | undefined;
}

export interface HttpHeader {
  readonly name: string;
  readonly value: string;
}

export interface HttpRow {
  readonly startedDateTime: string;
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: readonly HttpHeader[];
  readonly requestBody: string | undefined;
  readonly status: number;
  readonly statusText: string;
  readonly responseHeaders: readonly HttpHeader[];
  readonly responseBody: string | undefined;
  readonly responseEncoding: string | undefined;
  readonly timeMs: number | undefined;
}

export type EvidenceRows =
  | { readonly kind: 'mqtt'; readonly rows: readonly MqttRow[] }
  | { readonly kind: 'opcua'; readonly rows: readonly OpcUaRow[] }
  | { readonly kind: 'http'; readonly rows: readonly HttpRow[] };

/** What could be read of one evidence file, with everything the page must say about what it left out. */
export interface EvidenceRead {
  /** the name as report.json gives it, e.g. evidence/oi4.mam.identity.jsonl */
  readonly file: string;
  /** a relative link to the file when its name is plain enough to link safely */
  readonly href: string | undefined;
  /** set when nothing could be read: the page states it */
  readonly problem: string | undefined;
  readonly content: EvidenceRows;
  /** records found beyond maxRecords (in the part of the file that was read) */
  readonly notShown: number;
  /** true when the file is larger than maxReadBytes and only its start was read */
  readonly readCut: boolean;
  readonly sizeBytes: number;
  /** the recorder's own closing line: records it did not store because its cap was reached */
  readonly droppedByRecorder: { readonly dropped: number; readonly reason: string } | undefined;
  /** lines that are not records of the expected shape (shown raw, cut) */
  readonly unrecognised: readonly { readonly line: number; readonly text: string }[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function kindOfFile(file: string): EvidenceRows['kind'] {
  if (file.endsWith('.har')) return 'http';
  if (file.endsWith('.opcua.jsonl')) return 'opcua';
  return 'mqtt';
}

/**
 * The file's absolute path, or undefined when the name would leave the bundle's evidence folder
 * (report.json is data: a name like ../../etc/passwd must not make the renderer read and inline it).
 */
export function evidencePath(dir: string, file: string): string | undefined {
  const folder = resolve(dir, 'evidence');
  const path = resolve(dir, file.startsWith('evidence/') ? file : `evidence/${file}`);
  return path.startsWith(folder + sep) ? path : undefined;
}

function safeHref(file: string): string | undefined {
  const relative = file.startsWith('evidence/') ? file : `evidence/${file}`;
  return /^evidence\/[A-Za-z0-9_][A-Za-z0-9_.,+@=-]*$/.test(relative) ? relative : undefined;
}

function readBytes(path: string, start: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const n = readSync(fd, buffer, 0, length, start);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function sizeOf(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('not a regular file');
    return stat.size;
  } finally {
    closeSync(fd);
  }
}

function mqttRow(v: Json): MqttRow | undefined {
  const seq = num(v['seq']);
  const at = str(v['at']);
  const direction = str(v['direction']);
  const topic = str(v['topic']);
  const qos = num(v['qos']);
  const bytes = num(v['bytes']);
  const payload = str(v['payload']);
  const encoding = str(v['encoding']) ?? 'utf8';
  if (seq === undefined || at === undefined || direction === undefined || topic === undefined || qos === undefined || payload === undefined) return undefined;
  return { seq, at, direction, topic, qos, retain: v['retain'] === true, bytes: bytes ?? payload.length, payload, encoding, truncated: v['truncated'] === true };
}

function opcUaRow(v: Json): OpcUaRow | undefined {
  const seq = num(v['seq']);
  const at = str(v['at']);
  const service = str(v['service']);
  const status = str(v['status']);
  if (seq === undefined || at === undefined || service === undefined || status === undefined) return undefined;
  return { seq, at, service, request: v['request'], status, hasResult: 'result' in v, result: v['result'], durationMs: num(v['durationMs']) };
}

function headers(v: unknown): HttpHeader[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((h: unknown) => {
    if (!isObject(h)) return [];
    const name = str(h['name']);
    const value = str(h['value']);
    return name !== undefined && value !== undefined ? [{ name, value }] : [];
  });
}

function httpRow(v: unknown): HttpRow | undefined {
  if (!isObject(v) || !isObject(v['request']) || !isObject(v['response'])) return undefined;
  const request = v['request'];
  const response = v['response'];
  const method = str(request['method']);
  const url = str(request['url']);
  if (method === undefined || url === undefined) return undefined;
  const postData = isObject(request['postData']) ? request['postData'] : {};
  const content = isObject(response['content']) ? response['content'] : {};
  return {
    startedDateTime: str(v['startedDateTime']) ?? '',
    method,
    url,
    requestHeaders: headers(request['headers']),
    requestBody: str(postData['text']),
    status: num(response['status']) ?? 0,
    statusText: str(response['statusText']) ?? '',
    responseHeaders: headers(response['headers']),
    responseBody: str(content['text']),
    responseEncoding: str(content['encoding']),
    timeMs: num(v['time']),
  };
}

/** The recorder's summary line ({dropped, reason}) that capped-log.ts appends when its record cap was reached. */
function droppedLine(v: unknown): { dropped: number; reason: string } | undefined {
  if (!isObject(v) || 'seq' in v) return undefined;
  const dropped = num(v['dropped']);
  return dropped === undefined ? undefined : { dropped, reason: str(v['reason']) ?? '' };
}

const UNRECOGNISED_SHOWN = 20;
const UNRECOGNISED_CHARS = 300;

function readJsonLines(file: string, path: string, size: number, limits: InlineLimits): EvidenceRead {
  const kind = kindOfFile(file);
  const readCut = size > limits.maxReadBytes;
  let text = readBytes(path, 0, Math.min(size, limits.maxReadBytes)).toString('utf8');
  // a cut through the middle of a line leaves half a record: drop it rather than call it malformed
  if (readCut) text = text.slice(0, text.lastIndexOf('\n') + 1);
  const mqtt: MqttRow[] = [];
  const opcua: OpcUaRow[] = [];
  const unrecognised: { line: number; text: string }[] = [];
  let notShown = 0;
  let droppedByRecorder: EvidenceRead['droppedByRecorder'];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const value = parseJson(line);
    const dropped = droppedLine(value);
    if (dropped) {
      droppedByRecorder = dropped;
      return;
    }
    const row = isObject(value) ? (kind === 'opcua' ? opcUaRow(value) : mqttRow(value)) : undefined;
    if (row === undefined) {
      if (unrecognised.length < UNRECOGNISED_SHOWN) unrecognised.push({ line: index + 1, text: line.slice(0, UNRECOGNISED_CHARS) });
      return;
    }
    const shown = mqtt.length + opcua.length;
    if (shown >= limits.maxRecords) notShown++;
    else if (kind === 'opcua') opcua.push(row as OpcUaRow);
    else mqtt.push(row as MqttRow);
  });
  if (readCut && droppedByRecorder === undefined) {
    // the recorder's summary is the file's last line, beyond what was read: look at the end alone
    const tail = readBytes(path, Math.max(0, size - 4096), Math.min(size, 4096)).toString('utf8').trimEnd();
    droppedByRecorder = droppedLine(parseJson(tail.slice(tail.lastIndexOf('\n') + 1)));
  }
  return {
    file,
    href: safeHref(file),
    problem: undefined,
    content: kind === 'opcua' ? { kind, rows: opcua } : { kind: 'mqtt', rows: mqtt },
    notShown,
    readCut,
    sizeBytes: size,
    droppedByRecorder,
    unrecognised,
  };
}

function readHar(file: string, path: string, size: number, limits: InlineLimits): EvidenceRead {
  const base = { file, href: safeHref(file), notShown: 0, readCut: false, sizeBytes: size, droppedByRecorder: undefined, unrecognised: [] };
  if (size > limits.maxHarBytes) {
    return { ...base, problem: `the HAR file is ${(size / 1024 / 1024).toFixed(1)} MB, too large to inline`, content: { kind: 'http', rows: [] } };
  }
  const har = parseJson(readBytes(path, 0, size).toString('utf8'));
  const log = isObject(har) ? har['log'] : undefined;
  const entries = isObject(log) ? log['entries'] : undefined;
  if (!Array.isArray(entries)) return { ...base, problem: 'the file is not a HAR document (no log.entries)', content: { kind: 'http', rows: [] } };
  const rows: HttpRow[] = [];
  const unrecognised: { line: number; text: string }[] = [];
  let notShown = 0;
  entries.forEach((entry: unknown, index) => {
    const row = httpRow(entry);
    if (row === undefined) {
      if (unrecognised.length < UNRECOGNISED_SHOWN) unrecognised.push({ line: index + 1, text: (JSON.stringify(entry) ?? '').slice(0, UNRECOGNISED_CHARS) });
    } else if (rows.length >= limits.maxRecords) notShown++;
    else rows.push(row);
  });
  return { ...base, problem: undefined, content: { kind: 'http', rows }, notShown, unrecognised };
}

/** Reads one evidence file as report.json names it; never throws. */
export function readEvidence(dir: string, file: string, limits: InlineLimits = INLINE_LIMITS): EvidenceRead {
  const empty: EvidenceRead = {
    file,
    href: safeHref(file),
    problem: undefined,
    content: { kind: kindOfFile(file), rows: [] },
    notShown: 0,
    readCut: false,
    sizeBytes: 0,
    droppedByRecorder: undefined,
    unrecognised: [],
  };
  const path = evidencePath(dir, file);
  if (path === undefined) return { ...empty, href: undefined, problem: 'the name points outside the evidence folder; not read' };
  try {
    const size = sizeOf(path);
    return kindOfFile(file) === 'http' ? readHar(file, path, size, limits) : readJsonLines(file, path, size, limits);
  } catch (error) {
    const code = isObject(error) ? str(error['code']) : undefined;
    const why = code === 'ENOENT' ? 'the file is missing' : `the file could not be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
    return { ...empty, problem: why };
  }
}
