/**
 * A small, strict XML parser for TwiML answers: well-formedness as XML 1.0 requires it (one root,
 * matching tags, quoted unique attributes, only the five predefined entities and character
 * references, CDATA, comments, processing instructions), and no DOCTYPE at all, so there is no
 * entity expansion to abuse. Anything else is an {@link XmlError}, which the caller reports as
 * Twilio's 12100 "Document parse failure". Pure; no dependency.
 */

/** An element with its attributes and children in document order. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

/** Character data (text and CDATA, entities decoded). */
export interface XmlText {
  text: string;
}

/** A child of an element. */
export type XmlNode = XmlElement | XmlText;

/** A well-formedness error, with the 1-based line and column where it was found. */
export class XmlError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'XmlError';
  }
}

/** True for an element node. */
export function isElement(node: XmlNode): node is XmlElement {
  return (node as XmlElement).name !== undefined;
}

const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
const SPACE = /[ \t\r\n]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class Scanner {
  pos = 0;
  constructor(readonly src: string) {}

  fail(reason: string, at = this.pos): never {
    const before = this.src.slice(0, at);
    const line = before.split('\n').length;
    throw new XmlError(reason, line, at - before.lastIndexOf('\n'));
  }

  startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  expect(s: string): void {
    if (!this.startsWith(s)) this.fail(`expected "${s}"`);
    this.pos += s.length;
  }

  skipSpace(): boolean {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.src);
    const moved = SPACE.lastIndex > this.pos;
    this.pos = SPACE.lastIndex;
    return moved;
  }

  name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.src);
    if (!m) this.fail('expected a name');
    this.pos = NAME.lastIndex;
    return m[0];
  }

  /** Skips to just past `end`, returning what was in between. */
  until(end: string, what: string): string {
    const at = this.src.indexOf(end, this.pos);
    if (at === -1) this.fail(`unterminated ${what}`);
    const text = this.src.slice(this.pos, at);
    this.pos = at + end.length;
    return text;
  }

  /** Decodes entity and character references in raw character data. */
  decode(raw: string, start: number): string {
    return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string, offset: number) => {
      if (!whole.endsWith(';')) this.fail('"&" must start an entity reference (escape it as &amp;)', start + offset);
      if (PREDEFINED[ref] !== undefined) return PREDEFINED[ref];
      const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
      const code = num ? parseInt(num[1] ?? num[2], num[1] ? 16 : 10) : NaN;
      if (!num || !(code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x10ffff))) {
        this.fail(`undefined entity "&${ref};"`, start + offset);
      }
      return String.fromCodePoint(code);
    });
  }

  /** Comments and processing instructions between markup; false when neither is next. */
  misc(): boolean {
    if (this.startsWith('<!--')) {
      this.pos += 4;
      if (this.until('-->', 'comment').includes('--')) this.fail('"--" is not allowed inside a comment');
      return true;
    }
    if (this.startsWith('<?')) {
      this.pos += 2;
      const target = this.name();
      if (target.toLowerCase() === 'xml') this.fail('the XML declaration is only allowed at the very start');
      this.until('?>', 'processing instruction');
      return true;
    }
    return false;
  }

  element(): XmlElement {
    const start = this.pos;
    this.expect('<');
    const name = this.name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const spaced = this.skipSpace();
      if (this.startsWith('/>')) {
        this.pos += 2;
        return { name, attrs, children: [] };
      }
      if (this.startsWith('>')) {
        this.pos += 1;
        break;
      }
      if (!spaced) this.fail('expected whitespace, ">" or "/>" after a name');
      const attrAt = this.pos;
      const attr = this.name();
      this.skipSpace();
      this.expect('=');
      this.skipSpace();
      const quote = this.src[this.pos];
      if (quote !== '"' && quote !== "'") this.fail(`the value of attribute "${attr}" must be quoted`);
      this.pos += 1;
      const valueAt = this.pos;
      const raw = this.until(quote, `value of attribute "${attr}"`);
      if (raw.includes('<')) this.fail(`"<" is not allowed in the value of attribute "${attr}"`, valueAt);
      if (attr in attrs) this.fail(`attribute "${attr}" appears twice`, attrAt);
      attrs[attr] = this.decode(raw, valueAt);
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (this.pos >= this.src.length) this.fail(`element <${name}> is not closed`, start);
      if (this.startsWith('</')) {
        const closeAt = this.pos;
        this.pos += 2;
        const closing = this.name();
        if (closing !== name) this.fail(`</${closing}> does not match <${name}>`, closeAt);
        this.skipSpace();
        this.expect('>');
        return { name, attrs, children };
      }
      if (this.startsWith('<![CDATA[')) {
        this.pos += 9;
        children.push({ text: this.until(']]>', 'CDATA section') });
      } else if (this.startsWith('<!')) {
        if (!this.misc()) this.fail('unexpected markup declaration');
      } else if (this.startsWith('<?')) {
        this.misc();
      } else if (this.startsWith('<')) {
        children.push(this.element());
      } else {
        const at = this.pos;
        const next = this.src.indexOf('<', this.pos);
        const raw = this.src.slice(this.pos, next === -1 ? this.src.length : next);
        if (raw.includes(']]>')) this.fail('"]]>" is not allowed in text', at + raw.indexOf(']]>'));
        this.pos += raw.length;
        children.push({ text: this.decode(raw, at) });
      }
    }
  }
}

/** Parses a whole document and returns its root element, or throws {@link XmlError}. */
export function parseXml(input: string): XmlElement {
  const s = new Scanner(input.startsWith('\ufeff') ? input.slice(1) : input);
  if (s.startsWith('<?xml') && /[\s?]/.test(s.src[5] ?? '')) {
    s.pos += 5;
    const decl = s.until('?>', 'XML declaration');
    if (!/^\s+version\s*=\s*(["'])1\.[0-9]+\1/.test(decl)) s.fail('the XML declaration needs a version');
  }
  for (;;) {
    s.skipSpace();
    if (s.startsWith('<!DOCTYPE')) s.fail('DOCTYPE declarations are not allowed in TwiML');
    if (!s.misc()) break;
  }
  if (!s.startsWith('<')) s.fail(s.pos >= s.src.length ? 'the document is empty' : 'content is not allowed before the root element');
  const root = s.element();
  for (;;) {
    s.skipSpace();
    if (s.pos >= s.src.length) return root;
    if (!s.misc()) s.fail('content is not allowed after the root element');
  }
}

/** The concatenated character data directly inside `el` (not in child elements). */
export function ownText(el: XmlElement): string {
  return el.children.map((c) => (isElement(c) ? '' : c.text)).join('');
}
