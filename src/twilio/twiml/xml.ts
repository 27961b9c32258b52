/**
 * The strict XML reader under every TwiML answer (voice and messaging), built on `saxes`, a
 * conformant non-validating XML 1.0 parser. What it allows is narrower than XML: no DOCTYPE at all
 * (so no entity can be declared, and none expands beyond XML's five predefined entities and
 * character references), namespaces off (a `:` in a name is just a character), at most
 * {@link MAX_TWIML_BYTES} of text (Twilio's 64 kB limit, error 11750) and {@link MAX_DEPTH}
 * levels of nesting. Anything else is an {@link XmlError}, which callers report as Twilio's
 * 12100 "Document parse failure" (or 11750 when too large). Pure.
 */
import { SaxesParser } from 'saxes';

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

/** Twilio refuses TwiML bodies over 64 kB (error 11750, "TwiML response body too large"). */
export const MAX_TWIML_BYTES = 64 * 1024;

/**
 * Deepest nesting accepted. Real TwiML needs about five levels (Response › Gather › Say › SSML);
 * the cap keeps tree walks shallow whatever a document holds. A mirra limit, not Twilio's.
 */
export const MAX_DEPTH = 32;

/** Why a document was refused: not well-formed XML (or outside mirra's rules), or too large. */
export type XmlErrorKind = 'malformed' | 'too-large';

/** A document that cannot be read, with the 1-based line and column where the problem was found. */
export class XmlError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly kind: XmlErrorKind = 'malformed',
  ) {
    super(kind === 'too-large' ? reason : `${reason} (line ${line}, column ${column})`);
    this.name = 'XmlError';
  }
}

/** True for an element node. */
export function isElement(node: XmlNode): node is XmlElement {
  return (node as XmlElement).name !== undefined;
}

/** Options of {@link parseXml}. */
export interface ParseXmlOptions {
  /** Largest accepted document in UTF-8 bytes (default {@link MAX_TWIML_BYTES}). */
  maxBytes?: number;
}

/** saxes prefixes its messages with `line:column: ` and ends them with a full stop. */
function reasonOf(message: string): string {
  return message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
}

/** Line and column (1-based) of offset `at` in `text`. */
function locate(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

/**
 * Parses a whole document and returns its root element, or throws {@link XmlError}. The first
 * problem ends the parse: a TwiML document either reads or it does not.
 */
export function parseXml(input: string, options: ParseXmlOptions = {}): XmlElement {
  const maxBytes = options.maxBytes ?? MAX_TWIML_BYTES;
  const size = Buffer.byteLength(input, 'utf8');
  if (size > maxBytes) throw new XmlError(`the document is ${size} bytes; the limit is ${maxBytes}`, 1, 1, 'too-large');

  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let lastClosed: XmlElement | null = null;
  const fail = (reason: string, at?: number): never => {
    const where = at === undefined ? { line: parser.line, column: parser.column } : locate(input, at);
    throw new XmlError(reason, where.line, where.column);
  };
  const addText = (text: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.children.push({ text }); // whitespace around the root is dropped (saxes rejects anything else)
  };

  parser.on('doctype', () => fail('DOCTYPE declarations are not allowed in TwiML'));
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) fail(`elements nest deeper than ${MAX_DEPTH} levels`);
    const el: XmlElement = { name: tag.name, attrs: { ...tag.attributes }, children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    lastClosed = stack.pop() ?? null;
  });
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('error', (err) => {
    const reason = reasonOf(err.message);
    if (reason === 'unexpected close tag' && lastClosed) {
      // saxes has already popped the open element the close tag does not match: name both.
      const at = input.lastIndexOf('</', parser.position - 3);
      const closing = /^<\/([^\s>]*)/.exec(input.slice(at))?.[1] ?? '?';
      fail(`</${closing}> does not match <${(lastClosed as XmlElement).name}>`, at);
    }
    fail(reason);
  });
  parser.write(input).close();
  if (!root) return fail('the document has no root element');
  return root;
}

/** The concatenated character data directly inside `el` (not in child elements). */
export function ownText(el: XmlElement): string {
  return el.children.map((c) => (isElement(c) ? '' : c.text)).join('');
}

/** All character data inside `el`, child elements included (`<Say>` text with SSML markup). */
export function textContent(el: XmlElement): string {
  return el.children.map((c) => (isElement(c) ? textContent(c) : c.text)).join('');
}

/** The child elements of `el`. */
export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter(isElement);
}
