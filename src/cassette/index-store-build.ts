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
import { readCassetteItems, type CassetteHeader } from './codec-stream';
import { groupDigest, GroupTable } from './index-store-groups';
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

/** A route as stored: its shape's digest, its first seq, and how many of its groups each slow kind has. */
export interface StoredRoute {
  shape: string;
  firstSeq: number;
  aliased: number;
  dated: number;
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

/** The largest seq a cassette indexed on disk may have (seqs are numbered from 1). */
const MAX_SEQ = 2 ** 32 - 1;
/** Interactions per write transaction. */
const CHUNK_ITEMS = 2000;
/**
 * Interactions between two reopenings of the store. Every page LMDB writes and then reads back
 * through its map (the tree's last leaves, a merged group) stays mapped, and the kernel maps whole
 * page-cache folios around each: left alone, a million-interaction build counts its 2 GB file in
 * RSS. Closing the store unmaps it.
 */
const ROTATE_ITEMS = 100_000;

/** The store an index is built into; `rotate` closes and reopens it (see {@link ROTATE_ITEMS}). */
export interface BuildTarget {
  readonly store: Store;
  rotate(): Promise<void>;
}
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

/** A route of the cassette being indexed. */
interface BuildRoute extends StoredRoute {
  digest: string;
}

/** One pass over the file under fixed match rules: entries and route members appended as read, groups and routes at the end. */
class Pass {
  private readonly seen = new SeqSet();
  private readonly groups = new GroupTable();
  private readonly routes: BuildRoute[] = [];
  private readonly routeIds = new Map<string, number>();
  /** Writes in the open transaction. */
  private pending: (() => void)[] = [];
  count = 0;
  min = Infinity;
  max = -Infinity;

  constructor(
    private readonly target: BuildTarget,
    private readonly rules: CompiledRules,
    private readonly source: string,
  ) {}

  private get store(): Store {
    return this.target.store;
  }

  add(i: Interaction, n: number): void {
    if (i.seq < 0 || i.seq > MAX_SEQ) throw new MirraError('MIRRA_ERR_INVALID_CASSETTE', `${this.source}: interactions[${n}].seq must be between 0 and ${MAX_SEQ}`);
    if (!this.seen.add(i.seq)) throw new MirraError('MIRRA_ERR_INVALID_CASSETTE', `${this.source}: seq ${i.seq} appears twice`);
    this.count++;
    this.min = Math.min(this.min, i.seq);
    this.max = Math.max(this.max, i.seq);
    const rk = routeKey(i.request);
    let id = this.routeIds.get(rk);
    if (id === undefined) {
      id = this.routes.length;
      this.routeIds.set(rk, id);
      this.routes.push({ digest: digest(rk), shape: digest(pathShape(i.request.path)), firstSeq: i.seq, aliased: 0, dated: 0 });
    }
    const route = this.routes[id];
    route.firstSeq = Math.min(route.firstSeq, i.seq);
    const key = groupDigest(exactKey(i.request, this.rules));
    const { aliased, dated } = slowKinds(i.request, this.rules);
    const isNew = this.groups.add(key, i.seq, aliased, dated, id);
    this.write(() => {
      this.store.put(keys.cassetteEntry(i.seq), i);
      if (isNew) this.putMembers(route, key, i.seq, i.request, aliased, dated);
    });
    if (isNew) {
      route.aliased += aliased ? 1 : 0;
      route.dated += dated ? 1 : 0;
    }
  }

