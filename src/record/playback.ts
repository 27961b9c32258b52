/**
 * Answering from the cassette while recording (`--record once` on an existing cassette, `new`,
 * `none`): the replay matcher (src/cassette/match.ts) finds the entry, a ledger kept apart from the
 * cassette serves repeats in recorded order, and the recorded answer is materialised for the app —
 * its own AccountSid, one SID minted per alias and reused, dates shifted to now — the way replay
 * materialises for a session (src/cassette/materialize.ts). Nothing here goes upstream.
 *
 * The aliases bound while serving are what the recorder needs to append new interactions
 * consistently: a SID the app got from a served answer and then sends upstream is written as the
 * alias it was served for. SIDs the upstream created in this run never bind to an alias of the
 * old recording: they are other resources, and a request about them is forwarded, not served.
 */
import type { TimeSource } from '../clock';
import type { Miss } from '../cassette/explain';
import { faultAnswer } from '../cassette/faults';
import { aliasIdentity, materialize, Timeline, type AliasMap, type MaterializeContext } from '../cassette/materialize';
import { buildIndex, findEntry, Ledger, type CassetteIndex } from '../cassette/match';
import type { Cassette, Interaction, RecordedRequest } from '../cassette/types';
import { newSid } from '../twilio/sid';
import { twilioJson } from '../twilio/wire';

/** A recorded answer, ready to send. */
export interface PlaybackAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What {@link Playback.lookup} found: the answer (and the entry it came from), or the miss. */
export type PlaybackResult = { seq: number; answer: PlaybackAnswer; miss?: undefined } | { miss: Miss; seq?: undefined; answer?: undefined };

/** A request to look up, as the recorder normalised and redacted it. */
export interface PlaybackRequest {
  identity: RecordedRequest;
  /** The account the request is for (Basic-auth username or the path's): `{AccountSid}` becomes it. */
  accountSid?: string;
  /** The recorder's origin when the app uses it as its base URL: Twilio API URLs in answers point back at it. */
  origin?: string;
}

/** A SID, also inside a page token, as the tokenizer finds them. */
const SID = /(?<![A-Za-z0-9])(?:P[AB])?([A-Z]{2}[0-9a-f]{32})(?![0-9A-Za-z])/g;

/**
 * The run's alias bindings. A SID the upstream created in this run reads as `{XX#upstream}`, which
 * no recorded alias matches, so a request about it misses (and is forwarded) instead of binding
 * to an unbound alias of the old recording.
 */
class RunAliases implements AliasMap {
  private readonly sids = new Map<string, string>();
  private readonly aliases = new Map<string, string>();
  private readonly upstream = new Set<string>();

  isBound(alias: string): boolean {
    return this.sids.has(alias);
  }

  sidOf(alias: string): string | undefined {
    return this.sids.get(alias);
  }

  aliasOf(sid: string): string | undefined {
    return this.aliases.get(sid) ?? (this.upstream.has(sid) ? `{${sid.slice(0, 2)}#upstream}` : undefined);
  }

  bind(alias: string, sid: string): void {
    this.sids.set(alias, sid);
    this.aliases.set(sid, alias);
  }

  markUpstream(sid: string): void {
    if (!this.aliases.has(sid)) this.upstream.add(sid);
  }

  /** Real SID → alias, in order of binding. */
  bindings(): [string, string][] {
    return [...this.aliases];
  }
}

/** Serves one cassette's recorded answers to a recording run. */
export class Playback {
  readonly index: CassetteIndex;
  private readonly ledger = new Ledger();
  private readonly aliases = new RunAliases();
  private readonly timeline = new Timeline();
  private readonly bySeq = new Map<number, Interaction>();

  constructor(
    readonly cassette: Cassette,
    private readonly time: TimeSource,
  ) {
    this.index = buildIndex(cassette);
    for (const i of cassette.interactions) this.bySeq.set(i.seq, i);
  }

  /** How many recorded entries were served (each counted once). */
  get served(): number {
    return this.ledger.size;
  }

  /** The recorded interactions not served (yet), in recorded order. */
  unused(): Interaction[] {
    return this.cassette.interactions.filter((i) => !this.ledger.isUsed(i.seq));
  }

  /** Real SID → alias of every SID bound while serving (for appending this run's recording). */
  bindings(): [string, string][] {
    return this.aliases.bindings();
  }

  /** Finds and materialises the recorded answer of a request; `explain` names the nearest entries on a miss. */
  lookup(req: PlaybackRequest, explain: boolean): PlaybackResult {
    const account = req.accountSid ?? '';
    const identity = aliasIdentity(req.identity, account, this.aliases);
    const result = findEntry(this.index, identity, this.ledger, this.aliases, { explain });
    if (result.miss) return { miss: result.miss };
    const { entry, bindings, repeat } = result.hit;
    const interaction = this.bySeq.get(entry.seq)!;
    const now = this.time.now();
    for (const b of bindings) this.aliases.bind(b.alias, b.sid);
    if (!repeat) {
      this.ledger.markUsed(entry.seq);
      this.timeline.pin(interaction.offsetMs, now);
    }
    const ctx: MaterializeContext = {
      accountSid: account,
      aliases: this.aliases,
      instant: (ms) => this.timeline.instant(ms, [interaction.offsetMs, now]),
      mint: newSid,
      origin: req.origin,
    };
    return { seq: entry.seq, answer: this.answerOf(interaction, ctx) };
  }

  /** Notes the SIDs of an upstream answer: resources of this run, never an alias of the recording. */
  noteUpstream(text: string): void {
    for (const m of text.matchAll(SID)) this.aliases.markUpstream(m[1]);
  }

  private answerOf(interaction: Interaction, ctx: MaterializeContext): PlaybackAnswer {
    if (!interaction.response) {
      // A recorded fault is answered as the recorder answered the app then (502/504, Twilio-shaped).
      const fault = faultAnswer(interaction.fault ?? 'reset');
      return { status: fault.status, headers: fault.headers, body: Buffer.from(JSON.stringify(fault.body)) };
    }
    const { status, headers } = interaction.response;
    const body = materialize(interaction.response.body, ctx);
    const out: Record<string, string> = { ...headers };
    if (body === undefined || body === null || body === '' || status === 204) return { status, headers: out, body: Buffer.alloc(0) };
    if (typeof body === 'string') return { status, headers: out, body: Buffer.from(body, 'utf8') };
    out['content-type'] ??= 'application/json; charset=utf-8';
    return { status, headers: out, body: Buffer.from(twilioJson(body), 'utf8') };
  }
}
