/**
 * A large cassette's match index, kept in LMDB and read a lookup at a time. Parsing a
 * million-interaction cassette (over a gigabyte of JSON) at every start was the cost of replaying
 * it, and its parsed form held hundreds of MB; instead the file is indexed once
 * (./index-store-build.ts) into an LMDB environment of its own under the mirror's data dir
 * (`cassette-index/`), and later starts open that index as long as the file is unchanged. A lookup
 * reads one group (the seqs of identical requests) and the interaction it serves; a miss reads the
 * groups of the request's path shape lazily; memory holds only small caches.
 *
 * "Unchanged" is the file's path, size, modification time and inode, and a digest of its first and
 * last 64 KiB: an edit, a `git checkout` or a re-recording (written to a temporary file, then
 * renamed) changes one of them. An index is built into a temporary directory and renamed into
 * place once complete, so a build cut short is never used, and two mirrors building at once agree.
 */
import { hash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MirraError } from '../errors';
import type * as LmdbStoreModule from '../store/lmdb-store';
import { keys } from '../store/keys';
import type { Store } from '../store/store';
import { groupDigest } from './index-store-groups';
import { buildStoredIndex, digest, INDEX_FORMAT, type IndexMeta, type RouteMember, type StoredGroup, type StoredRoute } from './index-store-build';
import { compileRules, exactKey, type CassetteIndex, type CompiledRules, type Group, type GroupHead, type SlowKind } from './match';
import type { ServableCassette } from './serve';
import type { Interaction, RecordedRequest } from './types';

/** The directory under a mirror's data dir that holds cassette indexes. */
export const INDEX_DIR = 'cassette-index';
/** The index's LMDB file in its directory. */
const INDEX_FILE = 'index.lmdb';
/** Bytes of the file's head and tail that its fingerprint digests. */
const SAMPLE = 64 * 1024;
/** Interactions and groups kept parsed (a replay serves the same few entries again and again). */
const CACHE = 1024;

/** A small least-recently-used cache (`null` values are remembered: what an index lacks, it always will). */
class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K, load: (key: K) => V | undefined): V | undefined {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const value = load(key);
    if (value === undefined) return undefined;
    if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, value);
    return value;
  }
}

/** A cassette served from its on-disk index: a {@link ServableCassette} and its {@link CassetteIndex}. */
export class StoredCassette implements ServableCassette, CassetteIndex {
  readonly name: string;
  readonly callbacks: IndexMeta['callbacks'];
  readonly size: number;
  readonly rules: CompiledRules;
  /**
   * A miss compares at most this many groups of its path shape: each is read from the index (a
   * million-entry cassette's explanation stays ~0.1 s and touches a few MB of it).
   */
  readonly scanLimit = 20_000;
  private readonly interactions = new Lru<number, Interaction>(CACHE);
  /** Groups by exact key (a hit skips the digest too) and by digest. */
  private readonly byExact = new Lru<string, Group | null>(CACHE);
  private readonly groups = new Lru<string, Group>(CACHE);
  /** Routes by route key: a route without groups of a slow kind needs no scan for them. */
  private readonly routes = new Lru<string, { digest: string; stored: StoredRoute } | null>(CACHE);

  constructor(
    private readonly store: Store,
    private readonly meta: IndexMeta,
    /** True when this start built the index; false when it reused one. */
    readonly built: boolean,
  ) {
    this.name = meta.name;
    this.callbacks = meta.callbacks;
    this.size = meta.size;
    this.rules = compileRules(meta.match);
  }

  get index(): CassetteIndex {
    return this;
  }

  /** Where the cassette is served from, for the replay's summary. */
  get storage(): 'disk (built)' | 'disk (reused)' {
    return this.built ? 'disk (built)' : 'disk (reused)';
  }

  interaction(seq: number): Interaction | undefined {
    return this.interactions.get(seq, (s) => this.store.get<Interaction>(keys.cassetteEntry(s)));
  }

  has(seq: number): boolean {
    const dense = this.meta.dense;
    if (dense) return Number.isInteger(seq) && seq >= dense.first && seq <= dense.last;
    return this.interaction(seq) !== undefined;
  }

  *seqs(): Iterable<number> {
    const dense = this.meta.dense;
    if (dense) {
      for (let s = dense.first; s <= dense.last; s++) yield s;
      return;
    }
    for (const { value } of this.store.range<Interaction>({ prefix: keys.cassetteEntries() })) yield value.seq;
  }

  group(exact: string): Group | undefined {
    return this.byExact.get(exact, (e) => this.groupByKey(groupDigest(e)) ?? null) ?? undefined;
  }

  groupByKey(key: string): Group | undefined {
    return this.groups.get(key, (k) => {
      const g = this.store.get<StoredGroup>(keys.cassetteGroup(k));
      return g && { key: k, seqs: g.seqs, aliased: g.aliased, dated: g.dated };
    });
  }

