/**
 * Masks the volatile values of a recording so that its text form is the same every time the same
 * scenario is recorded (types.ts describes the tokens):
 *
 * - the recording account's SID becomes `{AccountSid}`;
 * - every other SID becomes `{XX#n}`, the n-th distinct SID with prefix XX in order of first
 *   appearance — also inside strings (`/Messages/{SM#1}.json`) and page tokens (`PA{SM#3}`);
 * - a value that is wholly a date near the recording becomes `{date:FORMAT:+MS}` (dates.ts);
 * - an origin that stood in for Twilio (the recorder's own address in base-URL mode, a local
 *   `--upstream`) becomes the product's public origin, `https://verify.twilio.com`;
 * - the port of any other loopback URL becomes `{port}` (normalize.ts).
 *
 * Order of first appearance is the order the caller feeds values in; compile.ts walks a recording
 * in sequence order, request before response before callbacks, so numbering is stable.
 */
import { tokenizeDate } from './dates';
import { canonicalLoopback, productOfPath, productOrigin, sortPairs, splitDomainPrefix } from './normalize';
import { ACCOUNT_PLACEHOLDER, type Pair } from './types';

/** What a {@link Tokenizer} needs to know about the recording. */
export interface TokenizerOptions {
  /** SIDs of the recording's account(s), written as {@link ACCOUNT_PLACEHOLDER}. */
  accountSids?: Iterable<string>;
  /** Epoch ms of the recording's start: date offsets count from here. */
  startMs: number;
  /** Epoch ms of the recording's end (bounds which dates are tokenised). */
  endMs: number;
  /** Origins that stood in for Twilio, e.g. `http://127.0.0.1:4011` (no trailing slash). */
  localOrigins?: Iterable<string>;
  /** Aliases already bound (real SID → `{XX#n}`); numbering continues after them. */
  aliases?: Iterable<[string, string]>;
  /**
   * Aliases already in use without a SID of this run (`{XX#n}`, those of the cassette a recording
   * is appended to): numbering continues after them too, so a new SID never takes one.
   */
  reserved?: Iterable<string>;
}

/** A SID (optionally inside a `PA`/`PB` page token): prefix, 32 lower-case hex digits. */
const SID = /(?<![A-Za-z0-9])(P[AB])?([A-Z]{2}[0-9a-f]{32})(?![0-9A-Za-z])/g;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Masks volatile values; one instance per cassette, fed in recording order. */
export class Tokenizer {
  private readonly accounts: Set<string>;
  private readonly bound = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private readonly origins: { origin: string; re: RegExp }[];

  constructor(private readonly opts: TokenizerOptions) {
    this.accounts = new Set(opts.accountSids ?? []);
    for (const [sid, alias] of opts.aliases ?? []) {
      this.bound.set(sid, alias);
      this.reserve(alias);
    }
    for (const alias of opts.reserved ?? []) this.reserve(alias);
    // Longest first, so `http://127.0.0.1:4011` never eats the start of a longer origin.
    this.origins = [...new Set(opts.localOrigins ?? [])]
      .map((o) => o.replace(/\/+$/, ''))
      .filter((o) => o.length > 0)
      .sort((a, b) => b.length - a.length)
      .map((origin) => ({ origin, re: new RegExp(`${escapeRegex(origin)}(?![0-9A-Za-z.:-])(/[^\\s"'<>?#]*)?`, 'g') }));
  }

  /** Keeps the number of `alias` (`{XX#n}`) from being handed out. */
  private reserve(alias: string): void {
    const m = /^\{([A-Z]{2})#(\d+)\}$/.exec(alias);
    if (m) this.counters.set(m[1], Math.max(this.counters.get(m[1]) ?? 0, Number(m[2])));
  }

  /** Every alias bound so far (real SID → alias), in order of binding. */
  get aliases(): ReadonlyMap<string, string> {
    return this.bound;
  }

  /** The alias of `sid`, binding the next free one of its prefix on first sight. */
  aliasOf(sid: string): string {
    if (this.accounts.has(sid)) return ACCOUNT_PLACEHOLDER;
    let alias = this.bound.get(sid);
    if (alias === undefined) {
      const prefix = sid.slice(0, 2);
      const n = (this.counters.get(prefix) ?? 0) + 1;
      this.counters.set(prefix, n);
      alias = `{${prefix}#${n}}`;
      this.bound.set(sid, alias);
    }
    return alias;
  }

  /**
   * `text` with volatile values masked; `key` is the param or field it belongs to, if any, and
   * `atMs` when it was sent, if known (see tokenizeDate).
   */
  string(text: string, key?: string, atMs?: number): string {
    const date = tokenizeDate(text, this.opts.startMs, this.opts.endMs, key, atMs);
    if (date !== undefined) return date;
    let out = text;
    for (const { origin, re } of this.origins) {
      if (!out.includes(origin)) continue;
      out = out.replace(re, (_m, path: string | undefined) => {
        // `/conversations/v1/X` on a base URL is `https://conversations.twilio.com/v1/X`.
        const split = splitDomainPrefix(path ?? '');
        return productOrigin(split.product ?? productOfPath(split.path || '/') ?? 'api') + split.path;
      });
    }
    out = canonicalLoopback(out);
    return out.replace(SID, (_m, page: string | undefined, sid: string) => (page ?? '') + this.aliasOf(sid));
  }

  /** A deep copy of a JSON value with every string (and object key) masked, keys in order. */
  value(value: unknown, key?: string): unknown {
    if (typeof value === 'string') return this.string(value, key);
    if (Array.isArray(value)) return value.map((v) => this.value(v, key));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[this.string(k)] = this.value(v, k);
      return out;
    }
    return value;
  }

  /**
   * Masked pairs sorted by key then value. Values are masked in key order (stable for repeated
   * keys, in the order sent), so alias numbering never depends on the random SIDs themselves.
   * `atMs`: when they were sent (a callback's arrival), if known.
   */
  pairs(pairs: readonly Pair[], atMs?: number): Pair[] {
    const byKey = [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return sortPairs(byKey.map(([k, v]): Pair => [k, this.string(v, k, atMs)]));
  }
}
