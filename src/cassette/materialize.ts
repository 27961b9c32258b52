/**
 * Materialising recorded values for one replay session: `{AccountSid}` becomes the session's
 * account, each SID alias (`{SM#1}`) a SID of the session (minted once, then reused, so a later
 * request naming it resolves back to the alias), and date tokens become dates shifted so the
 * recording's instants line up with the session clock's now. Pure apart from the alias map it is
 * given: minting and resolution are injected, so nothing here reads the time or makes ids.
 */
import { baseUrlPath } from './normalize';
import { formatDate, type DateFormat } from './dates';
import type { AliasView } from './match';
import { ACCOUNT_PLACEHOLDER, type Pair, type RecordedRequest } from './types';

/** A session's alias bindings, both ways. */
export interface AliasMap extends AliasView {
  sidOf(alias: string): string | undefined;
  aliasOf(sid: string): string | undefined;
  /** Binds `alias` to `sid` (both must be free). */
  bind(alias: string, sid: string): void;
}

/** An in-memory {@link AliasMap} (the replayer persists its own; tests use this one). */
export class MemoryAliasMap implements AliasMap {
  private readonly sids = new Map<string, string>();
  private readonly aliases = new Map<string, string>();

  constructor(entries: Iterable<[string, string]> = []) {
    for (const [alias, sid] of entries) this.bind(alias, sid);
  }

  /** True when `alias` stands for a SID. */
  isBound(alias: string): boolean {
    return this.sids.has(alias);
  }

  /** The SID `alias` stands for. */
  sidOf(alias: string): string | undefined {
    return this.sids.get(alias);
  }

  /** The alias that stands for `sid`. */
  aliasOf(sid: string): string | undefined {
    return this.aliases.get(sid);
  }

  /** Binds `alias` to `sid`. */
  bind(alias: string, sid: string): void {
    this.sids.set(alias, sid);
    this.aliases.set(sid, alias);
  }

  /** Every binding, alias first. */
  entries(): [string, string][] {
    return [...this.sids];
  }
}

/** A SID, also inside a page token (`PASM…`), as the tokenizer finds them. */
const SID = /(?<![A-Za-z0-9])(P[AB])?([A-Z]{2}[0-9a-f]{32})(?![0-9A-Za-z])/g;
const TOKEN = /\{AccountSid\}|\{([A-Z]{2})#(\d+)\}|\{date:(rfc2822|iso|isoms|dlr):([+-]\d+)\}/g;
/** API hosts (`api`, `verify`, `api.dublin.ie1`, ...), not the web site or demo hosts. */
const TWILIO_ORIGIN = /^https:\/\/(?!www\.|demo\.|console\.)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.twilio\.com(?=\/|$)/;

/** An incoming value with the session's account and bound SIDs written as the cassette writes them. */
export function aliasValue(value: string, accountSid: string, aliases: AliasMap): string {
  return value.replace(SID, (_m, page: string | undefined, sid: string) => (page ?? '') + (sid === accountSid ? ACCOUNT_PLACEHOLDER : (aliases.aliasOf(sid) ?? sid)));
}

/** An incoming request (normalised) in the cassette's terms, ready for matching. */
export function aliasIdentity(identity: RecordedRequest, accountSid: string, aliases: AliasMap): RecordedRequest {
  const pairs = (list: Pair[]): Pair[] => list.map(([k, v]) => [k, aliasValue(v, accountSid, aliases)]);
  return {
    method: identity.method,
    product: identity.product,
    path: aliasValue(identity.path, accountSid, aliases),
    query: pairs(identity.query),
    form: pairs(identity.form),
  };
}

/**
 * Where the recording's instants fall on the session clock. Each served interaction pins its
 * recorded offset to the session instant it was served at; a recorded instant maps through the
 * latest pin at or before it, so the same recorded date reads the same in every response (a
 * message's `date_created` in its create, fetch and list), and a date after the request keeps
 * its distance from it.
 */
export class Timeline {
  private readonly pins: [number, number][] = [];

  /** A timeline with `pins` (`[recordedMs, sessionMs]`). */
  constructor(pins: Iterable<[number, number]> = []) {
    for (const [r, s] of pins) this.pin(r, s);
  }

  /** Pins the recorded instant `recordedMs` to `sessionMs` (the first pin of an instant stays). */
  pin(recordedMs: number, sessionMs: number): void {
    let lo = 0;
    let hi = this.pins.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pins[mid][0] < recordedMs) lo = mid + 1;
      else hi = mid;
    }
    if (this.pins[lo]?.[0] === recordedMs) return;
    this.pins.splice(lo, 0, [recordedMs, sessionMs]);
  }

  /** The session instant of recorded instant `ms`; `fallback` pins it when nothing is pinned. */
  instant(ms: number, fallback: [number, number]): number {
    if (this.pins.length === 0) return fallback[1] + (ms - fallback[0]);
    let lo = 0;
    let hi = this.pins.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pins[mid][0] <= ms) lo = mid + 1;
      else hi = mid;
    }
    const [r, s] = this.pins[Math.max(0, lo - 1)];
    return s + (ms - r);
  }
}

