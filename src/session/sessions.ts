/**
 * The sessions of a mirror: each an isolated emulated account. Sessions persist in the store and
 * are found by id, by AccountSid, or by API key SID.
 */
import { initialClockState, type TimeSource } from '../clock';
import { MirraError } from '../errors';
import type { ApiKeys, NewApiKey } from '../core/ports';
import type { Seed } from '../seeds/seed';
import { keys } from '../store/keys';
import type { Store } from '../store/store';
import { newId, newSid, SID_PREFIX } from '../twilio/sid';
import { deriveApiKeySecret, deriveAuthToken, hashSecret } from './secrets';
import { Session, type Codecs, type SessionRecord } from './session';

/** What creating a session takes. */
export interface CreateSessionInput {
  id?: string;
  accountSid?: string;
  /** A token to use instead of a generated one (held in memory only). */
  authToken?: string;
  seed: Seed;
}

/** Life-cycle hooks of the owner (loading seeds, arming schedulers). */
export interface SessionHooks {
  /** A session's data was just created or reset: apply its seed. */
  seeded(session: Session): void;
  /** A session is live (created, loaded at start-up, or reset). */
  attached(session: Session): void;
  /** A session is going away. */
  detached(sessionId: string): void;
}

/** All sessions of a mirror (and, as {@link ApiKeys}, the API keys their accounts make). */
export class SessionManager implements ApiKeys {
  private readonly byId = new Map<string, Session>();
  private readonly byAccount = new Map<string, Session>();
  private readonly byKey = new Map<string, Session>();
  /** The auth token last verified for each live session, so a request does not hash it again. */
  private readonly verified = new WeakMap<Session, string>();

  constructor(
    private readonly store: Store,
    private readonly time: TimeSource,
    private readonly instanceKey: Buffer,
    private readonly hooks: SessionHooks,
    /** How collections store their records, by name (filled by the resource modules before sessions load). */
    private readonly codecs: Codecs = new Map(),
  ) {}

  /** Loads every persisted session. */
  loadAll(): void {
    for (const { value } of this.store.range<SessionRecord>({ prefix: keys.sessions() })) {
      const session = this.instantiate(value, null);
      this.hooks.attached(session);
    }
  }

