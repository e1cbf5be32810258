/**
 * Test helpers (not built, not exported): a strict XML well-formedness parser for the report's
 * SVG, and ways to pick SVGs and elements out of a report.
 */

/** An element as parsed: name, attributes, child elements and its text content. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Parses a document that must be well-formed XML (one root element, matched tags, quoted and
 * unique attributes, only the five predefined entities and character references, no stray `<`
 * or `&`), throwing on the first violation with its offset.
 */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const fail = (reason: string): never => {
    throw new SyntaxError(`${reason} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const decode = (value: string): string =>
    value.replace(/&([^;&<]*);?/g, (match, body: string) => {
      if (!match.endsWith(';')) fail(`bare & in ${JSON.stringify(value)}`);
      if (body in ENTITIES) return ENTITIES[body]!;
      const code = /^#x[0-9A-Fa-f]+$/.test(body) ? parseInt(body.slice(2), 16) : /^#[0-9]+$/.test(body) ? Number(body.slice(1)) : NaN;
      if (Number.isNaN(code)) fail(`unknown entity &${body};`);
      return String.fromCodePoint(code);
    });
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const name = (): string => {
    const match = NAME.exec(text.slice(i, i + 200));
    if (!match) return fail('expected a name');
    i += match[0].length;
    return match[0];
  };
  const element = (): XmlElement => {
    if (text[i] !== '<') fail('expected <');
    i++;
    const node: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      skipSpace();
      if (text.startsWith('/>', i)) {
        i += 2;
        return node;
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected whitespace before an attribute');
      const attribute = name();
      if (attribute in node.attributes) fail(`duplicate attribute ${attribute}`);
      skipSpace();
      if (text[i] !== '=') fail('expected =');
      i++;
      skipSpace();
      const quote = text[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = text.indexOf(quote!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      const value = text.slice(i + 1, end);
      if (value.includes('<')) fail('< inside an attribute value');
      node.attributes[attribute] = decode(value);
      i = end + 1;
    }
    for (;;) {
      if (i >= text.length) fail(`unclosed <${node.name}>`);
      if (text.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== node.name) fail(`</${closing}> closes <${node.name}>`);
        skipSpace();
        if (text[i] !== '>') fail('expected >');
        i++;
        return node;
      }
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (text[i] === '<') {
        node.children.push(element());
      } else {
        const next = text.indexOf('<', i);
        const chunk = text.slice(i, next < 0 ? text.length : next);
        if (chunk.includes(']]>')) fail(']]> in text');
        node.text += decode(chunk);
        i += chunk.length;
      }
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== text.length) fail('content after the root element');
  return root;
}

/** Every `<svg>…</svg>` of an HTML report (the report never nests them). */
export function svgsOf(html: string): string[] {
  return html.match(/<svg\b[\s\S]*?<\/svg>/g) ?? [];
}

/** All elements under `root` (itself included), depth first, that satisfy `test`. */
export function findAll(root: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    if (test(e)) out.push(e);
    e.children.forEach(visit);
  };
  visit(root);
  return out;
}

/** The people marks of a parsed wheel: `<use>` elements inside the `people` group. */
export function personMarks(wheel: XmlElement): XmlElement[] {
  const layer = findAll(wheel, (e) => e.name === 'g' && e.attributes.class === 'people')[0];
  return layer ? findAll(layer, (e) => e.name === 'use') : [];
}

/**
 * Addresses a report would fetch from: in tags, `src`/`href` (and the like) to anything but a
 * fragment or a data: URL; anywhere, CSS `url(` other than those and `@import`; and any tag that
 * loads (`<link>`, `<script>`, `<iframe>`, `<object>`, `<embed>`). Escaped text is not a tag.
 */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  const local = (address: string) => address.startsWith('#') || address.startsWith('data:');
  for (const [tag] of html.matchAll(/<[A-Za-z][^>]*>/g)) {
    if (/^<(link|iframe|object|embed)\b/i.test(tag) || /^<script\b[^>]*\ssrc\s*=/i.test(tag)) found.push(tag);
    // Attribute by attribute, so that text inside another attribute's quoted value is not read as one.
    for (const match of tag.matchAll(/\s([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/g)) {
      const value = match[2] ?? match[3] ?? match[4] ?? '';
      if (/^(src|href|xlink:href|action|poster|srcset)$/i.test(match[1]!) && !local(value)) found.push(match[0].trim());
    }
  }
  for (const match of html.matchAll(/url\(\s*["']?([^"')]*)/gi)) if (!local(match[1]!)) found.push(match[0]);
  for (const match of html.matchAll(/@import/gi)) found.push(match[0]);
  return found;
}
