/**
 * A session: one isolated emulated Twilio account with its credentials, clock, seed and state.
 * All data access goes through a session, which scopes every key to it.
 */
import { SessionClock, type ClockState, type TimeSource } from '../clock';
import type { Seed } from '../seeds/seed';
import { keys } from '../store/keys';
import type { Store } from '../store/store';
import { Collection, type RecordCodec } from './collection';
import { Ring } from './ring';

/** An API key of the session (`SK…` + secret; the secret itself is never persisted). */
export interface ApiKeyRecord {
  sid: string;
  secretHash: string;
  /** Set on keys made through the API (`POST /Keys.json`); the session's own key has none. */
  friendlyName?: string;
  dateCreated?: number;
  dateUpdated?: number;
  /** Made through the API: account state, gone when the session is reset. */
  created?: true;
  /** The session's own key, deleted through the API: it authenticates again after a reset. */
  revoked?: true;
}

/** What is persisted of a session. Secrets are stored only as hashes. */
export interface SessionRecord {
  id: string;
  accountSid: string;
  authTokenHash: string;
  /** The token was supplied by the user (not derived), so it is known only after it is presented. */
  tokenGiven: boolean;
  apiKeys: ApiKeyRecord[];
  /** The resolved seed, so a reset restores exactly what the session started with. */
  seed: Seed;
  clock: ClockState;
  createdAt: number;
}

/** How the collections that have one store their records, by collection name (see {@link RecordCodec}). */
export type Codecs = ReadonlyMap<string, RecordCodec<any>>;

const NO_CODECS: Codecs = new Map();

/** A live session. */
export class Session {
  readonly clock: SessionClock;
  private readonly collections = new Map<string, Collection<{ sid: string }>>();
  private readonly rings = new Map<string, Ring<{ sid: string }>>();

  constructor(
    readonly record: SessionRecord,
    private readonly store: Store,
    time: TimeSource,
    /** The auth token, known from start-up options, derivation, or the first authenticated request. */
    public authToken: string | null,
    private readonly codecs: Codecs = NO_CODECS,
  ) {
    this.clock = new SessionClock(time, record.clock);
  }

  get id(): string {
    return this.record.id;
  }

  get accountSid(): string {
    return this.record.accountSid;
  }

  get seed(): Seed {
    return this.record.seed;
  }

  /** The session's collection `name` of records of type T. */
  collection<T extends { sid: string }>(name: string): Collection<T> {
    let c = this.collections.get(name);
    if (!c) {
      c = new Collection(this.store, this.id, name, this.codecs.get(name));
      this.collections.set(name, c);
    }
    return c as unknown as Collection<T>;
  }

  /** The session's bounded log `name`, keeping its newest `limit` records. */
  ring<T extends { sid: string }>(name: string, limit: number): Ring<T> {
    let r = this.rings.get(name);
    if (!r) {
      r = new Ring(this.store, this.id, name, limit);
      this.rings.set(name, r);
    }
    return r as unknown as Ring<T>;
  }

  /** Runs `fn` atomically against the session's store. */
  transaction<R>(fn: () => R): R {
    return this.store.transaction(fn);
  }

  /** Removes every record of the collection `name` (a layout a module moved away from). */
  dropCollection(name: string): void {
    this.store.clearPrefix(keys.collectionAll(this.id, name));
    this.collections.delete(name);
  }

  /** Reads a small per-session value (limits' history, settings changed at run time). */
  getMeta<T>(name: string): T | undefined {
    return this.store.get<T>(keys.meta(this.id, name));
  }

  /** The names of the session's small values that start with `prefix`. */
  metaNames(prefix: string): string[] {
    const start = keys.meta(this.id, '');
    return [...this.store.range({ prefix: keys.meta(this.id, prefix) })].map((e) => e.key.slice(start.length));
  }

  /** Writes a small per-session value. */
  setMeta(name: string, value: unknown): void {
    this.store.put(keys.meta(this.id, name), value);
  }
}
