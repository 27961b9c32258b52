import { SortedKeys } from './sorted-keys';
import { fromOf, type Entry, type RangeOptions, type Store } from './store';
import { UndoJournal } from './undo-journal';

/**
 * An in-memory {@link Store}: a map plus the keys in order (chunked) for range scans.
 * Values are deep-copied on the way in and out, as LMDB would, so callers cannot alias state.
 */
export class MemoryStore implements Store {
  private readonly map = new Map<string, string>();
  private readonly sorted = new SortedKeys();
  private readonly journal = new UndoJournal();

  get<T>(key: string): T | undefined {
    const raw = this.map.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  put(key: string, value: unknown): void {
    this.putJson(key, JSON.stringify(value));
  }

  putJson(key: string, json: string): void {
    const before = this.map.get(key);
    this.journal.record(() => (before === undefined ? this.removeRaw(key) : this.putRaw(key, before)));
    this.putRaw(key, json);
  }

  remove(key: string): void {
    const before = this.map.get(key);
    if (before === undefined) return;
    this.journal.record(() => this.putRaw(key, before));
    this.removeRaw(key);
  }

  *range<T>(opts: RangeOptions): Iterable<Entry<T>> {
    // A snapshot of the prefix's keys: writes during the scan do not move it.
    const from = fromOf(opts);
    const keys = [...this.sorted.withPrefix(opts.prefix, opts.reverse, from === opts.prefix ? undefined : from)];
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
    return this.journal.run(fn);
  }

  transactionId(): number | null {
    return this.journal.id;
  }

  hasPending(): boolean {
    return false;
  }

  settled(): Promise<void> {
    return Promise.resolve(); // nothing is ever pending
  }

  async close(): Promise<void> {
    /* nothing to flush */
  }

  private putRaw(key: string, raw: string): void {
    if (!this.map.has(key)) this.sorted.insert(key);
    this.map.set(key, raw);
  }

  private removeRaw(key: string): void {
    if (this.map.delete(key)) this.sorted.remove(key);
  }
}
