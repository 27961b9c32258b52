/**
 * Reading a cassette file of any size without holding its text: a million-interaction cassette is
 * over a gigabyte of JSON, more than one JavaScript string can hold, and parsing it whole at every
 * start was the cost of replaying it. The file is read in chunks and split at its structure only —
 * each item of the top-level `interactions` list is cut out and handed to `JSON.parse` and the
 * codec's checks (./codec.ts) one at a time; everything else (version, name, match rules, …) is
 * parsed as one small document with `interactions` emptied. So the same file fails with the same
 * MIRRA_ERR_INVALID_CASSETTE messages as when it is parsed whole.
 *
 * The splitter tracks only strings (with their escapes) and bracket depth, which is all JSON's
 * structure needs; JSON.parse does the parsing. Multi-byte UTF-8 never contains an ASCII byte, so
 * scanning bytes is safe.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { checkHeader, checkInteraction, parseJson } from './codec';
import type { Cassette, Interaction } from './types';

/** A cassette's fields other than its interactions. */
export type CassetteHeader = Omit<Cassette, 'interactions'>;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const CHUNK = 1 << 20;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Whether the byte at `end` is escaped, given that the byte at `start` is escaped when `escaped`
 * (a backslash escapes the next byte; a run of them, every other one).
 */
function isEscapedAt(buf: Buffer, start: number, end: number, escaped: boolean): boolean {
  let k = 0;
  while (end - k - 1 >= start && buf[end - k - 1] === BACKSLASH) k++;
  if (end - k > start) return k % 2 === 1;
  return (escaped ? k + 1 : k) % 2 === 1;
}

/** Splits one cassette text, fed chunk by chunk, into its header text and its interactions' texts. */
class Splitter {
  private depth = 0;
  private inString = false;
  /** Inside a string: the next byte is escaped. */
  private escaped = false;
  /** Bytes of the header (the document with `interactions` emptied). */
  private readonly header: Buffer[] = [];
  /** Bytes of the string being read at depth 1 (a key, or a short value). */
  private keyParts: Buffer[] | null = null;
  private lastString: string | null = null;
  /** The key whose value comes next at depth 1 (after its colon). */
  private key: string | null = null;
  /** Inside the `interactions` list. */
  private inList = false;
  private seenList = false;
  /** Bytes of the item being read, when inside one. */
  private item: Buffer[] | null = null;
  private count = 0;

  constructor(
    private readonly source: string,
    private readonly onItem: (text: string, n: number) => void,
    private readonly onList: (headSoFar: string) => void,
  ) {}

