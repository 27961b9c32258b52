/**
 * Answering from the cassette while recording (`--record once` on an existing cassette, `new`,
 * `none`): the cassette server (src/cassette/serve.ts) — the same one replay uses — serves it,
 * with the run's state kept in memory. Nothing here goes upstream.
 *
 * The aliases bound while serving are what the recorder needs to append new interactions
 * consistently: a SID the app got from a served answer and then sends upstream is written as the
 * alias it was served for. SIDs the upstream created in this run never bind to an alias of the
 * old recording: they are other resources, and a request about them is forwarded, not served.
 */
import type { Miss } from '../cassette/explain';
import { Ledger } from '../cassette/match';
import { MemoryAliasMap, Timeline } from '../cassette/materialize';
import { CassetteServer, type ServedEntry, type ServeState } from '../cassette/serve';
import type { Cassette, Interaction, RecordedRequest } from '../cassette/types';

/** A SID, also inside a page token, as the tokenizer finds them. */
const SID = /(?<![A-Za-z0-9])(?:P[AB])?([A-Z]{2}[0-9a-f]{32})(?![0-9A-Za-z])/g;

/**
 * What one recording run has served. A SID the upstream created in this run reads as
 * `{XX#upstream}`, which no recorded alias matches, so a request about it misses (and is
 * forwarded) instead of binding to an unbound alias of the old recording.
 */
class RunState extends MemoryAliasMap implements ServeState {
  readonly ledger = new Ledger();
  readonly timeline = new Timeline();
  private readonly upstream = new Set<string>();

  override aliasOf(sid: string): string | undefined {
    return super.aliasOf(sid) ?? (this.upstream.has(sid) ? `{${sid.slice(0, 2)}#upstream}` : undefined);
  }

  markUsed(seq: number, offsetMs: number, at: number): void {
    this.ledger.markUsed(seq);
    this.timeline.pin(offsetMs, at);
  }

  markUpstream(sid: string): void {
    if (super.aliasOf(sid) === undefined) this.upstream.add(sid);
  }

  /** Real SID → alias, in order of binding. */
  bindings(): [string, string][] {
    return this.entries().map(([alias, sid]): [string, string] => [sid, alias]);
  }
}

/** A request to look up, as the recorder normalised and redacted it. */
export interface PlaybackRequest {
  identity: RecordedRequest;
  /** The account the request is for (Basic-auth username or the path's): `{AccountSid}` becomes it. */
  accountSid?: string;
  /** The mirror's origin when the app uses it as its base URL: API URLs in answers point back at it. */
  origin?: string;
}

/** Serves one cassette's recorded answers to a recording run. */
export class Playback {
  private readonly server: CassetteServer;
  private readonly state = new RunState();

  constructor(
    readonly cassette: Cassette,
    mint: (prefix: string) => string,
  ) {
    this.server = new CassetteServer(cassette, mint);
  }

  /** How many recorded entries were served (each counted once). */
  get served(): number {
    return this.state.ledger.size;
  }

  /** The recorded interactions not served (yet), in recorded order. */
  unused(): Interaction[] {
    return this.server.unused(this.state);
  }

  /** Real SID → alias of every SID bound while serving (for appending this run's recording). */
  bindings(): [string, string][] {
    return this.state.bindings();
  }

  /** Finds and materialises the recorded answer of a request at `now`; `explain` names the nearest entries on a miss. */
  lookup(req: PlaybackRequest, now: number, explain: boolean): { served: ServedEntry; miss?: undefined } | { miss: Miss; served?: undefined } {
    return this.server.serve({ identity: req.identity, accountSid: req.accountSid ?? '', now, origin: req.origin, explain }, this.state);
  }

  /** Notes the SIDs of an upstream answer: resources of this run, never an alias of the recording. */
  noteUpstream(text: string): void {
    for (const m of text.matchAll(SID)) this.state.markUpstream(m[1]);
  }
}
