/**
 * A session's collection of one resource type (messages, numbers, ...): records by SID plus an
 * insertion-order index, all under the session's key space so sessions never see each other's data.
 *
 * A collection object is the only writer of its keys (sessions hand out one per name), so it keeps
 * small in-memory aids next to the store: the next sequence number (read once from the store), the
 * sequence number of records it has seen (so an update does not read the record again), and lookup
 * maps built from a full scan and rebuilt after any write (`lookup`: owned numbers by phone number,
 * read on every message create).
 */
import { keys } from '../store/keys';
import type { Store } from '../store/store';
import { seqInSid, sidWithSeq } from '../twilio/sid';

/**
 * Layout: each record lives under its sequence number (`o/<seq>` → `{ sid, data }`), in insertion
 * order. A list is one scan with no second read per record, and new records are appended at the
 * end of the key space. A record whose SID the collection minted ({@link Collection.mintSid})
 * needs nothing else: its SID carries the sequence number. Any other SID (seeded, replayed, given
 * by a caller) has `i/<sid>` hold that number. Earlier versions kept `i/<sid>` → `{ seq, data }`
 * and `o/<seq>` → sid: those records are still read, and rewritten in this layout when changed.
 */
interface Stored<T> {
  sid: string;
  data: T;
}

interface Legacy {
  seq: number;
  data: unknown;
}

/** What `i/<sid>` holds: the sequence number, or (earlier versions) the whole record. */
type IndexValue = number | Legacy;

/**
 * How a collection writes its records and reads them back, when not as they are: a resource's
 * compact stored form (messages leave out fields at their usual value). `decode` also reads what
 * was stored whole, by earlier versions.
 */
export interface RecordCodec<T> {
  encode(record: T): unknown;
  decode(stored: unknown): T;
  /**
   * The JSON text of `encode(record)`, written directly: for the records stored most, where
   * `JSON.stringify` of the encoded object was the costliest step of a write (~3 µs a message).
   */
  encodeJson?(record: T): string;
}

/** The identity codec: records stored as they are. */
const AS_IS: RecordCodec<never> = { encode: (record) => record, decode: (stored) => stored as never };

/** Options of {@link Collection.list}. */
export interface ListOptions<T> {
  /** Newest first (Twilio's order for messages). */
  newestFirst?: boolean;
  filter?: (item: T) => boolean;
}

/** How many SID → sequence number pairs a collection remembers (a cache: a miss reads the store). */
const SEQ_CACHE_LIMIT = 4096;

/**
 * How many minted SIDs may wait for their insert. A SID minted for a request that then fails is
 * never inserted; past the limit the waiting ones are forgotten, and their records (should they
 * come) are indexed like any other.
 */
const MINTED_LIMIT = 4096;

/** Where a record lives: its sequence number, and whether `i/<sid>` holds the whole record (earlier layout). */
interface Place {
  seq: number;
  legacy: boolean;
}

/** Records of one type, keyed by SID, in a session. */
export class Collection<T extends { sid: string }> {
  private lastSeq: number | null = null;
  private readonly seqCache = new Map<string, number>();
  /** Minted SIDs whose record is not inserted yet, and the sequence number each carries. */
  private readonly minted = new Map<string, number>();
  /**
   * The record last inserted or read by number, and its number: a create books the record's
   * first visit right after inserting it ({@link Collection.seqOf}), and a visit updates the
   * record it read (`at`). Minted SIDs are not remembered in `seqCache`, and checking the number
   * a SID carries reads the whole record again (~4 µs a visit, bench/PROFILING.md row 36).
   */
  private recent: { sid: string; seq: number } | null = null;
  /** Bumped by every write: lookups built at an older version are rebuilt. */
  private version = 0;
  /** The transaction of the last write, if it ran in one. */
  private writtenIn: number | null = null;
  private readonly lookups = new Map<string, { version: number; map: Map<string, Readonly<T>> }>();

  constructor(
    private readonly store: Store,
    private readonly sessionId: string,
    private readonly name: string,
    private readonly codec: RecordCodec<T> = AS_IS,
  ) {}