  feed(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    /** Start of this chunk's bytes not yet given to the header or the item. */
    let from = 0;
    /** Start of this chunk's part of a depth-1 string. */
    let stringFrom = 0;
    while (i < n) {
      if (this.inString) {
        const q = buf.indexOf(QUOTE, i);
        if (q === -1) {
          this.escaped = isEscapedAt(buf, i, n, this.escaped);
          i = n;
          break;
        }
        const escaped = isEscapedAt(buf, i, q, this.escaped);
        this.escaped = false;
        i = q + 1;
        if (escaped) continue;
        this.inString = false;
        if (this.keyParts) {
          this.keyParts.push(buf.subarray(stringFrom, i));
          this.lastString = Buffer.concat(this.keyParts).toString('utf8');
          this.keyParts = null;
        }
        continue;
      }
      const c = buf[i];
      if (this.inList && this.item === null) {
        // Between items of the list: a separator, the list's end, or an item's first byte.
        if (c === COMMA || isSpace(c)) {
          from = ++i;
          continue;
        }
        if (c === CLOSE_BRACKET) {
          this.closeList();
          from = ++i;
          continue;
        }
        this.item = [];
        from = i;
      }
      if (c === QUOTE) {
        this.inString = true;
        this.escaped = false;
        if (this.depth === 1 && !this.inList) {
          this.keyParts = [];
          stringFrom = i;
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.depth === 1 && c === OPEN_BRACKET && this.key === 'interactions' && !this.seenList) {
          this.header.push(buf.subarray(from, i));
          this.onList(Buffer.concat(this.header).toString('utf8') + '[]}');
          this.inList = this.seenList = true;
          this.depth = 2;
          from = ++i;
          continue;
        }
        this.depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.item !== null && this.depth === 2) {
          // An object or list item ends here.
          this.item.push(buf.subarray(from, i + 1));
          this.emit();
          from = ++i;
          continue;
        }
        if (this.item !== null && this.depth === 1) {
          // The list ends right after an item that is not an object (`[1]`).
          this.item.push(buf.subarray(from, i));
          this.emit();
          this.closeList();
          from = ++i;
          continue;
        }
      } else if (c === COLON && this.depth === 1 && !this.inList) {
        this.key = this.lastString === null ? null : String(parseJson(this.lastString, this.source));
      } else if (this.item !== null && this.depth === 2 && (c === COMMA || isSpace(c))) {
        // The end of an item that is not an object (a number, true, …): checked, and refused, as one.
        this.item.push(buf.subarray(from, i));
        this.emit();
        from = ++i;
        continue;
      }
      i++;
    }
    // Keep this chunk's unfinished parts for the next one (a fresh buffer is read each time).
    if (this.keyParts) this.keyParts.push(buf.subarray(stringFrom, n));
    if (from < n) {
      if (this.item !== null) this.item.push(buf.subarray(from, n));
      else if (!this.inList) this.header.push(buf.subarray(from, n));
    }
  }

  /** The header text, once the whole file was fed. */
  end(): string {
    if (this.item !== null) this.emit(); // a truncated file: the item fails to parse, naming it
    if (this.inList) this.header.push(Buffer.from('[')); // …and the header, for a list never closed
    return Buffer.concat(this.header).toString('utf8');
  }

  private closeList(): void {
    this.depth = 1;
    this.inList = false;
    this.header.push(Buffer.from('[]'));
  }

  private emit(): void {
    const text = Buffer.concat(this.item!).toString('utf8');
    this.item = null;
    this.onItem(text, this.count++);
  }
}

/** What {@link readCassetteItems} yields: a checked interaction and its position in the list. */
export type CassetteItem = [interaction: Interaction, n: number];

/**
 * Reads cassette file `file` item by item: yields each checked interaction, in file order, and
 * returns the checked header. `head` gets the fields that come before the list, when it starts (a
 * file mirra wrote has its name and match rules there; fields after the list are only in the
 * header returned at the end). Errors are MIRRA_ERR_INVALID_CASSETTE naming the file and the
 * field, as {@link parseCassette}'s (a bad item is reported before a syntax error further on,
 * which parsing it whole would report first). `chunkSize`: bytes read at a time.
 */
export function* readCassetteItems(file: string, head?: (fields: Partial<CassetteHeader>) => void, chunkSize = CHUNK): Generator<CassetteItem, CassetteHeader> {
  const ready: CassetteItem[] = [];
  const onHead = (text: string) => {
    let fields: unknown;
    try {
      fields = JSON.parse(text);
    } catch {
      return; // reported, with its position, when the whole header is parsed
    }
    if (fields && typeof fields === 'object') head?.(fields as Partial<CassetteHeader>);
  };
  const splitter = new Splitter(
    file,
    (text, n) => {
      const at = `interactions[${n}]`;
      const value = parseJson(text, file, at);
      checkInteraction(value, file, at);
      ready.push([value, n]);
    },
    onHead,
  );
  const fd = openSync(file, 'r');
  try {
    // A fresh buffer per chunk: slices of it are kept until an item or the header is complete.
    for (;;) {
      const buf = Buffer.allocUnsafe(chunkSize);
      const read = readSync(fd, buf, 0, chunkSize, null);
      if (read === 0) break;
      splitter.feed(buf.subarray(0, read));
      yield* ready.splice(0);
    }
    const text = splitter.end();
    yield* ready.splice(0);
    const header = parseJson(text, file);
    checkHeader(header, file);
    const { interactions: _none, ...rest } = header;
    return rest;
  } finally {
    closeSync(fd);
  }
}

/** {@link readCassetteItems} with a callback: calls `onItem` for each interaction; returns the header. */
export function streamCassetteFile(file: string, onItem: (interaction: Interaction, n: number) => void, chunkSize = CHUNK): CassetteHeader {
  const items = readCassetteItems(file, undefined, chunkSize);
  for (;;) {
    const next = items.next();
    if (next.done) return next.value;
    onItem(...next.value);
  }
}
