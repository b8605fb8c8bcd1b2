import { describe, expect, test } from 'vitest';
import { attributeOf, childrenNamed, parseXml, XML_NAMESPACE } from '../../../../harness/protocols/aas/xml.js';

const AAS = 'https://admin-shell.io/aas/3/0';

describe('parseXml: what it reads', () => {
  test('elements, attributes, default and prefixed namespaces, text', () => {
    const doc = parseXml(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- a comment -->
<?app some instruction?>
<environment xmlns="${AAS}" xmlns:x="urn:x" x:flag='on' plain="1">
  <submodels><submodel><id>urn:a</id></submodel></submodels>
  <x:extra xml:lang="de">Text</x:extra>
  <inner xmlns=""><leaf/></inner>
</environment>
`);
    expect(doc.problems).toEqual([]);
    expect(doc.declaredEncoding).toBe('UTF-8');
    const root = doc.root!;
    expect([root.localName, root.namespace]).toEqual(['environment', AAS]);
    expect(attributeOf(root, 'flag', 'urn:x')).toBe('on');
    expect(attributeOf(root, 'plain')).toBe('1');
    // namespace declarations are not attributes
    expect(root.attributes.map((a) => a.name)).toEqual(['x:flag', 'plain']);
    const id = childrenNamed(childrenNamed(childrenNamed(root, 'submodels', AAS)[0]!, 'submodel', AAS)[0]!, 'id', AAS)[0]!;
    expect(id.text).toBe('urn:a');
    const extra = childrenNamed(root, 'extra', 'urn:x')[0]!;
    expect(extra.attributes[0]).toMatchObject({ localName: 'lang', namespace: XML_NAMESPACE, value: 'de' });
    const inner = childrenNamed(root, 'inner')[0]!;
    expect(inner.namespace).toBeUndefined();
    expect(inner.children[0]!.namespace).toBeUndefined();
    expect([extra.line, extra.column]).toEqual([6, 3]);
  });

  test('predefined entities, character references and CDATA', () => {
    const doc = parseXml('<a t="&lt;&#65;&#x42;&quot;">x &amp; y &apos;&gt;<![CDATA[<raw & stuff>]]>&#x1F600;</a>');
    expect(doc.problems).toEqual([]);
    expect(attributeOf(doc.root!, 't')).toBe('<AB"');
    expect(doc.root!.text).toBe("x & y '><raw & stuff>😀");
  });

  test('bytes: UTF-8 with or without BOM, UTF-16 with BOM; CRLF becomes LF', () => {
    expect(parseXml(Buffer.from('\uFEFF<a>é</a>', 'utf8')).root!.text).toBe('é');
    expect(parseXml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>ü</a>', 'utf16le')])).root!.text).toBe('ü');
    expect(parseXml('<a>1\r\n2\r3</a>').root!.text).toBe('1\n2\n3');
  });

  test('attribute values are normalised: tabs and newlines become spaces', () => {
    expect(attributeOf(parseXml('<a v="1\n2\t3"/>').root!, 'v')).toBe('1 2 3');
  });
});

describe('parseXml: what it refuses, with line:column', () => {
  const cases: [string, string, RegExp][] = [
    ['a DOCTYPE (billion laughs)', '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n<lolz>&lol2;</lolz>', /^2:1: a DOCTYPE is not accepted/],
    ['an external entity', '<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>', /DOCTYPE is not accepted/],
    ['an undefined entity', '<a>&nbsp;</a>', /^1:4: entity "&nbsp;" is not defined/],
    ['a bare ampersand', '<a>fish & chips</a>', /"&" must start an entity reference/],
    ['a character reference to a forbidden character', '<a>&#0;</a>', /refers to a character XML does not allow/],
    ['a malformed character reference', '<a>&#xZZ;</a>', /is not a character reference/],
    ['mismatched end tag', '<a><b></a></b>', /^1:7: end tag <\/a> does not match <b>/],
    ['unclosed element', '<a><b></b>', /element <a> is not closed/],
    ['two roots', '<a/><b/>', /only one root element/],
    ['text after the root', '<a/>junk', /text after the root element/],
    ['no root', '<?xml version="1.0"?>', /no root element/],
    ['empty document', '', /no root element/],
    ['duplicate attribute', '<a x="1" x="2"/>', /attribute x appears twice/],
    ['duplicate attribute after namespace resolution', '<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>', /twice \(after namespace resolution\)/],
    ['undeclared prefix', '<p:a/>', /namespace prefix "p" is not declared/],
    ['unquoted attribute', '<a x=1/>', /expected a quoted value/],
    ['"<" in an attribute', '<a x="<"/>', /"<" is not allowed in the value/],
    ['"--" in a comment', '<a><!-- a -- b --></a>', /"--" is not allowed inside a comment/],
    ['unclosed comment', '<a><!-- never</a>', /a comment is not closed/],
    ['unclosed CDATA', '<a><![CDATA[x</a>', /CDATA section is not closed/],
    ['"]]>" in text', '<a>x]]>y</a>', /"\]\]>" is not allowed in text/],
    ['a late XML declaration', '<a><?xml version="1.0"?></a>', /XML declaration is only allowed at the very start/],
    ['a control character', '<a>\u0001</a>', /U\+0001 is not allowed/],
    ['bad version', '<?xml version="2.0"?><a/>', /XML version 2.0 is not supported/],
    ['declaration out of order', '<?xml encoding="UTF-8" version="1.0"?><a/>', /must start with version/],
    ['garbage', '\u0000\u0001PK\u0003\u0004', /expected the root element|not allowed/],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => {
      const doc = parseXml(input);
      expect(doc.root).toBeUndefined();
      expect(doc.problems).toHaveLength(1);
      expect(doc.problems[0]).toMatch(expected);
      expect(doc.problems[0]).toMatch(/^\d+:\d+: /);
    });
  }

  test('bytes in an encoding it does not read: said so, and marked unread rather than malformed', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\u00e9</a>', 'latin1');
    const doc = parseXml(latin1);
    expect(doc.unsupportedEncoding).toBe('ISO-8859-1');
    expect(doc.problems).toEqual(['1:1: the document declares encoding ISO-8859-1; this parser reads UTF-8 and UTF-16 only']);
    // the same in ASCII is UTF-8 too, and read
    expect(parseXml(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>cafe</a>', 'latin1')).root!.text).toBe('cafe');
  });

  test('invalid UTF-8 bytes', () => {
    expect(parseXml(new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0xfd, 0x3c, 0x2f, 0x61, 0x3e])).problems[0]).toMatch(/not valid UTF-8/);
  });

  test('deep nesting is a problem, not a stack overflow', () => {
    const depth = 100_000;
    const doc = parseXml('<a>'.repeat(depth) + '</a>'.repeat(depth));
    expect(doc.problems[0]).toMatch(/nested deeper than 256 levels/);
    // within the cap, depth is fine
    expect(parseXml('<a>'.repeat(200) + '</a>'.repeat(200)).problems).toEqual([]);
  });

  test('size, element and attribute caps', () => {
    expect(parseXml('<a/>', { maxBytes: 3 }).problems[0]).toMatch(/the limit is 3/);
    expect(parseXml('<a><b/><b/><b/></a>', { maxElements: 3 }).problems[0]).toMatch(/more than 3 elements/);
    expect(parseXml('<a x="1" y="2"/>', { maxAttributes: 1 }).problems[0]).toMatch(/more than 1 attributes/);
  });

  test('a large flat document parses in linear time', () => {
    const xml = `<r>${'<e a="1">t</e>\n'.repeat(200_000)}</r>`;
    const started = performance.now();
    const doc = parseXml(xml);
    expect(doc.problems).toEqual([]);
    expect(doc.root!.children).toHaveLength(200_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