/** What materialising needs from the session. */
export interface MaterializeContext {
  accountSid: string;
  aliases: AliasMap;
  /** The session-clock instant of the recording's instant `recordedMs` (see {@link Timeline}). */
  instant(recordedMs: number): number;
  /** A fresh SID with a prefix (the caller's SID source). */
  mint(prefix: string): string;
  /**
   * A SID the session already has for an unbound alias, found from the recorded object the alias
   * is the `sid` of (an owned number by its phone number, ...); undefined to mint one.
   */
  resolve?(alias: string, prefix: string, recorded: Record<string, unknown>): string | undefined;
  /** Rewrite Twilio API origins (`https://verify.twilio.com`) to this one (base-URL clients follow absolute URLs). */
  origin?: string;
}

/** The SID of `alias` in the session, binding (resolving or minting) it on first use. */
export function sidFor(alias: string, prefix: string, ctx: MaterializeContext, recorded?: Record<string, unknown>): string {
  const bound = ctx.aliases.sidOf(alias);
  if (bound !== undefined) return bound;
  let sid = recorded && ctx.resolve ? ctx.resolve(alias, prefix, recorded) : undefined;
  if (sid === undefined || ctx.aliases.aliasOf(sid) !== undefined) sid = ctx.mint(prefix);
  ctx.aliases.bind(alias, sid);
  return sid;
}

/** The date of a date token, in its format, on the session clock. */
export function shiftDate(format: DateFormat, recordedMs: number, ctx: Pick<MaterializeContext, 'instant'>): string {
  return formatDate(format, ctx.instant(recordedMs));
}

/** A recorded string with every token replaced for the session. */
export function materializeString(value: string, ctx: MaterializeContext): string {
  let out = value.includes('{')
    ? value.replace(TOKEN, (token, prefix?: string, _n?: string, format?: string, offset?: string) => {
        if (token === ACCOUNT_PLACEHOLDER) return ctx.accountSid;
        if (prefix) return sidFor(token, prefix, ctx);
        return shiftDate(format as DateFormat, Number(offset), ctx);
      })
    : value;
  if (ctx.origin && out.startsWith('https://')) {
    // On a base URL, a domain the path alone does not imply keeps its `/<domain>` prefix.
    const m = TWILIO_ORIGIN.exec(out);
    if (m) out = ctx.origin + baseUrlPath(m[0].slice('https://'.length).split('.')[0], out.slice(m[0].length));
  }
  return out;
}

/** A recorded JSON value (a response body, callback params) materialised for the session. */
export function materialize<T>(value: T, ctx: MaterializeContext): T {
  return walk(value, ctx) as T;
}

function walk(value: unknown, ctx: MaterializeContext): unknown {
  if (typeof value === 'string') return materializeString(value, ctx);
  if (Array.isArray(value)) return value.map((v) => walk(v, ctx));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  // Bind an object's own SID first, so a pre-existing resource resolves from its other fields.
  const own = typeof obj.sid === 'string' ? /^\{([A-Z]{2})#\d+\}$/.exec(obj.sid) : null;
  if (own) sidFor(own[0], own[1], ctx, obj);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = walk(v, ctx);
  return out;
}

/** Recorded pairs (callback params) materialised, as form params (repeated keys become lists). */
export function materializePairs(pairs: Pair[], ctx: MaterializeContext): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, raw] of pairs) {
    const v = materializeString(raw, ctx);
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
