/**
 * Matching a request against a cassette: pure, and it explains itself. A cassette is indexed once
 * (by method + product + path, then by normalised params), so a lookup costs the same for 100 or
 * 1,000,000 interactions. Repeats of a request are served in recorded order, using a {@link Ledger}
 * of used entries kept apart from the cassette.
 *
 * The index is read through {@link CassetteIndex}: {@link buildIndex} holds it in memory (small
 * cassettes, record-time playback); a large cassette's index lives in LMDB and is read a group at a
 * time (./index-store.ts). Matching is the same code over either.
 *
 * Identities are {@link RecordedRequest}s: the normaliser turns an incoming request into that shape,
 * and SIDs the session already bound to an alias are written as the alias. A SID the session does
 * not know yet can still match a recorded alias that is unbound; the match then says which
 * bindings it implies, and the caller keeps them.
 */
import { MirraError } from '../errors';
import { compareRequests, type AliasView, type Binding, type CompiledRules } from './compare';
import { describeMiss, type Miss } from './explain';
import { exactKey, hasToken, RAW_SID, routeKey } from './match-keys';
import type { RecordedRequest } from './types';

export { compareRequests, compileRules, type AliasView, type Binding, type CompiledRules, type Difference } from './compare';
export { exactKey, pathShape, routeKey, slowKinds } from './match-keys';
export { buildIndex } from './match-memory';

/** A request as matching sees it (the normalised shape of a recorded request). */
export type RequestIdentity = RecordedRequest;

/** An interaction of the index: its seq and the request it answers. */
export interface IndexedEntry {
  seq: number;
  request: RecordedRequest;
}

/** Entries whose requests are identical for matching, in recorded order. */
export interface Group {
  /** Names the group within its index (its exact key, or a digest of it). */
  key: string;
  /** The seqs of its entries, in recorded order. */
  seqs: readonly number[];
  /** The request has a SID alias: an unknown SID may bind to it (slow comparison). */
  aliased: boolean;
  /** The request has a date token, which matches any value (slow comparison). */
  dated: boolean;
}

/** A group as a miss's rough pass sees it: its key and the request of its first entry. */
export interface GroupHead {
  key: string;
  first: RecordedRequest;
}

/** Which groups of a route only the slow comparison can match. */
export type SlowKind = 'aliased' | 'dated';

/**
 * The lookup structure of one cassette. Groups, routes and "first appearance" all follow the
 * entries' seqs, so every implementation answers alike.
 */
export interface CassetteIndex {
  readonly name: string;
  readonly size: number;
  readonly rules: CompiledRules;
  /** The group whose requests have exact key `exact` (see {@link exactKey}). */
  group(exact: string): Group | undefined;
  /** The group named `key` (a {@link GroupHead}'s). */
  groupByKey(key: string): Group | undefined;
  /** The groups of route `routeKey` (see {@link routeKey}) of one slow kind, in order of first appearance. */
  slowGroups(routeKey: string, kind: SlowKind): Iterable<Group>;
  /** The request of entry `seq`. */
  request(seq: number): RecordedRequest | undefined;
  /** Groups of every route whose path has `shape` (any method), route by route, in order of first appearance. */
  shapeGroups(shape: string): Iterable<GroupHead>;
  /** The first `limit` groups of the cassette, in order of first appearance. */
  firstGroups(limit: number): Iterable<GroupHead>;
  /** How many groups of a path shape a miss compares at most (an index read from disk reads fewer). */
  readonly scanLimit?: number;
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

/** Methods whose repeats beyond the recording re-serve the last recorded answer. */
const READS = new Set(['GET', 'HEAD']);

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

  /** The served seqs, in the order they were first served. */
  seqs(): Iterable<number> {
    return this.used;
  }

  /** The seq of the first entry of `group` not served yet, in recorded order. */
  firstUnused(group: Group): number | undefined {
    let i = this.skip.get(group.key) ?? 0;
    while (i < group.seqs.length && this.used.has(group.seqs[i])) i++;
    this.skip.set(group.key, i);
    return group.seqs[i];
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

/** Entry `seq` of `index` (its request read from the index). */
export function entryOf(index: CassetteIndex, seq: number): IndexedEntry {
  const request = index.request(seq);
  // An index out of step with itself (a bug, or an on-disk index changed under the mirror).
  if (!request) throw new MirraError('MIRRA_ERR_INTERNAL', `the index of cassette ${index.name} has no entry #${seq}`);
  return { seq, request };
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
  const group = patternsOk ? index.group(exactKey(identity, rules)) : undefined;
  if (group) {
    const seq = ledger.firstUnused(group);
    if (seq !== undefined) return { hit: { entry: entryOf(index, seq), bindings: [], repeat: false } };
    exhausted = { entry: entryOf(index, group.seqs[group.seqs.length - 1]), bindings: [], repeat: true };
  }
  // Slow path: an unknown SID may bind to a recorded alias; a recorded date token matches anything.
  let best: Hit | undefined;
  const kinds: SlowKind[] = !patternsOk ? [] : hasToken(identity, rules, RAW_SID) ? ['aliased', 'dated'] : ['dated'];
  const seen = new Set<string>();
  const rk = kinds.length > 0 ? routeKey(identity) : '';
  for (const kind of kinds) {
    for (const g of index.slowGroups(rk, kind)) {
      // Groups come in order of first appearance: past a served-first match, none can do better.
      if (best && !best.repeat && g.seqs[0] > best.entry.seq) break;
      if (kinds.length > 1 && seen.has(g.key)) continue;
      seen.add(g.key);
      const unused = ledger.firstUnused(g);
      const seq = unused ?? g.seqs[g.seqs.length - 1];
      if (best && !best.repeat && (unused === undefined || seq > best.entry.seq)) continue;
      const entry = entryOf(index, seq);
      const { differences, bindings } = compareRequests(entry.request, identity, rules, aliases);
      if (differences.length > 0) continue;
      const repeat = unused === undefined;
      if (!best || (best.repeat && !repeat) || (best.repeat === repeat && seq < best.entry.seq)) best = { entry, bindings, repeat };
    }
  }
  if (best && !best.repeat) return { hit: best };
  exhausted ??= best;
  if (exhausted && READS.has(identity.method.toUpperCase())) return { hit: exhausted };
  return { miss: describeMiss(index, identity, ledger, aliases, exhausted?.entry, opts.explain !== false) };
}