  /** Writes the groups (in key order) and the routes, once every entry was read. */
  async finish(): Promise<void> {
    let n = 0;
    for (const g of this.groups.sorted()) {
      if (++n % ROTATE_ITEMS === 0) await this.rotate();
      const route = this.routes[g.route];
      this.write(() => {
        this.store.put(keys.cassetteGroup(g.digest), { seqs: g.seqs, aliased: g.aliased, dated: g.dated, route: route.digest } satisfies StoredGroup);
        if (g.seqs[0] === g.writtenAt) return;
        // The file is out of seq order: its members go under its first seq, with that entry's request.
        for (const kind of ['g', ...(g.aliased ? ['a'] : []), ...(g.dated ? ['d'] : [])]) this.store.remove(keys.cassetteRouteGroup(route.digest, kind, g.writtenAt));
        const first = this.store.get<Interaction>(keys.cassetteEntry(g.seqs[0]))!.request;
        this.putMembers(route, g.digest, g.seqs[0], first, g.aliased, g.dated);
      });
    }
    for (const r of this.routes) {
      this.write(() => {
        this.store.put(keys.cassetteRoute(r.digest), { shape: r.shape, firstSeq: r.firstSeq, aliased: r.aliased, dated: r.dated } satisfies StoredRoute);
        this.store.put(keys.cassetteShapeRoute(r.shape, r.firstSeq), r.digest);
      });
    }
    this.flush();
  }

  /** Commits what is queued and reopens the store (see {@link ROTATE_ITEMS}). */
  async rotate(): Promise<void> {
    this.flush();
    await this.target.rotate();
  }

  /** Commits the writes queued so far. */
  flush(): void {
    const writes = this.pending;
    this.pending = [];
    if (writes.length > 0) this.store.transaction(() => writes.forEach((w) => w()));
  }

  private write(w: () => void): void {
    this.pending.push(w);
    if (this.pending.length >= CHUNK_ITEMS) this.flush();
  }

  private putMembers(route: BuildRoute, key: string, seq: number, first: RecordedRequest, aliased: boolean, dated: boolean): void {
    this.store.put(keys.cassetteRouteGroup(route.digest, 'g', seq), { key, first } satisfies RouteMember);
    if (aliased) this.store.put(keys.cassetteRouteGroup(route.digest, 'a', seq), key);
    if (dated) this.store.put(keys.cassetteRouteGroup(route.digest, 'd', seq), key);
  }
}

/** Same rules: the serialised forms agree (both absent counts as the same). */
function sameRules(a: MatchRules | undefined, b: MatchRules | undefined): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}

/** Streams the file once under `rules` (else those found before its interactions); returns the pass and the file's header. */
async function runPass(file: string, target: BuildTarget, rules: MatchRules | undefined): Promise<{ pass: Pass; header: CassetteHeader; headRules: MatchRules | undefined }> {
  let headRules = rules;
  let pass: Pass | null = null;
  const items = readCassetteItems(file, (fields) => {
    if (rules === undefined && fields.match && typeof fields.match === 'object') headRules = fields.match as MatchRules;
  });
  for (let n = 1; ; n++) {
    const next = items.next();
    if (next.done) {
      pass ??= new Pass(target, compileRules(headRules), file);
      await pass.finish();
      return { pass, header: next.value, headRules };
    }
    pass ??= new Pass(target, compileRules(headRules), file);
    pass.add(...next.value);
    if (n % ROTATE_ITEMS === 0) await pass.rotate();
  }
}

/** What {@link buildStoredIndex} did: built the index, or found it must start again under these rules. */
export type BuildResult = { meta: IndexMeta; rules?: undefined } | { meta?: undefined; rules: MatchRules };

/**
 * Builds the index of cassette file `file` into `target` (empty) under the match rules found before
 * the interactions (or `rules`, when given) and returns its meta. When the file's rules come after
 * its interactions (not the order mirra writes), nothing usable was built: the answer names the
 * rules to build again with, into an empty store. Throws MIRRA_ERR_INVALID_CASSETTE, naming the
 * file and the field, for a bad cassette.
 */
export async function buildStoredIndex(file: string, target: BuildTarget, rules?: MatchRules): Promise<BuildResult> {
  const { pass, header, headRules } = await runPass(file, target, rules);
  if (!sameRules(headRules, header.match)) return { rules: header.match ?? {} };
  const dense = pass.count > 0 && pass.max - pass.min + 1 === pass.count ? { first: pass.min, last: pass.max } : null;
  const meta: IndexMeta = { format: INDEX_FORMAT, name: header.name, callbacks: header.callbacks, match: header.match, size: pass.count, dense };
  target.store.put(keys.cassetteIndexMeta(), meta);
  return { meta };
}
