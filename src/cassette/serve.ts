/**
 * Serving a cassette: the one module behind both replay (`mirra replay`, `--cassette`) and
 * record-time playback (`mirra record --record once|new|none`). A request, normalised and
 * redacted, is aliased with the listener's bindings, matched (pure: ./match.ts), and the entry's
 * answer materialised — the listener's AccountSid, one SID per alias, dates on its clock.
 *
 * What a listener has served lives in its {@link ServeState} (a replay session persists it; a
 * recording run keeps it in memory); the cassette itself is never touched. The caller wraps
 * `serve` in a store transaction when its state persists.
 */
import { MirraError } from '../errors';
import type { Miss } from './explain';
import { faultAnswer } from './faults';
import { buildIndex, findEntry, type CassetteIndex, type Ledger } from './match';
import { aliasIdentity, materialize, type AliasMap, type MaterializeContext, type Timeline } from './materialize';
import type { Cassette, Interaction, RecordedRequest } from './types';

/** What one listener has served of a cassette: its ledger, alias bindings and timeline. */
export interface ServeState extends AliasMap {
  readonly ledger: Ledger;
  readonly timeline: Timeline;
  /** Records that entry `seq` (recorded at `offsetMs`) was first served at instant `at`. */
  markUsed(seq: number, offsetMs: number, at: number): void;
}

/** A request to serve. */
export interface ServeRequest {
  /** The request, normalised and redacted (not aliased). */
  identity: RecordedRequest;
  /** The listener's account: `{AccountSid}` becomes it. */
  accountSid: string;
  /** The listener's now (the served entry's recorded instant is pinned to it). */
  now: number;
  /** Point Twilio API URLs in answers at this origin (base-URL clients follow absolute URLs). */
  origin?: string;
  /** Name the nearest entries on a miss (only when the miss is answered, not when it falls through). */
  explain: boolean;
  /** Finds a pre-existing resource for an unbound alias (replay: the resources' hooks). */
  resolve?: MaterializeContext['resolve'];
}

/** A served entry: the interaction and its answer, materialised. */
export interface ServedEntry {
  interaction: Interaction;
  /** True when every matching entry was used already and a read got the last answer again. */
  repeat: boolean;
  status: number;
  headers: Record<string, string>;
  /** The answer's body: JSON, text, or undefined for none. */
  body: unknown;
  /** False for an answer the recorder made up for an upstream fault (nothing to apply to state). */
  recorded: boolean;
}

/** What {@link CassetteServer.serve} found. */
export type ServeResult = { served: ServedEntry; miss?: undefined } | { miss: Miss; served?: undefined };

/**
 * A cassette ready to serve: its match index and its interactions, held in memory
 * ({@link servableInMemory}) or read from an on-disk index a lookup at a time (./index-store.ts).
 */
export interface ServableCassette {
  readonly name: string;
  /** How the recording treated callbacks (see {@link Cassette.callbacks}). */
  readonly callbacks: Cassette['callbacks'];
  readonly index: CassetteIndex;
  /** The interaction numbered `seq`, if the cassette has one. */
  interaction(seq: number): Interaction | undefined;
  /** True when the cassette has an interaction numbered `seq`. */
  has(seq: number): boolean;
  /** Every seq, in recorded order (lazily). */
  seqs(): Iterable<number>;
}

/** A parsed cassette, served from memory. Throws MIRRA_ERR_INVALID_CASSETTE when a seq appears twice. */
export function servableInMemory(cassette: Cassette): ServableCassette {
  const bySeq = new Map<number, Interaction>();
  for (const i of cassette.interactions) {
    if (bySeq.has(i.seq)) throw new MirraError('MIRRA_ERR_INVALID_CASSETTE', `${cassette.name}: seq ${i.seq} appears twice`);
    bySeq.set(i.seq, i);
  }
  const ordered = [...bySeq.keys()].sort((a, b) => a - b);
  return {
    name: cassette.name,
    callbacks: cassette.callbacks,
    index: buildIndex(cassette),
    interaction: (seq) => bySeq.get(seq),
    has: (seq) => bySeq.has(seq),
    seqs: () => ordered,
  };
}

function isServable(c: Cassette | ServableCassette): c is ServableCassette {
  return 'index' in c && typeof (c as ServableCassette).interaction === 'function';
}

/** Serves one cassette to any number of listeners. */
export class CassetteServer {
  readonly index: CassetteIndex;
  readonly cassette: ServableCassette;

  /** `mint` makes a fresh SID with a prefix (the caller's SID source). */
  constructor(
    cassette: Cassette | ServableCassette,
    private readonly mint: (prefix: string) => string,
  ) {
    this.cassette = isServable(cassette) ? cassette : servableInMemory(cassette);
    this.index = this.cassette.index;
  }

  /** The interaction numbered `seq`, if the cassette has one. */
  interaction(seq: number): Interaction | undefined {
    return this.cassette.interaction(seq);
  }

  /** Finds the entry for a request and materialises its answer for the listener, or explains the miss. */
  serve(req: ServeRequest, state: ServeState): ServeResult {
    const identity = aliasIdentity(req.identity, req.accountSid, state);
    const result = findEntry(this.index, identity, state.ledger, state, { explain: req.explain });
    if (result.miss) return { miss: result.miss };
    const { entry, bindings, repeat } = result.hit;
    const interaction = this.cassette.interaction(entry.seq)!;
    for (const b of bindings) state.bind(b.alias, b.sid);
    if (!repeat) state.markUsed(entry.seq, interaction.offsetMs, req.now);
    if (!interaction.response) {
      // A recorded fault is answered as the recorder answered the app then (502/504, Twilio-shaped).
      const fault = faultAnswer(interaction.fault ?? 'reset');
      return { served: { interaction, repeat, status: fault.status, headers: fault.headers, body: fault.body, recorded: false } };
    }
    const ctx: MaterializeContext = {
      accountSid: req.accountSid,
      aliases: state,
      instant: (ms) => state.timeline.instant(ms, [interaction.offsetMs, req.now]),
      mint: this.mint,
      resolve: req.resolve,
      origin: req.origin,
    };
    const { status, headers } = interaction.response;
    return { served: { interaction, repeat, status, headers: { ...headers }, body: materialize(interaction.response.body, ctx), recorded: true } };
  }

  /** The interactions `state` has not served (the first `limit` of them), in recorded order. */
  unused(state: Pick<ServeState, 'ledger'>, limit = Infinity): Interaction[] {
    const out: Interaction[] = [];
    for (const seq of this.cassette.seqs()) {
      if (out.length >= limit) break;
      if (!state.ledger.isUsed(seq)) out.push(this.cassette.interaction(seq)!);
    }
    return out;
  }

  /** How many interactions `state` has not served. */
  unusedCount(state: Pick<ServeState, 'ledger'>): number {
    let used = 0;
    for (const seq of state.ledger.seqs()) if (this.cassette.has(seq)) used++;
    return this.index.size - used;
  }
}
