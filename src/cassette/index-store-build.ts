/**
 * Building a cassette's on-disk match index (read by ./index-store.ts). The file is streamed
 * (./codec-stream.ts) and taken a chunk of interactions at a time: each interaction is stored whole
 * under its seq, and the chunk's groups (identical requests) and routes (method, product, path
 * shape) are merged with those earlier chunks left in the store. The build holds one chunk in
 * memory, whatever the cassette's size.
 *
 * Layout (keys from src/store/keys.ts, values JSON):
 * - `cassetteEntry(seq)` → the interaction;
 * - `cassetteGroup(digest of exact key)` → {@link StoredGroup} (its seqs in recorded order);
 * - `cassetteRouteGroup(route, 'g' | 'a' | 'd', first seq)` → every group of a route (with the
 *   request of its first entry, for explaining misses), and its aliased and dated ones, in order
 *   of first appearance;
 * - `cassetteRoute(digest)` and `cassetteShapeRoute(shape, first seq)` → the routes of a path shape;
 * - `cassetteIndexMeta()` → {@link IndexMeta}, written last: an index without it is incomplete.
 */
import { hash } from 'node:crypto';
import { MirraError } from '../errors';
import { keys } from '../store/keys';
import type { Store } from '../store/store';
import { streamCassetteFile, type CassetteHeader } from './codec-stream';
import { compileRules, exactKey, pathShape, routeKey, slowKinds, type CompiledRules } from './match';
import type { Interaction, MatchRules, RecordedRequest } from './types';

/** The layout's version: an index of another version is built again. */
export const INDEX_FORMAT = 1;

/** What an index says of its cassette. */
export interface IndexMeta {
  format: number;
  name: string;
  callbacks?: 'recorded' | 'synthesised';
  match?: MatchRules;
  size: number;
  /** The seqs run from `first` to `last` without a gap (the usual case): no scan lists them. */
  dense: { first: number; last: number } | null;
}

/** A group as stored. */
export interface StoredGroup {
  seqs: number[];
  aliased: boolean;
  dated: boolean;
  /** Digest of its route key. */
  route: string;
}

/** A route as stored. */
interface StoredRoute {
  shape: string;
  firstSeq: number;
}

/** What `cassetteRouteGroup(route, 'g', seq)` holds: the group's digest and its first request. */
export interface RouteMember {
  key: string;
  first: RecordedRequest;
}

/** A short, collision-safe name for a key of any length (LMDB keys are limited to ~2 KB). */
export function digest(text: string): string {
  return hash('sha256', text, 'base64url').slice(0, 22);
}

/** Interactions per write transaction. */
const CHUNK_ITEMS = 2000;
/** Seqs below this are tracked in a bitmap (16 MiB at most), above in a set. */
const BITMAP_LIMIT = 2 ** 27;

/** Which seqs were seen (duplicates are refused, as when the cassette is loaded whole). */
class SeqSet {
  private bits = new Uint8Array(1 << 13);
  private readonly large = new Set<number>();

  /** Adds `seq`; false when it was there already. */
  add(seq: number): boolean {
    if (seq >= BITMAP_LIMIT) return this.large.size !== this.large.add(seq).size;
    const byte = seq >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (seq & 7);
    if (this.bits[byte] & mask) return false;
    this.bits[byte] |= mask;
    return true;
  }
}

function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++]);
  return out;
}

interface ChunkGroup extends StoredGroup {
  firstSeq: number;
  first: RecordedRequest;
}

/** One pass over the file under fixed match rules. */
class Pass {
  private chunk: Interaction[] = [];
  private readonly seen = new SeqSet();
  count = 0;
  min = Infinity;
  max = -Infinity;

  constructor(
    private readonly store: Store,
    private readonly rules: CompiledRules,
    private readonly source: string,
  ) {}

  add(i: Interaction, n: number): void {
    if (i.seq < 0) throw new MirraError('MIRRA_ERR_INVALID_CASSETTE', `${this.source}: interactions[${n}].seq must not be negative`);
    if (!this.seen.add(i.seq)) throw new MirraError('MIRRA_ERR_INVALID_CASSETTE', `${this.source}: seq ${i.seq} appears twice`);
    this.count++;
    this.min = Math.min(this.min, i.seq);
    this.max = Math.max(this.max, i.seq);
    this.chunk.push(i);
    if (this.chunk.length >= CHUNK_ITEMS) this.flush();
  }

