/**
 * Building HTML without ever pasting untrusted text into it. Everything in a report and its evidence can come
 * from the target (a device chooses its topics, payloads and identity strings), so the only way text enters the
 * page is through escapeText; markup the renderer made itself travels as a Markup value and is never escaped
 * twice. The `html` template tag does the bookkeeping: interpolated strings are escaped, Markup is kept.
 */

export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What a template may interpolate: `false`, null and undefined render nothing, so `${cond && html`...`}` works. */
export type Part = Markup | string | number | false | null | undefined | readonly Part[];

// C0 controls (but tab and newlines) and DEL would be invisible or break layout: show them as control pictures
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// bidirectional overrides can make a hostile topic read as something else (the "Trojan Source" trick): name them
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// a lone surrogate cannot be written as UTF-8
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value: nothing in it can open a tag, close a quote or hide. */
export function escapeText(text: string): string {
  return text
    .replace(CONTROL, (c) => String.fromCharCode(c === '\u007F' ? 0x2421 : 0x2400 + c.charCodeAt(0)))
    .replace(BIDI, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`)
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/[&<>"']/g, (c) => SPECIAL[c]!);
}

function render(part: Part): string {
  if (part === false || part === null || part === undefined) return '';
  if (part instanceof Markup) return part.text;
  if (typeof part === 'number') return escapeText(String(part));
  if (typeof part === 'string') return escapeText(part);
  return part.map(render).join('');
}

/** Template tag: the literal parts are trusted markup written here, every interpolation is escaped unless Markup. */
export function html(literals: TemplateStringsArray, ...parts: Part[]): Markup {
  let out = literals[0] ?? '';
  parts.forEach((part, i) => {
    out += render(part) + (literals[i + 1] ?? '');
  });
  return new Markup(out);
}

/** Trusted markup from a constant (the style sheet, the filter script): never call it with report data. */
export function trusted(text: string): Markup {
  return new Markup(text);
}

/** A value safe inside an id attribute and a `#fragment` href: letters, digits, dot, dash, underscore only. */
export function anchor(prefix: string, id: string, index: number): string {
  return `${prefix}-${index}-${id.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80)}`;
}
