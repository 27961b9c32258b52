/**
 * The store port of the generic engine: records by resource type, parent and key. Two
 * implementations: in memory (tests, tools), and over a session's collections (the mirror), one
 * collection per resource type, so generic records live in the session's key space like every
 * hand-built resource's and a reset or a restart treats them alike.
 */
import type { Collection } from '../../session/collection';
import type { Session } from '../../session/session';

/** One stored instance of a resource type. */
export interface GenericRecord {
  /** Instance key within (type, parent): a SID, a natural key (identity, phone number, index), or '' for a singleton. */
  key: string;
  /** Canonical values of the ancestor path parameters, joined by '/' ('' at the top). */
  parent: string;
  /** Concrete instance path (`/v1/Conversations/CH…`, `/2010-04-01/Accounts/AC…/Queues/QU….json`); '' for none. */
  path: string;
  /** Canonical path parameters by snake_case name (`conversation_sid`), for link placeholders. */
  params: Record<string, string>;
  /** Properties by response name (snake_case); date-times as epoch milliseconds. */
  data: Record<string, unknown>;
  /** A deleted instance of a kind that otherwise exists implicitly (singletons, computed resources). */
  deleted?: true;
}

/** Records by resource type (a schema name such as `conversations.v1.conversation`). */
export interface GenericStore {
  get(type: string, parent: string, key: string): GenericRecord | undefined;
  /** Inserts or replaces; a replaced record keeps its place in list order. */
  put(type: string, record: GenericRecord): void;
  /** Removes a record; whether it existed. */
  delete(type: string, parent: string, key: string): boolean;
  /** The records under `parent`, oldest first. */
  list(type: string, parent: string): Iterable<GenericRecord>;
  /** The records under every parent, oldest first (scans: the inspector, webhooks' lookups). */
  all(type: string): Iterable<GenericRecord>;
}

/**
 * What the engine needs of the world, built whole by the caller: the account it acts for, the
 * time, new SIDs, and the store. The lead's wiring builds it from a session (`session.clock.now`,
 * `newSid` of src/twilio/sid.ts, {@link sessionGenericStore}).
 */
export interface GenericScope {
  /** The account the request acts for: `account_sid` of new records, the only `{AccountSid}` of 2010 paths (besides subaccounts). */
  readonly accountSid: string;
  /** Epoch milliseconds (the session's virtual clock). */
  now(): number;
  /** A fresh SID with this two-letter prefix ('' for a bare 32-hex id). */
  newSid(prefix: string): string;
  readonly store: GenericStore;
  /**
   * The session the request acts in, for hand-built overrides (webhooks, Messages, API keys).
   * The engine never reads it; in-memory scopes (tests, tools) have none.
   */
  readonly session?: Session;
  /**
   * True when a hand-built resource keeps an instance of this type with this key (a Verify
   * Service, a Message): it exists for the engine as the parent of the operations it does not
   * serve itself (`/v2/Services/VA…/Entities`). Absent: only the engine's own records exist.
   */
  readonly handBuilt?: (type: string, key: string) => boolean;
}

/** Where hand-built resources keep their instances, by the engine's type name (`verify.v2.service`). */
export type HandBuiltInstances = Readonly<Record<string, (session: Session, key: string) => boolean>>;

/** Storage id of a record within its type: parent and key joined by U+001E (neither contains it). */
function storageId(parent: string, key: string): string {
  return `${parent}\u001e${key}`;
}

/** A store in memory (tests, tools). Insertion order is list order, as in a session collection. */
export class MemoryGenericStore implements GenericStore {
  private readonly types = new Map<string, Map<string, GenericRecord>>();

  get(type: string, parent: string, key: string): GenericRecord | undefined {
    return this.types.get(type)?.get(storageId(parent, key));
  }

  put(type: string, record: GenericRecord): void {
    let records = this.types.get(type);
    if (!records) this.types.set(type, (records = new Map()));
    records.set(storageId(record.parent, record.key), record);
  }

  delete(type: string, parent: string, key: string): boolean {
    return this.types.get(type)?.delete(storageId(parent, key)) ?? false;
  }

  *list(type: string, parent: string): Iterable<GenericRecord> {
    for (const record of this.types.get(type)?.values() ?? []) if (record.parent === parent) yield record;
  }

  *all(type: string): Iterable<GenericRecord> {
    yield* this.types.get(type)?.values() ?? [];
  }
}

/** A generic record as a session collection holds it (`sid` is the storage id). */
interface StoredRecord extends GenericRecord {
  sid: string;
}

/** What {@link sessionGenericStore} needs of a session: its collections by name. */
export interface CollectionSource {
  collection<T extends { sid: string }>(name: string): Collection<T>;
}

/**
 * The store over a session: collection `generic:<type>` per resource type. A list scans the
 * type's collection (its records under every parent) and keeps those under `parent`.
 */
export function sessionGenericStore(session: CollectionSource): GenericStore {
  const collection = (type: string) => session.collection<StoredRecord>(`generic:${type}`);
  const strip = (stored: StoredRecord | undefined): GenericRecord | undefined => {
    if (!stored) return undefined;
    const { sid: _sid, ...record } = stored;
    return record;
  };
  return {
    get: (type, parent, key) => strip(collection(type).get(storageId(parent, key))),
    put: (type, record) => void collection(type).update({ ...record, sid: storageId(record.parent, record.key) }),
    delete: (type, parent, key) => collection(type).delete(storageId(parent, key)),
    *list(type, parent) {
      for (const stored of collection(type).list({ filter: (r) => r.parent === parent })) yield strip(stored)!;
    },
    *all(type) {
      for (const stored of collection(type).list()) yield strip(stored)!;
    },
  };
}