  *slowGroups(routeKey: string, kind: SlowKind): Iterable<Group> {
    const route = this.routes.get(routeKey, (rk) => {
      const d = digest(rk);
      const stored = this.store.get<StoredRoute>(keys.cassetteRoute(d));
      return stored ? { digest: d, stored } : null;
    });
    if (!route || route.stored[kind] === 0) return;
    for (const { value } of this.store.range<string>({ prefix: keys.cassetteRouteGroups(route.digest, kind === 'aliased' ? 'a' : 'd') })) {
      const g = this.groupByKey(value);
      if (g) yield g;
    }
  }

  request(seq: number): RecordedRequest | undefined {
    return this.interaction(seq)?.request;
  }

  *shapeGroups(shape: string): Iterable<GroupHead> {
    for (const { value: route } of this.store.range<string>({ prefix: keys.cassetteShapeRoutes(digest(shape)) })) {
      for (const { value } of this.store.range<RouteMember>({ prefix: keys.cassetteRouteGroups(route, 'g') })) yield value;
    }
  }

  *firstGroups(limit: number): Iterable<GroupHead> {
    const seen = new Set<string>();
    for (const seq of this.seqs()) {
      if (seen.size >= limit) return;
      const first = this.request(seq);
      if (!first) continue;
      const key = groupDigest(exactKey(first, this.rules));
      if (seen.has(key)) continue;
      seen.add(key);
      yield { key, first };
    }
  }

  /** Closes the index's environment. */
  close(): Promise<void> {
    return this.store.close();
  }
}

/** What makes a file "unchanged": see the module comment. */
function fingerprint(file: string): string {
  const st = statSync(file, { bigint: true });
  const size = Number(st.size);
  const head = Math.min(size, SAMPLE);
  const tail = Math.min(size - head, SAMPLE);
  const sample = Buffer.alloc(head + tail);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, sample, 0, head, 0);
    readSync(fd, sample, head, tail, size - tail);
  } finally {
    closeSync(fd);
  }
  return digest(JSON.stringify([INDEX_FORMAT, st.size, st.mtimeNs, st.ino, st.dev].map(String).concat(hash('sha256', sample, 'base64url'))));
}

const lmdbStore = (dir: string): Store => new (require('../store/lmdb-store') as typeof LmdbStoreModule).LmdbStore({ dir, file: INDEX_FILE });

/** True when process `pid` is alive (a build directory of a dead one is debris). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes this file's indexes of other versions, and builds of processes that died. */
function sweep(root: string, source: string, keep: string): void {
  for (const name of readdirSync(root)) {
    if (!name.startsWith(`${source}-`) || name === keep) continue;
    const building = /\.tmp-(\d+)-/.exec(name);
    if (building && isAlive(Number(building[1]))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

/** Opens the complete index in `dir`, or returns null. */
async function openBuilt(dir: string, built: boolean): Promise<StoredCassette | null> {
  if (!existsSync(join(dir, INDEX_FILE))) return null;
  const store = lmdbStore(dir);
  const meta = store.get<IndexMeta>(keys.cassetteIndexMeta());
  if (meta?.format === INDEX_FORMAT) return new StoredCassette(store, meta, built);
  await store.close();
  return null;
}

/** Builds the index of `file` in a fresh directory under `root` and renames it to `target` once complete. */
async function build(file: string, root: string, target: string): Promise<void> {
  let rules: IndexMeta['match'];
  for (let attempt = 0; ; attempt++) {
    const tmp = join(root, `${target}.tmp-${process.pid}-${attempt}`);
    rmSync(tmp, { recursive: true, force: true });
    let store = lmdbStore(tmp);
    const into = {
      get store() {
        return store;
      },
      async rotate() {
        await store.close();
        store = lmdbStore(tmp);
      },
    };
    let result: Awaited<ReturnType<typeof buildStoredIndex>>;
    try {
      result = await buildStoredIndex(file, into, rules);
    } catch (err) {
      await store.close();
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
    await store.close(); // flushed: the directory is complete
    if (result.rules && attempt === 0) {
      // The file's match rules come after its interactions: group again under them.
      rmSync(tmp, { recursive: true, force: true });
      rules = result.rules;
      continue;
    }
    try {
      renameSync(tmp, join(root, target));
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another mirror published the same index first
    }
    return;
  }
}

/**
 * The index of cassette file `file` under `root` (the data dir's {@link INDEX_DIR}): reused when
 * the file is unchanged, else built now. Throws MIRRA_ERR_INVALID_CASSETTE for a bad cassette.
 */
export async function openStoredCassette(file: string, root: string): Promise<StoredCassette> {
  const path = realpathSync(file);
  const source = digest(path).slice(0, 16);
  mkdirSync(root, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    const print = fingerprint(path);
    const target = `${source}-${print}`;
    const ready = await openBuilt(join(root, target), false);
    if (ready) {
      sweep(root, source, target);
      return ready;
    }
    try {
      await build(path, root, target);
    } finally {
      sweep(root, source, target);
    }
    // The file changed while it was read: index the new version.
    if (fingerprint(path) !== print) continue;
    const fresh = await openBuilt(join(root, target), true);
    if (fresh) return fresh;
  }
  throw new MirraError('MIRRA_ERR_INVALID_CASSETTE', `${file} kept changing while mirra indexed it`, 'start the mirror once the cassette is written');
}