  get(sid: string): T | undefined {
    const seq = this.seqCache.get(sid) ?? seqInSid(sid);
    if (seq !== null) {
      const stored = this.store.get<Stored<unknown>>(keys.order(this.sessionId, this.name, seq));
      if (stored?.sid === sid) {
        this.remember(sid, seq);
        return this.codec.decode(stored.data);
      }
    }
    const index = this.store.get<IndexValue>(keys.item(this.sessionId, this.name, sid));
    if (index === undefined) return undefined;
    if (typeof index !== 'number') return this.codec.decode(index.data); // earlier layout: not remembered, so a change rewrites it
    const stored = this.store.get<Stored<unknown>>(keys.order(this.sessionId, this.name, index));
    if (!stored) return undefined;
    this.remember(sid, index);
    return this.codec.decode(stored.data);
  }

  has(sid: string): boolean {
    return this.get(sid) !== undefined;
  }

  /** The sequence number of record `sid` (its place in the order), or undefined when it is not here. */
  seqOf(sid: string): number | undefined {
    return this.seqFor(sid)?.seq;
  }

  /** The record at sequence number `seq`, or undefined (none there, or deleted). */
  at(seq: number): T | undefined {
    const stored = this.store.get<Stored<unknown> | string>(keys.order(this.sessionId, this.name, seq));
    if (stored === undefined) return undefined;
    if (typeof stored === 'string') return this.get(stored); // earlier layout
    this.recent = { sid: stored.sid, seq };
    return this.codec.decode(stored.data);
  }

  /** Every record from sequence number `seq` on, in order, each with its number, lazily. */
  *entriesFrom(seq: number): Iterable<{ seq: number; record: T }> {
    for (const { key, value } of this.store.range<Stored<unknown> | string>({
      prefix: keys.orders(this.sessionId, this.name),
      from: keys.order(this.sessionId, this.name, seq),
    })) {
      const record = this.fromOrderEntry(value);
      if (record) yield { seq: seqOfKey(key), record };
    }
  }

  /**
   * A new SID with `prefix` for a record about to be inserted here. It carries the record's place
   * (see `sidWithSeq`), so the insert writes no SID index entry and reads by SID read one key.
   */
  mintSid(prefix: string): string {
    const seq = this.nextSeq();
    const sid = sidWithSeq(prefix, seq);
    if (this.minted.size >= MINTED_LIMIT) this.minted.clear();
    this.minted.set(sid, seq);
    return sid;
  }

  /** Adds a new record at the end of the order. */
  insert(record: T): T {
    const carried = this.minted.get(record.sid);
    const minted = carried !== undefined;
    if (minted) this.minted.delete(record.sid);
    const seq = carried ?? this.nextSeq();
    this.wrote();
    this.store.transaction(() => {
      this.putRecord(seq, record);
      if (!minted) this.store.put(keys.item(this.sessionId, this.name, record.sid), seq);
    });
    // A minted SID finds its record without being remembered.
    if (!minted) this.remember(record.sid, seq);
    this.recent = { sid: record.sid, seq };
    return record;
  }

  /** Replaces an existing record, keeping its place in the order. */
  update(record: T): T {
    const seq = this.seqFor(record.sid);
    if (seq === undefined) return this.insert(record);
    this.wrote();
    this.store.transaction(() => {
      this.putRecord(seq.seq, record);
      if (seq.legacy) this.store.put(keys.item(this.sessionId, this.name, record.sid), seq.seq);
    });
    return record;
  }

  /** Removes a record; returns whether it existed. */
  delete(sid: string): boolean {
    const seq = this.seqFor(sid);
    if (seq === undefined) return false;
    this.wrote();
    this.seqCache.delete(sid);
    if (this.recent?.sid === sid) this.recent = null;
    this.store.transaction(() => {
      // Also when the SID carries its number (usually no entry then): deletes are rare, and this
      // way no entry outlives its record whatever placed it.
      this.store.remove(keys.item(this.sessionId, this.name, sid));
      this.store.remove(keys.order(this.sessionId, this.name, seq.seq));
    });
    return true;
  }

  /** Every record in insertion order (or newest first), lazily, optionally filtered. */
  *list(opts: ListOptions<T> = {}): Iterable<T> {
    for (const { value } of this.store.range<Stored<unknown> | string>({
      prefix: keys.orders(this.sessionId, this.name),
      reverse: opts.newestFirst,
    })) {
      const item = this.fromOrderEntry(value);
      if (item && (!opts.filter || opts.filter(item))) yield item;
    }
  }

