/**
 * Matching a request against a cassette: pure, and it explains itself. A cassette is indexed once
 * (by method + product + path, then by normalised params), so a lookup costs the same for 100 or
 * 100,000 interactions. Repeats of a request are served in recorded order, using a {@link Ledger}
 * of used entries kept apart from the cassette.
 *
 * Identities are {@link RecordedRequest}s: the normaliser turns an incoming request into that shape,
 * and SIDs the session already bound to an alias are written as the alias. A SID the session does
 * not know yet can still match a recorded alias that is unbound; the match then says which
 * bindings it implies, and the caller keeps them.
 */
import { compareRequests, compileRules, type AliasView, type Binding, type CompiledRules } from './compare';
import { describeMiss, type Miss } from './explain';
import type { Cassette, Pair, RecordedRequest } from './types';

export { compareRequests, compileRules, type AliasView, type Binding, type CompiledRules, type Difference } from './compare';

/** A request as matching sees it (the normalised shape of a recorded request). */
export type RequestIdentity = RecordedRequest;

/** An interaction of the index: its seq and the request it answers. */
export interface IndexedEntry {
  seq: number;
  request: RecordedRequest;
}

/** Entries whose requests are identical for matching, in recorded order. */
export interface Group {
  key: string;
  entries: IndexedEntry[];
  /** The request has a SID alias: an unknown SID may bind to it (slow comparison). */
  aliased: boolean;
  /** The request has a date token, which matches any value (slow comparison). */
  dated: boolean;
}

/** The groups of one method + product + path shape. */
export interface Route {
  groups: Group[];
  /** Groups that only the slow comparison can match. */
  aliased: Group[];
  dated: Group[];
}

/** The lookup structure of one cassette. */
export interface CassetteIndex {
  name: string;
  size: number;
  rules: CompiledRules;
  /** Exact key → group. */
  groups: Map<string, Group>;
  /** `method product path-shape` → its groups, in order of first appearance. */
  routes: Map<string, Route>;
  /** Every group, in order of first appearance (for explaining misses far from any route). */
  all: Group[];
}

/** A successful match. */
export interface Hit {
  entry: IndexedEntry;
  bindings: Binding[];
  /** The entry was served before: a read repeated more often than it was recorded. */
  repeat: boolean;
}

/** The answer of {@link findEntry}. */
export type MatchResult = { hit: Hit; miss?: undefined } | { hit?: undefined; miss: Miss };

