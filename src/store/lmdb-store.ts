import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { asBinary, open, type RootDatabase } from 'lmdb';
import { fromOf, type Entry, type RangeOptions, type Store } from './store';
import { UndoJournal } from './undo-journal';

/** Options of the on-disk store. */
export interface LmdbStoreOptions {
  /** Directory that holds the LMDB environment. */
  dir: string;
  /** The environment's file in `dir` (default `state.lmdb`). */
  file?: string;
  /**
   * fsync every commit. Off by default: commits still reach the OS before a request is answered,
   * so a killed mirra loses nothing; only a power loss could.
   */
  durable?: boolean;
  /**
   * Group commit (the mirror's setting): writes land in an in-memory overlay that reads see at
   * once, and everything written during one turn of the event loop is committed in a single LMDB
   * transaction at the end of it, instead of one commit per write or transaction. Whoever answers a
   * client awaits {@link Store.settled} first, so an answered request's effects are committed (and
   * survive `kill -9`) exactly as before. Off by default: each write commits before it returns.
   */
  groupCommit?: boolean;
}

/** The first key that sorts after every key starting with `prefix`. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * Address space reserved for the map up front (not memory: pages count only once touched). Left
 * to grow, lmdb maps the file again at each growth while older maps stay in use, and every map
 * counts its touched pages in RSS, so a 26 MB file showed as ~70 MB of RSS. 32-bit: lmdb's default.
 */
const MAP_SIZE = process.arch.endsWith('64') ? 2 ** 35 : undefined;

/** A pending write of the overlay: the value's JSON text, or null for a removal. */
type Pending = string | null;

const SETTLED = Promise.resolve();

/**
 * The LMDB {@link Store}: the only module that imports `lmdb`. Without group commit, writes use
 * synchronous commits so a value is visible (and survives a crash of the process) as soon as `put`
 * returns; with it, see {@link LmdbStoreOptions.groupCommit}.
 */
export class LmdbStore implements Store {
  private readonly db: RootDatabase;
  private depth = 0;
  /** Without group commit: how many outermost transactions have started. */
  private txns = 0;
  private readonly groupCommit: boolean;
  /**
   * Group commit: writes not yet committed, by key. A scan sorts the few under its prefix when it
   * needs them: keeping every staged key in order cost each write a sorted insert, for scans that
   * rarely meet the overlay (it holds one turn's writes).
   */
  private overlay = new Map<string, Pending>();
  /** Group commit: undo steps of the running transaction. */
  private readonly journal = new UndoJournal();
  private flushQueued = false;
  /**
   * Where a commit writes each value's bytes for its put. Inside a synchronous transaction lmdb
   * executes a put during the call, copying the bytes into the map, so one buffer serves every
   * put of every commit (instead of a new Buffer per value, garbage right after).
   */
  private readonly scratch = Buffer.allocUnsafe(64 * 1024);
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  constructor(opts: LmdbStoreOptions) {
    const path = join(opts.dir, opts.file ?? 'state.lmdb');
    mkdirSync(opts.dir, { recursive: true });
    this.db = open({ path, noSync: !opts.durable, encoding: 'json', cache: false, mapSize: MAP_SIZE });
    this.groupCommit = opts.groupCommit ?? false;
  }

  get<T>(key: string): T | undefined {
    if (this.overlay.size > 0) {
      const pending = this.overlay.get(key);
      if (pending !== undefined) return pending === null ? undefined : (JSON.parse(pending) as T);
    }
    return this.db.get(key) as T | undefined;
  }

  put(key: string, value: unknown): void {
    if (this.groupCommit) return this.stage(key, JSON.stringify(value));
    if (this.depth > 0) void this.db.put(key, value);
    else this.db.putSync(key, value);
  }

  putJson(key: string, json: string): void {
    if (this.groupCommit) return this.stage(key, json);
    // The bytes the json encoding would write for the value.
    const bytes = asBinary(Buffer.from(json));
    if (this.depth > 0) void this.db.put(key, bytes);
    else this.db.putSync(key, bytes);
  }

  remove(key: string): void {
    if (this.groupCommit) return this.stage(key, null);
    if (this.depth > 0) void this.db.remove(key);
    else this.db.removeSync(key);
  }

