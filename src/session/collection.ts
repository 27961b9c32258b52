/**
 * A session's collection of one resource type (messages, numbers, ...): records by SID plus an
 * insertion-order index, all under the session's key space so sessions never see each other's data.
 */
import { keys } from '../store/keys';
import type { Store } from '../store/store';

interface Stored<T> {
  seq: number;
  data: T;
}

/** Options of {@link Collection.list}. */
export interface ListOptions<T> {
  /** Newest first (Twilio's order for messages). */
  newestFirst?: boolean;
  filter?: (item: T) => boolean;
}

/** Records of one type, keyed by SID, in a session. */
export class Collection<T extends { sid: string }> {
  constructor(
    private readonly store: Store,
    private readonly sessionId: string,
    private readonly name: string,
  ) {}

  get(sid: string): T | undefined {
    return this.store.get<Stored<T>>(keys.item(this.sessionId, this.name, sid))?.data;
  }

  has(sid: string): boolean {
    return this.get(sid) !== undefined;
  }

  /** Adds a new record at the end of the order. */
  insert(record: T): T {
    const counterKey = keys.counter(this.sessionId, this.name);
    const seq = (this.store.get<number>(counterKey) ?? 0) + 1;
    this.store.transaction(() => {
      this.store.put(counterKey, seq);
      this.store.put(keys.item(this.sessionId, this.name, record.sid), { seq, data: record });
      this.store.put(keys.order(this.sessionId, this.name, seq), record.sid);
    });
    return record;
  }

  /** Replaces an existing record, keeping its place in the order. */
  update(record: T): T {
    const key = keys.item(this.sessionId, this.name, record.sid);
    const stored = this.store.get<Stored<T>>(key);
    if (!stored) return this.insert(record);
    this.store.put(key, { seq: stored.seq, data: record });
    return record;
  }

  /** Removes a record; returns whether it existed. */
  delete(sid: string): boolean {
    const key = keys.item(this.sessionId, this.name, sid);
    const stored = this.store.get<Stored<T>>(key);
    if (!stored) return false;
    this.store.transaction(() => {
      this.store.remove(key);
      this.store.remove(keys.order(this.sessionId, this.name, stored.seq));
    });
    return true;
  }

  /** Every record in insertion order (or newest first), lazily, optionally filtered. */
  *list(opts: ListOptions<T> = {}): Iterable<T> {
    for (const { value: sid } of this.store.range<string>({
      prefix: keys.orders(this.sessionId, this.name),
      reverse: opts.newestFirst,
    })) {
      const item = this.get(sid);
      if (item && (!opts.filter || opts.filter(item))) yield item;
    }
  }

  /** The first record that satisfies `pred`, in insertion order. */
  find(pred: (item: T) => boolean): T | undefined {
    for (const item of this.list({ filter: pred })) return item;
    return undefined;
  }
}
