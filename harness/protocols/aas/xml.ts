/**
 * A small non-validating XML 1.0 parser with namespaces, for what check-file must read: the relationships and
 * content types of an AASX package, and the root (and a few elements) of an AAS environment in XML.
 *
 * Why our own: no XML dependency is part of the project, and the files come from vendors, so the parser must
 * be safe on hostile input. A DOCTYPE is refused outright: no DTD is read and no entity is ever expanded
 * beyond the five predefined ones and character references, so "billion laughs" and external entities cannot
 * happen. Depth and size are capped, and the parser uses a stack of its own (no recursion), so deep nesting
 * is a problem reported, never a stack overflow. A well-formedness error is fatal (as XML 1.0 says): parsing
 * stops at the first one and reports it with line:column.
 */

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

export interface XmlAttribute {
  /** as written, with its prefix */
  readonly name: string;
  readonly localName: string;
  /** resolved from its prefix; an unprefixed attribute has no namespace */
  readonly namespace: string | undefined;
  readonly value: string;
}

export interface XmlElement {
  /** as written, with its prefix */
  readonly name: string;
  readonly localName: string;
  /** resolved from its prefix or the default namespace in scope */
  readonly namespace: string | undefined;
  /** every attribute except namespace declarations */
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** the element's own character data (text and CDATA, entities resolved), children's text excluded */
  readonly text: string;
  /** where its start tag begins, 1-based */
  readonly line: number;
  readonly column: number;
}

export interface XmlLimits {
  /** input size in bytes (or UTF-16 code units for a string) */
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxElements: number;
  /** attributes on one element */
  readonly maxAttributes: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 64 * 1024 * 1024, maxDepth: 256, maxElements: 2_000_000, maxAttributes: 1024 };

export interface XmlDocument {
  /** undefined when the document is not well-formed */
  readonly root: XmlElement | undefined;
  /** "line:column: what is wrong"; empty when well-formed */
  readonly problems: readonly string[];
  /** the encoding the XML declaration names, if any */
  readonly declaredEncoding?: string;
  /**
   * Set when the bytes are not UTF-8 and the declaration names another encoding (ISO-8859-1, …): the document
   * was not read, which says nothing about whether it is well-formed.
   */
  readonly unsupportedEncoding?: string;
}

/** The value of an attribute by local name (and namespace: none unless given). */
export function attributeOf(element: XmlElement, localName: string, namespace?: string): string | undefined {
  return element.attributes.find((a) => a.localName === localName && a.namespace === namespace)?.value;
}

/** The child elements with this local name (and namespace, when given). */
export function childrenNamed(element: XmlElement, localName: string, namespace?: string): XmlElement[] {
  return element.children.filter((c) => c.localName === localName && (namespace === undefined || c.namespace === namespace));
}

class XmlError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

interface MutableElement {
  name: string;
  localName: string;
  namespace: string | undefined;
  attributes: XmlAttribute[];
  children: MutableElement[];
  text: string;
  line: number;
  column: number;
}