  *range<T>(opts: RangeOptions): Iterable<Entry<T>> {
    const from = fromOf(opts);
    const bounds = opts.reverse
      ? { start: prefixEnd(opts.prefix), end: opts.prefix, reverse: true }
      : { start: from, end: prefixEnd(opts.prefix) };
    let pending = this.pendingUnder(opts.prefix, opts.reverse ?? false);
    if (from !== opts.prefix) pending = pending.filter(([key]) => key >= from);
    if (pending.length === 0) {
      for (const { key, value } of this.db.getRange({ ...bounds, limit: opts.limit })) {
        if (typeof key === 'string' && key.startsWith(opts.prefix)) yield { key, value: value as T };
      }
      return;
    }
    // Merge the committed entries with the overlay's, both in scan order; the overlay wins.
    const before = (a: string, b: string) => (opts.reverse ? a > b : a < b);
    let n = 0;
    let p = 0;
    const emit = function* (key: string, raw: Pending): Iterable<Entry<T>> {
      if (raw !== null) {
        n++;
        yield { key, value: JSON.parse(raw) as T };
      }
    };
    for (const { key, value } of this.db.getRange(bounds)) {
      if (typeof key !== 'string' || !key.startsWith(opts.prefix)) continue;
      while (p < pending.length && before(pending[p][0], key)) {
        if (opts.limit !== undefined && n >= opts.limit) return;
        yield* emit(pending[p][0], pending[p][1]);
        p++;
      }
      if (opts.limit !== undefined && n >= opts.limit) return;
      if (p < pending.length && pending[p][0] === key) {
        yield* emit(key, pending[p][1]);
        p++;
      } else {
        n++;
        yield { key, value: value as T };
      }
    }
    for (; p < pending.length; p++) {
      if (opts.limit !== undefined && n >= opts.limit) return;
      yield* emit(pending[p][0], pending[p][1]);
    }
  }

  clearPrefix(prefix: string): void {
    this.transaction(() => {
      const doomed = new Set<string>();
      for (const key of this.db.getKeys({ start: prefix, end: prefixEnd(prefix) })) doomed.add(key as string);
      for (const [key] of this.pendingUnder(prefix, false)) doomed.add(key);
      for (const key of doomed) this.remove(key);
    });
  }

  transaction<R>(fn: () => R): R {
    if (this.groupCommit) {
      // Nothing is committed before the turn ends, so undoing the overlay undoes the transaction.
      return this.journal.run(fn);
    }
    if (this.depth > 0) return fn();
    this.txns++;
    return this.db.transactionSync(() => {
      this.depth++;
      try {
        return fn();
      } finally {
        this.depth--;
      }
    });
  }

  transactionId(): number | null {
    return this.groupCommit ? this.journal.id : this.depth > 0 ? this.txns : null;
  }

  hasPending(): boolean {
    return this.overlay.size > 0;
  }

  settled(): Promise<void> {
    if (this.overlay.size === 0) return SETTLED;
    this.queueFlush(); // also retries after a failed commit
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async close(): Promise<void> {
    this.flush();
    await this.db.flushed;
    await this.db.close();
  }

  /** Group commit: records a write in the overlay and queues the commit at the end of this turn. */
  private stage(key: string, raw: Pending): void {
    const had = this.overlay.has(key);
    if (this.journal.open) {
      const before = this.overlay.get(key);
      this.journal.record(() => {
        if (had) this.overlay.set(key, before as Pending);
        else this.overlay.delete(key);
      });
    }
    this.overlay.set(key, raw);
    this.queueFlush();
  }

  /** Commits the overlay once the current turn of the event loop is over (its other writes included). */
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /** Overlay entries under `prefix`, in scan order. */
  private pendingUnder(prefix: string, reverse: boolean): [string, Pending][] {
    if (this.overlay.size === 0) return [];
    const out: [string, Pending][] = [];
    for (const entry of this.overlay) if (entry[0].startsWith(prefix)) out.push(entry);
    // Keys are unique, so no two compare equal (string order, as the store scans its keys).
    return out.sort(reverse ? (a, b) => (a[0] < b[0] ? 1 : -1) : (a, b) => (a[0] < b[0] ? -1 : 1));
  }

  /** `raw`'s UTF-8 bytes, in the scratch buffer (valid until the next call) when they fit. */
  private bytesOf(raw: string): Buffer {
    // UTF-8 takes at most three bytes per UTF-16 unit. A rare large value gets a buffer of its
    // own, so the scratch buffer never grows past its size.
    if (raw.length * 3 > this.scratch.length) return Buffer.from(raw);
    return this.scratch.subarray(0, this.scratch.write(raw));
  }

  /** Commits the overlay in one transaction and wakes those waiting for it. */
  private flush(): void {
    if (this.overlay.size === 0) return;
    const batch = this.overlay;
    const waiters = this.waiters;
    try {
      this.db.transactionSync(() => {
        for (const [key, raw] of batch) {
          // The bytes lmdb's json encoding would write (JSON text), encoded once, when staged.
          if (raw === null) void this.db.remove(key);
          else void this.db.put(key, asBinary(this.bytesOf(raw)));
        }
      });
    } catch (err) {
      // Nothing was committed: keep the overlay (reads stay right, the next write retries) and
      // fail the answers waiting on it rather than claim their effects are stored.
      this.waiters = [];
      for (const w of waiters) w.reject(err);
      process.emitWarning(`mirra: store commit failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.overlay = new Map();
    this.waiters = [];
    for (const w of waiters) w.resolve();
  }
}
