/**
 * The storage interface every backend implements (LMDB on disk, memory for --ephemeral and tests).
 * Keys are strings built only by `keys.ts`; values are plain JSON-compatible data.
 * Writes are synchronous and visible to the next read; a request's effects are committed before its
 * response is sent (at once, or by awaiting `settled()` when the backend batches commits).
 */

/** One key/value pair from a range scan. */
export interface Entry<T = unknown> {
  key: string;
  value: T;
}

/** Options of a range scan over all keys that start with `prefix`. */
export interface RangeOptions {
  prefix: string;
  reverse?: boolean;
  limit?: number;
  /** Forward scans only: start at this key (or the first after it) instead of the prefix's first. */
  from?: string;
}

/**
 * Where a forward scan starts: `opts.from` when it lies past the prefix's first key, else the
 * prefix. A reverse scan with `from` is a caller's mistake (no backend implements it).
 */
export function fromOf(opts: RangeOptions): string {
  if (opts.from === undefined) return opts.prefix;
  if (opts.reverse) throw new Error('store range: `from` is for forward scans');
  return opts.from > opts.prefix ? opts.from : opts.prefix;
}

/** A small ordered key/value store. */
export interface Store {
  get<T>(key: string): T | undefined;
  put(key: string, value: unknown): void;
  /**
   * `put` of the value whose JSON text is `json`, for a caller that writes the JSON itself (a
   * record's codec, cheaper than `JSON.stringify` on the hottest writes). `json` must be valid.
   */
  putJson(key: string, json: string): void;
  remove(key: string): void;
  /** Entries whose key starts with `prefix`, in key order (or reverse). */
  range<T>(opts: RangeOptions): Iterable<Entry<T>>;
  /** Removes every key under `prefix`. */
  clearPrefix(prefix: string): void;
  /** Runs `fn` atomically: all of its writes land, or none. */
  transaction<R>(fn: () => R): R;
  /** A number naming the running (outermost) transaction, or null outside one. */
  transactionId(): number | null;
  /**
   * Resolves once every write made so far is committed (at once unless the backend batches
   * commits, as the LMDB store's group commit does). Await it before answering a client.
   */
  settled(): Promise<void>;
  /** True when some write is not committed yet (what `settled()` would wait for). */
  hasPending(): boolean;
  /** Flushes and closes. */
  close(): Promise<void>;
}