const NAME_START = /[A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDBFF]/;
const NAME_CHAR = /[-.0-9A-Za-z_:\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDFFF]/;
// characters XML 1.0 does not allow anywhere (C0 controls but tab, LF, CR; U+FFFE/U+FFFF)
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Bytes to text: UTF-8 (BOM optional) or UTF-16 with a BOM; anything undecodable is a problem. */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
  // the BOM is stripped by TextDecoder (ignoreBOM false)
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${end - lineStart + 1}`;
}

/** Parses an XML document; never throws. */
export function parseXml(input: string | Uint8Array, limits: Partial<XmlLimits> = {}): XmlDocument {
  const caps: XmlLimits = { ...DEFAULT_XML_LIMITS, ...limits };
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > caps.maxBytes) return { root: undefined, problems: [`1:1: the document is ${size} bytes; the limit is ${caps.maxBytes}`] };
  let raw: string;
  try {
    raw = typeof input === 'string' ? input : decode(input);
  } catch {
    if (typeof input === 'string') return { root: undefined, problems: ['1:1: the document could not be read'] };
    // the declaration is ASCII in every encoding XML allows without a byte order mark
    const declared = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(Buffer.from(input.subarray(0, 256)).toString('latin1'))?.[1];
    if (declared !== undefined && !/^utf-?(8|16)/i.test(declared)) {
      return { root: undefined, problems: [`1:1: the document declares encoding ${declared}; this parser reads UTF-8 and UTF-16 only`], unsupportedEncoding: declared };
    }
    return { root: undefined, problems: ['1:1: the document is not valid UTF-8 (or UTF-16 with a byte order mark)'] };
  }
  if (raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
  // end-of-line handling of XML 1.0 section 2.11: the parser sees only LF
  const text = raw.replace(/\r\n?/g, '\n');
  const parser = new Parser(text, caps);
  try {
    const root = parser.parseDocument();
    return { root, problems: [], ...(parser.declaredEncoding !== undefined && { declaredEncoding: parser.declaredEncoding }) };
  } catch (error) {
    if (error instanceof XmlError) return { root: undefined, problems: [`${lineColumn(text, error.offset)}: ${error.message}`] };
    // a defect of ours must still not crash a check
    return { root: undefined, problems: [`1:1: the parser failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

class Parser {
  private pos = 0;
  private elements = 0;
  // line counting moves forward only (start tags come in document order): linear, not quadratic
  private counted = 0;
  private line = 1;
  private lineStart = 0;
  declaredEncoding: string | undefined;

  constructor(
    private readonly s: string,
    private readonly caps: XmlLimits,
  ) {}

  private fail(message: string, at = this.pos): never {
    throw new XmlError(at, message);
  }

  private startsWith(token: string): boolean {
    return this.s.startsWith(token, this.pos);
  }