const ALIAS = /\{[A-Z]{2}#\d+\}/;
const DATE = /\{date:[a-z0-9]+:[+-]\d+\}/;
/** A SID alias or a real SID: both have the same shape for routing. */
const SID_OR_ALIAS = /\{([A-Z]{2})#\d+\}|(?<![A-Za-z0-9])([A-Z]{2})[0-9a-f]{32}(?![0-9A-Za-z])/g;
/** A real SID (also inside a `PA`/`PB` page token), as the tokenizer finds them. */
const RAW_SID = /(?<![A-Za-z0-9])(?:P[AB])?[A-Z]{2}[0-9a-f]{32}(?![0-9A-Za-z])/;
/** Methods whose repeats beyond the recording re-serve the last recorded answer. */
const READS = new Set(['GET', 'HEAD']);
/** Placeholder of a pattern-matched value in an exact key (only its presence counts there). */
const PATTERN_VALUE = '\u0000pattern';

/** The path with every SID and alias replaced by its prefix: `/Messages/{SM}.json`. */
export function pathShape(path: string): string {
  return path.replace(SID_OR_ALIAS, (_m, a?: string, b?: string) => `{${a ?? b}}`);
}

/** The routing key of a request: method, product and path shape. */
export function routeKey(r: Pick<RecordedRequest, 'method' | 'product' | 'path'>): string {
  return `${r.method.toUpperCase()} ${r.product} ${pathShape(r.path)}`;
}

function keyPairs(pairs: Pair[], rules: CompiledRules): Pair[] {
  const out: Pair[] = [];
  for (const [k, v] of pairs) {
    if (rules.ignore.has(k)) continue;
    out.push([k, rules.patterns.has(k) ? PATTERN_VALUE : v]);
  }
  return out;
}

/** The exact key of a request under `rules`: what must be equal for a fast match. */
export function exactKey(r: RecordedRequest, rules: CompiledRules): string {
  return JSON.stringify([r.method.toUpperCase(), r.product, r.path, keyPairs(r.query, rules), keyPairs(r.form, rules)]);
}

function hasToken(r: RecordedRequest, rules: CompiledRules, token: RegExp): boolean {
  if (token.test(r.path)) return true;
  for (const [k, v] of [...r.query, ...r.form]) if (!rules.ignore.has(k) && !rules.patterns.has(k) && token.test(v)) return true;
  return false;
}

/** Indexes a cassette for {@link findEntry}. */
export function buildIndex(cassette: Pick<Cassette, 'name' | 'match' | 'interactions'>): CassetteIndex {
  const rules = compileRules(cassette.match);
  const index: CassetteIndex = { name: cassette.name, size: 0, rules, groups: new Map(), routes: new Map(), all: [] };
  const ordered = [...cassette.interactions].sort((a, b) => a.seq - b.seq);
  for (const { seq, request } of ordered) {
    const key = exactKey(request, rules);
    let group = index.groups.get(key);
    if (!group) {
      group = { key, entries: [], aliased: hasToken(request, rules, ALIAS), dated: hasToken(request, rules, DATE) };
      index.groups.set(key, group);
      index.all.push(group);
      const rk = routeKey(request);
      let route = index.routes.get(rk);
      if (!route) index.routes.set(rk, (route = { groups: [], aliased: [], dated: [] }));
      route.groups.push(group);
      if (group.aliased) route.aliased.push(group);
      if (group.dated) route.dated.push(group);
    }
    group.entries.push({ seq, request });
    index.size++;
  }
  return index;
}

/**
 * The entries already served in one replay session, kept apart from the cassette. `firstUnused`
 * remembers how far each group is used up, so a long run of repeats stays cheap.
 */
export class Ledger {
  private readonly used = new Set<number>();
  private readonly skip = new Map<string, number>();

  /** A ledger that starts with `seqs` used (restored from the store). */
  constructor(seqs: Iterable<number> = []) {
    for (const s of seqs) this.used.add(s);
  }

  /** True when entry `seq` was served. */
  isUsed(seq: number): boolean {
    return this.used.has(seq);
  }

  /** Records that `seq` was served. */
  markUsed(seq: number): void {
    this.used.add(seq);
  }

  /** How many entries were served. */
  get size(): number {
    return this.used.size;
  }

  /** The first entry of `group` not served yet, in recorded order. */
  firstUnused(group: Group): IndexedEntry | undefined {
    let i = this.skip.get(group.key) ?? 0;
    while (i < group.entries.length && this.used.has(group.entries[i].seq)) i++;
    this.skip.set(group.key, i);
    return group.entries[i];
  }
}

function patternsHold(identity: RequestIdentity, rules: CompiledRules): boolean {
  if (rules.patterns.size === 0) return true;
  for (const [k, v] of [...identity.query, ...identity.form]) {
    const p = rules.patterns.get(k);
    if (p && !rules.ignore.has(k) && !p.test(v)) return false;
  }
  return true;
}

/** Options of {@link findEntry}. */
export interface FindOptions {
  /** Compute the nearest entries on a miss (skip when only falling through). Default true. */
  explain?: boolean;
}

/**
 * Finds the recorded entry to serve for `identity`: the first unused entry of identical requests
 * in recorded order; a read repeated more often than recorded gets the last recorded answer again.
 * A miss carries the nearest entries and the fields that differ (see {@link describeMiss}).
 */
export function findEntry(index: CassetteIndex, identity: RequestIdentity, ledger: Ledger, aliases: AliasView, opts: FindOptions = {}): MatchResult {
  const rules = index.rules;
  const patternsOk = patternsHold(identity, rules);
  let exhausted: Hit | undefined;
  const group = patternsOk ? index.groups.get(exactKey(identity, rules)) : undefined;
  if (group) {
    const entry = ledger.firstUnused(group);
    if (entry) return { hit: { entry, bindings: [], repeat: false } };
    exhausted = { entry: group.entries[group.entries.length - 1], bindings: [], repeat: true };
  }
  // Slow path: an unknown SID may bind to a recorded alias; a recorded date token matches anything.
  const route = patternsOk ? index.routes.get(routeKey(identity)) : undefined;
  const unknownSid = hasToken(identity, rules, RAW_SID);
  const candidates = route ? (unknownSid ? uniq([...route.aliased, ...route.dated]) : route.dated) : [];
  let best: Hit | undefined;
  for (const g of candidates) {
    const unused = ledger.firstUnused(g);
    const entry = unused ?? g.entries[g.entries.length - 1];
    if (best && !best.repeat && (!unused || entry.seq > best.entry.seq)) continue;
    const { differences, bindings } = compareRequests(entry.request, identity, rules, aliases);
    if (differences.length > 0) continue;
    const repeat = !unused;
    if (!best || (best.repeat && !repeat) || (best.repeat === repeat && entry.seq < best.entry.seq)) best = { entry, bindings, repeat };
  }
  if (best && !best.repeat) return { hit: best };
  exhausted ??= best;
  if (exhausted && READS.has(identity.method.toUpperCase())) return { hit: exhausted };
  return { miss: describeMiss(index, identity, ledger, aliases, exhausted?.entry, opts.explain !== false) };
}

function uniq<T>(items: T[]): T[] {
  return [...new Set(items)];
}
