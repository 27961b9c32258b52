import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import type { Entry, RangeOptions, Store } from './store';

/** Options of the on-disk store. */
export interface LmdbStoreOptions {
  /** Directory that holds the LMDB environment. */
  dir: string;
  /**
   * fsync every commit. Off by default: commits still reach the OS before a request is answered,
   * so a killed mirra loses nothing; only a power loss could.
   */
  durable?: boolean;
}

/** The first key that sorts after every key starting with `prefix`. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * The LMDB {@link Store}: the only module that imports `lmdb`. Writes use synchronous commits so a
 * value is visible (and survives a crash of the process) as soon as `put` returns.
 */
export class LmdbStore implements Store {
  private readonly db: RootDatabase;
  private depth = 0;

  constructor(opts: LmdbStoreOptions) {
    const path = join(opts.dir, 'state.lmdb');
    mkdirSync(opts.dir, { recursive: true });
    this.db = open({ path, noSync: !opts.durable, encoding: 'json', cache: false });
  }

  get<T>(key: string): T | undefined {
    return this.db.get(key) as T | undefined;
  }

  put(key: string, value: unknown): void {
    if (this.depth > 0) void this.db.put(key, value);
    else this.db.putSync(key, value);
  }

  remove(key: string): void {
    if (this.depth > 0) void this.db.remove(key);
    else this.db.removeSync(key);
  }

  *range<T>(opts: RangeOptions): Iterable<Entry<T>> {
    const bounds = opts.reverse
      ? { start: prefixEnd(opts.prefix), end: opts.prefix, reverse: true }
      : { start: opts.prefix, end: prefixEnd(opts.prefix) };
    for (const { key, value } of this.db.getRange({ ...bounds, limit: opts.limit })) {
      if (typeof key === 'string' && key.startsWith(opts.prefix)) yield { key, value: value as T };
    }
  }

  clearPrefix(prefix: string): void {
    this.transaction(() => {
      for (const key of this.db.getKeys({ start: prefix, end: prefixEnd(prefix) })) this.remove(key as string);
    });
  }

  transaction<R>(fn: () => R): R {
    if (this.depth > 0) return fn();
    return this.db.transactionSync(() => {
      this.depth++;
      try {
        return fn();
      } finally {
        this.depth--;
      }
    });
  }

  async close(): Promise<void> {
    await this.db.flushed;
    await this.db.close();
  }
}
