/**
 * A session's bounded log of one kind (the inbox): its newest `limit` appended records, each in
 * slot `seq % limit`, so an append is a single write that overwrites the oldest record. A
 * collection bounded by trimming paid five store operations an append once full (the record and
 * its SID index written, the oldest read, then both of its keys removed), two of them at random
 * places of the key space; a ring pays one, in order.
 *
 * Like a collection, a ring object is the only writer of its keys (sessions hand out one per name),
 * so it keeps the last sequence number in memory, read once from the store. An append undone with
 * its transaction leaves a gap in the sequence: the slot it skipped keeps an older record a while.
 */
import { keys } from '../store/keys';
import type { Store } from '../store/store';

/** What a slot holds. */
interface Slot<T> {
  seq: number;
  data: T;
}

/** The newest records of one kind in a session, oldest first. */
export class Ring<T extends { sid: string }> {
  private lastSeq: number | null = null;

  constructor(
    private readonly store: Store,
    private readonly sessionId: string,
    private readonly name: string,
    readonly limit: number,
  ) {}

  /** Appends `record`, dropping the oldest once the ring is full. */
  append(record: T): T {
    const seq = this.currentSeq() + 1;
    this.lastSeq = seq;
    this.store.put(keys.ringSlot(this.sessionId, this.name, seq % this.limit), { seq, data: record } satisfies Slot<T>);
    return record;
  }

  /** Every record held, oldest first, optionally filtered. */
  list(filter?: (item: T) => boolean): T[] {
    const out: Slot<T>[] = [];
    for (const { value } of this.store.range<Slot<T>>({ prefix: keys.ringSlots(this.sessionId, this.name) })) {
      if (!filter || filter(value.data)) out.push(value);
    }
    return out.sort((a, b) => a.seq - b.seq).map((s) => s.data);
  }

  /** Removes the record `sid` (a scan: rare next to appends); returns whether it was held. */
  delete(sid: string): boolean {
    for (const { key, value } of this.store.range<Slot<T>>({ prefix: keys.ringSlots(this.sessionId, this.name) })) {
      if (value.data.sid !== sid) continue;
      this.store.remove(key);
      return true;
    }
    return false;
  }

  /** The last sequence number handed out (0 for an empty ring). */
  private currentSeq(): number {
    if (this.lastSeq === null) {
      let last = 0;
      for (const { value } of this.store.range<Slot<T>>({ prefix: keys.ringSlots(this.sessionId, this.name) })) last = Math.max(last, value.seq);
      this.lastSeq = last;
    }
    return this.lastSeq;
  }
}
