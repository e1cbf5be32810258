/**
 * A tiny element builder, so that report markup is never assembled from unescaped strings: text
 * children and attribute values are always escaped, and only {@link Markup} (built here, or
 * trusted constant text through {@link raw}) passes through as is.
 */

/** Markup that is already safe to insert: built by {@link h} or vouched for with {@link raw}. */
export class Markup {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** What an element may hold: text (escaped), numbers, markup, and arrays of them; nullish and false are skipped. */
export type Child = string | number | Markup | null | undefined | false | readonly Child[];

/** Attribute values: text and numbers are escaped; null, undefined and false leave the attribute out. */
export type Attributes = Readonly<Record<string, string | number | true | false | null | undefined>>;

/** HTML elements that have no end tag. */
const VOID_HTML = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** SVG elements this package writes; empty ones close themselves (`<use/>`), as XML wants. */
const SVG_ELEMENTS = new Set(['svg', 'g', 'defs', 'symbol', 'use', 'path', 'circle', 'rect', 'line', 'polyline', 'polygon', 'text', 'tspan']);

const NAME = /^[A-Za-z][A-Za-z0-9-]*$/;
const ATTRIBUTE = /^[A-Za-z_:][A-Za-z0-9_:.-]*$/;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values, in HTML and XML alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Marks constant, trusted text (the style sheet, a doctype) as markup. Never pass it anything
 * that came from a result or a caller.
 */
export function raw(html: string): Markup {
  return new Markup(html);
}

/** Renders children to markup, escaping text. */
export function fragment(...children: Child[]): Markup {
  const out: string[] = [];
  appendChildren(out, children);
  return new Markup(out.join(''));
}

function appendChildren(out: string[], children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (child instanceof Markup) out.push(child.html);
    else if (typeof child === 'string') out.push(escapeHtml(child));
    else if (typeof child === 'number') out.push(formatNumber(child));
    else appendChildren(out, child);
  }
}

/** Numbers as attribute or text values: finite only, without exponent noise for small values. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} into markup`);
  return String(value);
}

function attributes(attrs: Attributes): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (!ATTRIBUTE.test(name)) throw new RangeError(`invalid attribute name "${name}"`);
    const text = value === true ? '' : typeof value === 'number' ? formatNumber(value) : escapeHtml(value);
    out += ` ${name}="${text}"`;
  }
  return out;
}

/**
 * One element: `h('p', { class: 'note' }, 'Text & more', h('b', {}, 'bold'))`. Empty SVG elements
 * close themselves, HTML void elements have no end tag, everything else gets one.
 */
export function h(tag: string, attrs: Attributes = {}, ...children: Child[]): Markup {
  if (!NAME.test(tag)) throw new RangeError(`invalid element name "${tag}"`);
  const open = `<${tag}${attributes(attrs)}`;
  if (VOID_HTML.has(tag)) {
    if (children.some((c) => c !== null && c !== undefined && c !== false)) throw new RangeError(`<${tag}> cannot have children`);
    return new Markup(`${open}>`);
  }
  const out: string[] = [];
  appendChildren(out, children);
  if (out.length === 0 && SVG_ELEMENTS.has(tag)) return new Markup(`${open}/>`);
  return new Markup(`${open}>${out.join('')}</${tag}>`);
}

/** Rounds a coordinate to `digits` decimals, so SVG stays compact. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