  /** Creates (and seeds) a session. */
  create(input: CreateSessionInput): Session {
    const id = input.id ?? newId(6);
    if (this.byId.has(id)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', `session ${id} exists`);
    const accountSid = input.accountSid ?? newSid(SID_PREFIX.account);
    if (this.byAccount.has(accountSid)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', `account ${accountSid} is already served by another session`);
    const token = input.authToken ?? deriveAuthToken(this.instanceKey, id);
    const keySid = newSid(SID_PREFIX.apiKey);
    const record: SessionRecord = {
      id,
      accountSid,
      authTokenHash: hashSecret(token),
      tokenGiven: input.authToken !== undefined,
      apiKeys: [{ sid: keySid, secretHash: hashSecret(deriveApiKeySecret(this.instanceKey, keySid)) }],
      seed: input.seed,
      clock: { ...initialClockState(), frozenAt: input.seed.clock?.frozen ? this.time.now() : null },
      createdAt: this.time.now(),
    };
    this.store.put(keys.session(id), record);
    const session = this.instantiate(record, token);
    try {
      this.hooks.seeded(session);
    } catch (err) {
      // A seed a module rejects leaves no half-made session behind.
      this.store.transaction(() => {
        this.store.clearPrefix(keys.sessionData(id));
        this.store.remove(keys.session(id));
      });
      this.forget(session);
      throw err;
    }
    this.hooks.attached(session);
    return session;
  }

  get(id: string): Session | undefined {
    return this.byId.get(id);
  }

  /** The session with this id, or mirra's 404. */
  require(id: string): Session {
    const s = this.byId.get(id);
    if (!s) throw new MirraError('MIRRA_ERR_UNKNOWN_SESSION', id);
    return s;
  }

  byAccountSid(accountSid: string): Session | undefined {
    return this.byAccount.get(accountSid);
  }

  byApiKey(keySid: string): Session | undefined {
    return this.byKey.get(keySid);
  }

  list(): Session[] {
    return [...this.byId.values()];
  }

  /** Checks Basic-auth credentials against a session; learns a user-given token on first use. */
  authenticate(session: Session, username: string, password: string): boolean {
    if (username === session.accountSid) {
      if (password === this.verified.get(session)) return true;
      if (hashSecret(password) !== session.record.authTokenHash) return false;
      session.authToken ??= password;
      this.verified.set(session, password);
      return true;
    }
    const key = session.record.apiKeys.find((k) => k.sid === username);
    return key !== undefined && !key.revoked && hashSecret(password) === key.secretHash;
  }

  /** Adds an API key made through the API: it authenticates from now on (until a reset). */
  addApiKey(session: Session, key: NewApiKey): void {
    session.record.apiKeys.push({ sid: key.sid, secretHash: hashSecret(key.secret), friendlyName: key.friendlyName, dateCreated: key.at, dateUpdated: key.at, created: true });
    this.byKey.set(key.sid, session);
    this.save(session);
  }

  renameApiKey(session: Session, sid: string, friendlyName: string, at: number): boolean {
    const key = session.record.apiKeys.find((k) => k.sid === sid && !k.revoked);
    if (!key) return false;
    Object.assign(key, { friendlyName, dateUpdated: at, dateCreated: key.dateCreated ?? session.record.createdAt });
    this.save(session);
    return true;
  }

  removeApiKey(session: Session, sid: string): boolean {
    const key = session.record.apiKeys.find((k) => k.sid === sid && !k.revoked);
    if (!key) return false;
    if (key.created) {
      session.record.apiKeys = session.record.apiKeys.filter((k) => k !== key);
      this.byKey.delete(sid);
    } else {
      key.revoked = true; // the session's own key: restored by a reset, as the seed made it
    }
    this.save(session);
    return true;
  }

  /** The secret of a generated API key (for `mirra env` and the control plane). */
  apiKeySecret(keySid: string): string {
    return deriveApiKeySecret(this.instanceKey, keySid);
  }

  /** Removes a session and all its data. */
  remove(id: string): void {
    const session = this.require(id);
    this.hooks.detached(id);
    this.store.transaction(() => {
      this.store.clearPrefix(keys.sessionData(id));
      this.store.remove(keys.session(id));
    });
    this.forget(session);
  }

  /** Returns a session to its seed: data, clock and schedule start over. */
  reset(id: string): Session {
    const session = this.require(id);
    this.hooks.detached(id);
    this.store.clearPrefix(keys.sessionData(id));
    const record: SessionRecord = {
      ...session.record,
      // Keys made through the API are the account's state, like its messages.
      apiKeys: session.record.apiKeys.filter((k) => !k.created).map(({ revoked: _revoked, ...k }) => k),
      clock: { ...initialClockState(), frozenAt: session.seed.clock?.frozen ? this.time.now() : null },
    };
    this.store.put(keys.session(id), record);
    this.forget(session);
    const fresh = this.instantiate(record, session.authToken);
    this.hooks.seeded(fresh);
    this.hooks.attached(fresh);
    return fresh;
  }

  /** Persists a session's record after a change (clock moves, token hash updates). */
  save(session: Session): void {
    session.record.clock = session.clock.snapshot();
    this.store.put(keys.session(session.id), session.record);
  }

  private instantiate(record: SessionRecord, token: string | null): Session {
    const known = token ?? (record.tokenGiven ? null : deriveAuthToken(this.instanceKey, record.id));
    const session = new Session(record, this.store, this.time, known, this.codecs);
    this.byId.set(record.id, session);
    this.byAccount.set(record.accountSid, session);
    for (const k of record.apiKeys) this.byKey.set(k.sid, session);
    return session;
  }

  private forget(session: Session): void {
    this.byId.delete(session.id);
    this.byAccount.delete(session.accountSid);
    for (const k of session.record.apiKeys) this.byKey.delete(k.sid);
  }
}
