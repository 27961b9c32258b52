import type { Entry, RangeOptions, Store } from './store';

/** Index of the first element of sorted `arr` that is >= `key`. */
function lowerBound(arr: string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * An in-memory {@link Store}: a map plus a sorted key array for range scans.
 * Values are deep-copied on the way in and out, as LMDB would, so callers cannot alias state.
 */
export class MemoryStore implements Store {
  private readonly map = new Map<string, string>();
  private readonly sorted: string[] = [];
  private journal: (() => void)[] | null = null;

  get<T>(key: string): T | undefined {
    const raw = this.map.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  put(key: string, value: unknown): void {
    const before = this.map.get(key);
    this.journal?.push(() => (before === undefined ? this.removeRaw(key) : this.putRaw(key, before)));
    this.putRaw(key, JSON.stringify(value));
  }

  remove(key: string): void {
    const before = this.map.get(key);
    if (before === undefined) return;
    this.journal?.push(() => this.putRaw(key, before));
    this.removeRaw(key);
  }

  *range<T>(opts: RangeOptions): Iterable<Entry<T>> {
    const start = lowerBound(this.sorted, opts.prefix);
    let end = start;
    while (end < this.sorted.length && this.sorted[end].startsWith(opts.prefix)) end++;
    const keys = this.sorted.slice(start, end);
    if (opts.reverse) keys.reverse();
    let n = 0;
    for (const key of keys) {
      if (opts.limit !== undefined && n >= opts.limit) return;
      const raw = this.map.get(key);
      if (raw === undefined) continue;
      n++;
      yield { key, value: JSON.parse(raw) as T };
    }
  }

  clearPrefix(prefix: string): void {
    for (const { key } of [...this.range({ prefix })]) this.remove(key);
  }

  transaction<R>(fn: () => R): R {
    if (this.journal) return fn();
    const journal: (() => void)[] = [];
    this.journal = journal;
    try {
      return fn();
    } catch (err) {
      this.journal = null;
      for (const step of journal.reverse()) step();
      throw err;
    } finally {
      this.journal = null;
    }
  }

  async close(): Promise<void> {
    /* nothing to flush */
  }

  private putRaw(key: string, raw: string): void {
    if (!this.map.has(key)) this.sorted.splice(lowerBound(this.sorted, key), 0, key);
    this.map.set(key, raw);
  }

  private removeRaw(key: string): void {
    if (!this.map.delete(key)) return;
    const i = lowerBound(this.sorted, key);
    if (this.sorted[i] === key) this.sorted.splice(i, 1);
  }
}