  /** The first record that satisfies `pred`, in insertion order. */
  find(pred: (item: T) => boolean): T | undefined {
    for (const item of this.list({ filter: pred })) return item;
    return undefined;
  }

  /**
   * The first record (in insertion order) whose `field(record)` is `value`, from a map built once
   * and rebuilt only after this collection is written. Records come back frozen: they are shared
   * by every caller until the next write (copy one to change it).
   */
  lookup(name: string, field: (item: T) => string, value: string): Readonly<T> | undefined {
    let index = this.lookups.get(name);
    if (!index || index.version !== this.version) {
      const map = new Map<string, Readonly<T>>();
      for (const item of this.list()) {
        const k = field(item);
        if (!map.has(k)) map.set(k, deepFreeze(item));
      }
      index = { version: this.version, map };
      // Built inside a transaction that wrote here, it could hold writes that are then undone.
      const txn = this.store.transactionId();
      if (txn !== null && txn === this.writtenIn) return map.get(value);
      this.lookups.set(name, index);
    }
    return index.map.get(value);
  }

  /** Where `sid` lives (see {@link Place}), or undefined when it is not here. */
  private seqFor(sid: string): Place | undefined {
    // Remembered pairs come from the index or a checked SID, and are forgotten on delete.
    const known = this.seqCache.get(sid) ?? (this.recent?.sid === sid ? this.recent.seq : undefined);
    if (known !== undefined) return { seq: known, legacy: false };
    const carried = seqInSid(sid);
    if (carried !== null && this.store.get<Stored<unknown>>(keys.order(this.sessionId, this.name, carried))?.sid === sid) {
      return { seq: carried, legacy: false };
    }
    const index = this.store.get<IndexValue>(keys.item(this.sessionId, this.name, sid));
    if (index === undefined) return undefined;
    return typeof index === 'number' ? { seq: index, legacy: false } : { seq: index.seq, legacy: true };
  }

  /** The record an order entry holds, or names by SID (a string: earlier layout). */
  private fromOrderEntry(value: Stored<unknown> | string): T | undefined {
    return typeof value === 'string' ? this.get(value) : this.codec.decode(value.data);
  }

  /** Writes `record` at `seq`, as its codec's JSON when it writes one. */
  private putRecord(seq: number, record: T): void {
    const key = keys.order(this.sessionId, this.name, seq);
    if (this.codec.encodeJson) this.store.putJson(key, `{"sid":${JSON.stringify(record.sid)},"data":${this.codec.encodeJson(record)}}`);
    else this.store.put(key, { sid: record.sid, data: this.codec.encode(record) } satisfies Stored<unknown>);
  }

  private wrote(): void {
    this.version++;
    this.writtenIn = this.store.transactionId();
  }

  private nextSeq(): number {
    this.lastSeq = this.currentSeq() + 1;
    return this.lastSeq;
  }

  /** The last sequence number handed out (0 for an empty collection). */
  private currentSeq(): number {
    if (this.lastSeq === null) {
      // Collections written before the counter moved to memory kept it under a key; the last
      // order key tells the same for newer ones.
      const legacy = this.store.get<number>(keys.counter(this.sessionId, this.name)) ?? 0;
      let last = 0;
      for (const { key } of this.store.range<string>({ prefix: keys.orders(this.sessionId, this.name), reverse: true, limit: 1 })) last = seqOfKey(key);
      this.lastSeq = Math.max(legacy, Number.isFinite(last) ? last : 0);
    }
    return this.lastSeq;
  }

  private remember(sid: string, seq: number): void {
    if (this.seqCache.size >= SEQ_CACHE_LIMIT && !this.seqCache.has(sid)) this.seqCache.clear();
    this.seqCache.set(sid, seq);
  }
}

/** The sequence number an order key ends with. */
function seqOfKey(key: string): number {
  return Number(key.slice(key.lastIndexOf('\u001f') + 1));
}

/** `value` and everything in it made read-only. */
function deepFreeze<V>(value: V): V {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
