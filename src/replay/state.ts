/**
 * What one session has done with a cassette: the ledger of entries served and the alias bindings
 * (`{SM#1}` ↔ the session's SID), both persisted under the session's keys so a restarted mirror
 * resumes the replay, and both gone with a session reset. The cassette itself is never touched.
 */
import { MemoryAliasMap, Timeline } from '../cassette/materialize';
import { Ledger } from '../cassette/match';
import type { Miss } from '../cassette/explain';
import type { Session } from '../session/session';
import { keys } from '../store/keys';
import type { Store } from '../store/store';

/** How many recent misses a session keeps for the control plane. */
const MISS_LOG = 50;

/** A ledger entry as stored: the entry, the session instant it was first served at, and its recorded offset. */
interface UsedEntry {
  seq: number;
  at: number;
  /** Absent in entries of earlier versions: then read from the cassette. */
  offsetMs?: number;
}

/** The recorded offset of an entry of the cassette (undefined when it has no such entry). */
export type OffsetOf = (seq: number) => number | undefined;

/** The replay state of one session for one cassette. */
export class SessionReplayState extends MemoryAliasMap {
  readonly ledger: Ledger;
  /** Where the recording's instants fall on this session's clock. */
  readonly timeline = new Timeline();
  /** Recent requests that matched nothing (newest last). */
  readonly misses: Miss[] = [];
  /** Requests that fell through or failed, in total. */
  missCount = 0;
  /** Recorded callbacks fired again (since this mirror started). */
  callbacks = 0;

  constructor(
    private readonly store: Store,
    private readonly sessionId: string,
    private readonly cassette: string,
    offsetOf: OffsetOf,
  ) {
    const prefix = keys.replayAliases(sessionId, cassette);
    super([...store.range<string>({ prefix })].map(({ key, value }): [string, string] => [key.slice(prefix.length), value]));
    const used: number[] = [];
    for (const { value } of store.range<UsedEntry>({ prefix: keys.replayUsedAll(sessionId, cassette) })) {
      used.push(value.seq);
      // Stored with the entry: resuming a long replay reads no interaction of a large cassette.
      const offset = value.offsetMs ?? offsetOf(value.seq);
      if (offset !== undefined) this.timeline.pin(offset, value.at);
    }
    this.ledger = new Ledger(used);
  }

  /** Binds `alias` to a session SID, persisted. */
  override bind(alias: string, sid: string): void {
    if (this.sidOf(alias) === sid) return;
    super.bind(alias, sid);
    // The constructor's bindings come from the store; only new ones are written (the store exists by then).
    if (this.store) this.store.put(keys.replayAlias(this.sessionId, this.cassette, alias), sid);
  }

  /** Records that entry `seq`, recorded at `offsetMs`, was served to this session at instant `at`. */
  markUsed(seq: number, offsetMs: number, at: number): void {
    this.ledger.markUsed(seq);
    this.timeline.pin(offsetMs, at);
    const entry: UsedEntry = { seq, at, offsetMs };
    this.store.put(keys.replayUsed(this.sessionId, this.cassette, seq), entry);
  }

  /** Notes a request that matched nothing. */
  noteMiss(miss: Miss): void {
    this.missCount++;
    this.misses.push(miss);
    if (this.misses.length > MISS_LOG) this.misses.shift();
  }
}

/**
 * The replay states of a mirror's sessions, one per live session object: a reset session is a new
 * object whose persisted state was cleared, so it starts the cassette afresh.
 */
export class ReplayStates {
  private readonly states = new WeakMap<Session, SessionReplayState>();

  constructor(
    private readonly store: Store,
    private readonly cassette: string,
    private readonly offsetOf: OffsetOf,
  ) {}

  /** The state of `session` (loaded from the store on first use). */
  of(session: Session): SessionReplayState {
    let state = this.states.get(session);
    if (!state) {
      state = new SessionReplayState(this.store, session.id, this.cassette, this.offsetOf);
      this.states.set(session, state);
    }
    return state;
  }
}