  private skipSpace(): boolean {
    const start = this.pos;
    while (this.pos < this.s.length) {
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x9 || c === 0xa || c === 0xd) this.pos++;
      else break;
    }
    return this.pos > start;
  }

  private readName(what: string): string {
    const start = this.pos;
    if (this.pos >= this.s.length || !NAME_START.test(this.s[this.pos]!)) this.fail(`expected ${what}`);
    this.pos++;
    while (this.pos < this.s.length && NAME_CHAR.test(this.s[this.pos]!)) this.pos++;
    return this.s.slice(start, this.pos);
  }

  private expect(token: string, what: string): void {
    if (!this.startsWith(token)) this.fail(`expected ${what}`);
    this.pos += token.length;
  }

  private checkChars(value: string, at: number): void {
    const m = FORBIDDEN_CHAR.exec(value);
    if (m) this.fail(`character U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, at + m.index);
  }

  parseDocument(): XmlElement {
    if (this.startsWith('<?xml') && /[\s?]/.test(this.s[5] ?? '')) this.parseDeclaration();
    this.parseMisc();
    if (this.startsWith('<!DOCTYPE')) this.fail('a DOCTYPE is not accepted: no DTD is read and no entity is expanded (an AAS file needs none)');
    if (!this.startsWith('<')) this.fail(this.pos >= this.s.length ? 'no root element' : 'expected the root element');
    const root = this.parseElementTree();
    this.parseMisc();
    if (this.pos < this.s.length) {
      if (this.startsWith('<!DOCTYPE')) this.fail('a DOCTYPE is not accepted here');
      this.fail(this.startsWith('<') ? 'only one root element is allowed' : 'text after the root element');
    }
    return root;
  }

  private parseDeclaration(): void {
    this.pos += 5;
    const attributes = new Map<string, string>();
    while (true) {
      const hadSpace = this.skipSpace();
      if (this.startsWith('?>')) {
        this.pos += 2;
        break;
      }
      if (!hadSpace) this.fail('expected whitespace or "?>" in the XML declaration');
      const name = this.readName('a pseudo-attribute name in the XML declaration');
      this.skipSpace();
      this.expect('=', '"=" in the XML declaration');
      this.skipSpace();
      attributes.set(name, this.readQuoted());
    }
    const order = [...attributes.keys()];
    const allowed = ['version', 'encoding', 'standalone'];
    if (order[0] !== 'version') this.fail('the XML declaration must start with version');
    if (order.some((n) => !allowed.includes(n)) || order.join() !== allowed.filter((n) => order.includes(n)).join()) this.fail('the XML declaration allows version, encoding, standalone, in this order');
    if (!/^1\.[0-9]+$/.test(attributes.get('version')!)) this.fail(`XML version ${attributes.get('version')} is not supported`);
    const encoding = attributes.get('encoding');
    if (encoding !== undefined) {
      if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(encoding)) this.fail(`"${encoding}" is not an encoding name`);
      this.declaredEncoding = encoding;
    }
    const standalone = attributes.get('standalone');
    if (standalone !== undefined && standalone !== 'yes' && standalone !== 'no') this.fail('standalone must be "yes" or "no"');
  }

  private readQuoted(): string {
    const quote = this.s[this.pos];
    if (quote !== '"' && quote !== "'") this.fail('expected a quoted value');
    const end = this.s.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail('a quoted value is not closed');
    const value = this.s.slice(this.pos + 1, end);
    this.pos = end + 1;
    return value;
  }

  /** Comments, processing instructions and whitespace outside the root element. */
  private parseMisc(): void {
    while (true) {
      this.skipSpace();
      if (this.startsWith('<!--')) this.parseComment();
      else if (this.startsWith('<?')) this.parseProcessingInstruction();
      else return;
    }
  }

  private parseComment(): void {
    const start = this.pos;
    const end = this.s.indexOf('-->', this.pos + 4);
    if (end < 0) this.fail('a comment is not closed', start);
    const body = this.s.slice(this.pos + 4, end);
    const dashes = body.indexOf('--');
    if (dashes >= 0 || body.endsWith('-')) this.fail('"--" is not allowed inside a comment', this.pos + 4 + (dashes >= 0 ? dashes : body.length - 1));
    this.checkChars(body, this.pos + 4);
    this.pos = end + 3;
  }

  private parseProcessingInstruction(): void {
    const start = this.pos;
    this.pos += 2;
    const target = this.readName('a processing instruction target');
    if (target.toLowerCase() === 'xml') this.fail('an XML declaration is only allowed at the very start of the document', start);
    const end = this.s.indexOf('?>', this.pos);
    if (end < 0) this.fail('a processing instruction is not closed', start);
    if (end > this.pos && !/^\s/.test(this.s[this.pos]!)) this.fail('expected whitespace after the processing instruction target');
    this.checkChars(this.s.slice(this.pos, end), this.pos);
    this.pos = end + 2;
  }

  /** Resolves entity and character references in text or an attribute value. */
  private resolveReferences(value: string, at: number): string {
    if (!value.includes('&')) return value;
    let out = '';
    let i = 0;
    while (i < value.length) {
      const amp = value.indexOf('&', i);
      if (amp < 0) {
        out += value.slice(i);
        break;
      }
      out += value.slice(i, amp);
      const semi = value.indexOf(';', amp);
      if (semi < 0 || semi - amp > 40) this.fail('"&" must start an entity reference ending with ";" (write &amp; for a literal "&")', at + amp);
      const ref = value.slice(amp + 1, semi);
      if (ref.startsWith('#')) {
        const hex = ref[1] === 'x';
        const digits = ref.slice(hex ? 2 : 1);
        if (!(hex ? /^[0-9A-Fa-f]+$/ : /^[0-9]+$/).test(digits)) this.fail(`"&${ref};" is not a character reference`, at + amp);
        const code = parseInt(digits, hex ? 16 : 10);
        if (!isXmlChar(code)) this.fail(`"&${ref};" refers to a character XML does not allow`, at + amp);
        out += String.fromCodePoint(code);
      } else {
        const replacement = PREDEFINED[ref];
        if (replacement === undefined) this.fail(`entity "&${ref};" is not defined (only &lt; &gt; &amp; &apos; &quot; and character references are, without a DTD)`, at + amp);
        out += replacement;
      }
      i = semi + 1;
    }
    return out;
  }

  /** One element and everything inside it, with an explicit stack: nesting depth never reaches the JS stack. */
  private parseElementTree(): XmlElement {
    const stack: MutableElement[] = [];
    // the namespace bindings each open element declares (prefix '' = the default namespace)
    const scopes: Map<string, string>[] = [];
    let root: MutableElement | undefined;
    while (true) {
      if (stack.length === 0 && root !== undefined) return root as XmlElement;
      const parent = stack[stack.length - 1];
      if (this.pos >= this.s.length) this.fail(`element <${parent?.name ?? '?'}> is not closed`);
      if (this.startsWith('</')) {
        const at = this.pos;
        this.pos += 2;
        const name = this.readName('an element name in the end tag');
        this.skipSpace();
        this.expect('>', '">" to end the end tag');
        if (!parent || parent.name !== name) this.fail(`end tag </${name}> does not match <${parent?.name ?? ''}>`, at);
        stack.pop();
        scopes.pop();
        continue;
      }
      if (this.startsWith('<!--')) {
        if (!parent) this.fail('expected an element');
        this.parseComment();
        continue;
      }
      if (this.startsWith('<![CDATA[')) {
        if (!parent) this.fail('expected an element');
        const end = this.s.indexOf(']]>', this.pos + 9);
        if (end < 0) this.fail('a CDATA section is not closed');
        const body = this.s.slice(this.pos + 9, end);
        this.checkChars(body, this.pos + 9);
        parent.text += body;
        this.pos = end + 3;
        continue;
      }
      if (this.startsWith('<?')) {
        if (!parent) this.fail('expected an element');
        this.parseProcessingInstruction();
        continue;
      }
      if (this.startsWith('<!')) this.fail(this.startsWith('<!DOCTYPE') ? 'a DOCTYPE is not accepted inside an element' : 'markup "<!" is not allowed here');
      if (this.startsWith('<')) {
        const { element, scope, selfClosing } = this.parseStartTag(scopes);
        if (parent) parent.children.push(element);
        else root = element;
        if (selfClosing) continue;
        if (stack.length >= this.caps.maxDepth) this.fail(`elements are nested deeper than ${this.caps.maxDepth} levels`);
        stack.push(element);
        scopes.push(scope);
        continue;
      }
      // character data up to the next markup
      if (!parent) this.fail('expected an element');
      const next = this.s.indexOf('<', this.pos);
      const end = next < 0 ? this.s.length : next;
      const chunk = this.s.slice(this.pos, end);
      const cdataEnd = chunk.indexOf(']]>');
      if (cdataEnd >= 0) this.fail('"]]>" is not allowed in text', this.pos + cdataEnd);
      this.checkChars(chunk, this.pos);
      parent.text += this.resolveReferences(chunk, this.pos);
      this.pos = end;
    }
  }

  private lookup(prefix: string, scopes: readonly Map<string, string>[], own: Map<string, string>, at: number): string | undefined {
    if (prefix === 'xml') return XML_NAMESPACE;
    for (const scope of [own, ...[...scopes].reverse()]) {
      const value = scope.get(prefix);
      // xmlns="" undeclares the default namespace
      if (value !== undefined) return value === '' ? undefined : value;
    }
    if (prefix !== '') this.fail(`namespace prefix "${prefix}" is not declared`, at);
    return undefined;
  }

  private position(at: number): [number, number] {
    for (; this.counted < at; this.counted++) {
      if (this.s.charCodeAt(this.counted) === 10) {
        this.line++;
        this.lineStart = this.counted + 1;
      }
    }
    return [this.line, at - this.lineStart + 1];
  }

  private parseStartTag(scopes: readonly Map<string, string>[]): { element: MutableElement; scope: Map<string, string>; selfClosing: boolean } {
    const at = this.pos;
    this.elements++;
    if (this.elements > this.caps.maxElements) this.fail(`more than ${this.caps.maxElements} elements`);
    this.pos++;
    const name = this.readName('an element name');
    const raw: { name: string; value: string; at: number }[] = [];
    let selfClosing = false;
    while (true) {
      const hadSpace = this.skipSpace();
      if (this.startsWith('/>')) {
        this.pos += 2;
        selfClosing = true;
        break;
      }
      if (this.startsWith('>')) {
        this.pos++;
        break;
      }
      if (this.pos >= this.s.length) this.fail(`start tag <${name}> is not closed`, at);
      if (!hadSpace) this.fail('expected whitespace before an attribute');
      const attrAt = this.pos;
      const attrName = this.readName('an attribute name');
      this.skipSpace();
      this.expect('=', `"=" after attribute ${attrName}`);
      this.skipSpace();
      const valueAt = this.pos + 1;
      const rawValue = this.readQuoted();
      if (rawValue.includes('<')) this.fail(`"<" is not allowed in the value of attribute ${attrName}`, valueAt + rawValue.indexOf('<'));
      this.checkChars(rawValue, valueAt);
      if (raw.some((a) => a.name === attrName)) this.fail(`attribute ${attrName} appears twice`, attrAt);
      if (raw.length >= this.caps.maxAttributes) this.fail(`more than ${this.caps.maxAttributes} attributes on <${name}>`, attrAt);
      // attribute-value normalisation: whitespace characters become spaces (references resolved after)
      raw.push({ name: attrName, value: this.resolveReferences(rawValue.replace(/[\t\n\r]/g, ' '), valueAt), at: attrAt });
    }
    const scope = new Map<string, string>();
    for (const a of raw) {
      if (a.name === 'xmlns') scope.set('', a.value);
      else if (a.name.startsWith('xmlns:')) {
        const prefix = a.name.slice(6);
        if (a.value === '') this.fail(`namespace prefix "${prefix}" cannot be undeclared in XML 1.0`, a.at);
        if (prefix === 'xmlns' || (prefix === 'xml' && a.value !== XML_NAMESPACE)) this.fail(`prefix "${prefix}" cannot be declared`, a.at);
        scope.set(prefix, a.value);
      }
    }
    const split = (qname: string, at2: number): [string, string] => {
      const colon = qname.indexOf(':');
      if (colon < 0) return ['', qname];
      if (colon === 0 || colon === qname.length - 1 || qname.indexOf(':', colon + 1) >= 0) this.fail(`"${qname}" is not a valid qualified name`, at2);
      return [qname.slice(0, colon), qname.slice(colon + 1)];
    };
    const [prefix, localName] = split(name, at);
    const [line, column] = this.position(at);
    const element: MutableElement = {
      name,
      localName,
      namespace: this.lookup(prefix, scopes, scope, at),
      attributes: [],
      children: [],
      text: '',
      line,
      column,
    };
    const seen = new Set<string>();
    for (const a of raw) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      const [p, local] = split(a.name, a.at);
      const namespace = p === '' ? undefined : this.lookup(p, scopes, scope, a.at);
      const key = `${namespace ?? ''}\u0000${local}`;
      if (seen.has(key)) this.fail(`attribute ${a.name} appears twice (after namespace resolution)`, a.at);
      seen.add(key);
      element.attributes.push({ name: a.name, localName: local, namespace, value: a.value });
    }
    return { element, scope, selfClosing };
  }
}