  flush(): void {
    const items = this.chunk;
    this.chunk = [];
    if (items.length === 0) return;
    this.store.transaction(() => {
      const groups = new Map<string, ChunkGroup>();
      const routes = new Map<string, StoredRoute>();
      for (const i of items) {
        this.store.put(keys.cassetteEntry(i.seq), i);
        const rk = routeKey(i.request);
        const route = digest(rk);
        const r = routes.get(route);
        if (!r) routes.set(route, { shape: digest(pathShape(i.request.path)), firstSeq: i.seq });
        else if (i.seq < r.firstSeq) r.firstSeq = i.seq;
        const key = digest(exactKey(i.request, this.rules));
        const g = groups.get(key);
        if (!g) groups.set(key, { seqs: [i.seq], ...slowKinds(i.request, this.rules), route, firstSeq: i.seq, first: i.request });
        else {
          g.seqs.push(i.seq);
          if (i.seq < g.firstSeq) Object.assign(g, { firstSeq: i.seq, first: i.request });
        }
      }
      for (const [key, g] of groups) this.mergeGroup(key, g);
      for (const [key, r] of routes) this.mergeRoute(key, r);
    });
  }

  private mergeGroup(key: string, g: ChunkGroup): void {
    const seqs = g.seqs.sort((a, b) => a - b);
    const at = keys.cassetteGroup(key);
    const old = this.store.get<StoredGroup>(at);
    const stored: StoredGroup = { seqs: old ? mergeSorted(old.seqs, seqs) : seqs, aliased: g.aliased, dated: g.dated, route: g.route };
    this.store.put(at, stored);
    if (old && old.seqs[0] < g.firstSeq) return;
    // New, or it appeared earlier than this group's entries seen so far (a file not in seq order).
    if (old) for (const kind of this.kinds(g)) this.store.remove(keys.cassetteRouteGroup(g.route, kind, old.seqs[0]));
    this.store.put(keys.cassetteRouteGroup(g.route, 'g', g.firstSeq), { key, first: g.first } satisfies RouteMember);
    if (g.aliased) this.store.put(keys.cassetteRouteGroup(g.route, 'a', g.firstSeq), key);
    if (g.dated) this.store.put(keys.cassetteRouteGroup(g.route, 'd', g.firstSeq), key);
  }

  private kinds(g: StoredGroup): string[] {
    return ['g', ...(g.aliased ? ['a'] : []), ...(g.dated ? ['d'] : [])];
  }

  private mergeRoute(key: string, r: StoredRoute): void {
    const at = keys.cassetteRoute(key);
    const old = this.store.get<StoredRoute>(at);
    if (old && old.firstSeq <= r.firstSeq) return;
    if (old) this.store.remove(keys.cassetteShapeRoute(old.shape, old.firstSeq));
    this.store.put(at, r);
    this.store.put(keys.cassetteShapeRoute(r.shape, r.firstSeq), key);
  }
}

/** Same rules: the serialised forms agree (both absent counts as the same). */
function sameRules(a: MatchRules | undefined, b: MatchRules | undefined): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}

/** Streams the file once under `rules`; returns the pass and the file's header. */
function runPass(file: string, store: Store, rules: MatchRules | undefined): { pass: Pass; header: CassetteHeader; headRules: MatchRules | undefined } {
  let headRules = rules;
  let pass: Pass | null = null;
  const passFor = () => (pass ??= new Pass(store, compileRules(headRules), file));
  const header = streamCassetteFile(file, {
    head: (fields) => {
      if (rules === undefined && fields.match && typeof fields.match === 'object') headRules = fields.match as MatchRules;
    },
    interaction: (i, n) => passFor().add(i, n),
  });
  const done = passFor();
  done.flush();
  return { pass: done, header, headRules };
}

/** What {@link buildStoredIndex} did: built the index, or found it must start again under these rules. */
export type BuildResult = { meta: IndexMeta; rules?: undefined } | { meta?: undefined; rules: MatchRules };

/**
 * Builds the index of cassette file `file` into `store` (empty) under the match rules found before
 * the interactions (or `rules`, when given) and returns its meta. When the file's rules come after
 * its interactions (not the order mirra writes), nothing usable was built: the answer names the
 * rules to build again with, into an empty store. Throws MIRRA_ERR_INVALID_CASSETTE, naming the
 * file and the field, for a bad cassette.
 */
export function buildStoredIndex(file: string, store: Store, rules?: MatchRules): BuildResult {
  const { pass, header, headRules } = runPass(file, store, rules);
  if (!sameRules(headRules, header.match)) return { rules: header.match ?? {} };
  const dense = pass.count > 0 && pass.max - pass.min + 1 === pass.count ? { first: pass.min, last: pass.max } : null;
  const meta: IndexMeta = { format: INDEX_FORMAT, name: header.name, callbacks: header.callbacks, match: header.match, size: pass.count, dense };
  store.put(keys.cassetteIndexMeta(), meta);
  return { meta };
}
