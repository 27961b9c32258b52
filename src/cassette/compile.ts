/**
 * Turns a stored recording (exact times, real SIDs) into the deterministic {@link Cassette} of the
 * text form: interactions in sequence order and renumbered 1..n (a request still in flight when
 * the recorder died leaves no gap), SIDs aliased in order of first appearance, dates and times as
 * quantised offsets, callbacks attached to the interaction that configured their URL.
 *
 * A recording made with `--record new` is appended to the cassette it was served from: the old
 * interactions are kept as they are (order, seqs, bytes), the new ones follow with the next seqs,
 * their times counted on from the old recording's last instant, SIDs served from the old
 * recording written as the aliases they were served for, and new SIDs numbered after every alias
 * the old recording uses. So the same run appended to the same cassette gives the same bytes.
 */
import { quantise } from './dates';
import type { RawCallback, RawInteraction, RecordingMeta } from './raw';
import { Tokenizer } from './tokenize';
import type { Cassette, Interaction, MatchRules, RecordedCallback, RecordedResponse } from './types';

/** What a compiled cassette keeps from an earlier version of its file. */
export interface CompileOptions {
  /** Matching rules the user wrote into the committed file; kept across re-recordings. */
  match?: MatchRules;
  /** `--record new`: the cassette this recording is appended to. */
  extend?: {
    cassette: Cassette;
    /** Real SID → alias of the SIDs the run was served from `cassette`. */
    aliases?: Iterable<[string, string]>;
  };
}

/** The last instant of a cassette: its latest request or callback, as an offset from its start. */
export function lastOffset(cassette: Cassette): number {
  let last = 0;
  for (const i of cassette.interactions) last = Math.max(last, i.offsetMs, ...i.callbacks.map((c) => i.offsetMs + c.offsetMs));
  return last;
}

/** Every SID alias (`{XX#n}`) a cassette uses. */
export function aliasesIn(cassette: Cassette): Set<string> {
  return new Set(JSON.stringify(cassette.interactions).match(/\{[A-Z]{2}#\d+\}/g) ?? []);
}

/** Compiles a stored recording into a cassette. */
export function compileCassette(meta: RecordingMeta, raw: RawInteraction[], callbacks: RawCallback[], opts: CompileOptions = {}): Cassette {
  const base = opts.extend?.cassette;
  const interactions = [...raw].sort((a, b) => a.seq - b.seq);
  const accountSids = interactions.map((i) => i.accountSid).filter((s): s is string => !!s);
  const ends = [meta.startedAt, meta.stoppedAt ?? 0, ...interactions.map((i) => i.at + i.durationMs), ...callbacks.map((c) => c.at)];
  // Appended interactions continue the old recording's time line (a whole number of minutes).
  const origin = meta.startedAt - (base ? lastOffset(base) : 0);
  const firstSeq = base ? Math.max(0, ...base.interactions.map((i) => i.seq)) : 0;
  const tokenizer = new Tokenizer({
    accountSids,
    startMs: origin,
    endMs: Math.max(...ends),
    localOrigins: meta.localOrigins,
    aliases: opts.extend?.aliases,
    reserved: base ? aliasesIn(base) : undefined,
  });
  const bySeq = new Map<number, RawCallback[]>();
  for (const cb of [...callbacks].sort((a, b) => a.n - b.n)) {
    const list = bySeq.get(cb.seq);
    if (list) list.push(cb);
    else bySeq.set(cb.seq, [cb]);
  }

  const out: Interaction[] = interactions.map((i, index) => {
    const request = {
      method: i.request.method,
      product: i.request.product,
      path: tokenizer.string(i.request.path),
      query: tokenizer.pairs(i.request.query),
      form: tokenizer.pairs(i.request.form),
    };
    const interaction: Interaction = { seq: firstSeq + index + 1, offsetMs: quantise(i.at - origin), request, callbacks: [] };
    if (i.response) interaction.response = compileResponse(i.response, tokenizer);
    if (i.fault) interaction.fault = i.fault;
    interaction.callbacks = (bySeq.get(i.seq) ?? []).map(
      (cb): RecordedCallback => ({ offsetMs: quantise(cb.at - i.at), urlParam: cb.urlParam, params: tokenizer.pairs(cb.params, cb.at) }),
    );
    return interaction;
  });

  // An appended cassette keeps its callbacks mode: it says how the old interactions were recorded.
  const mode = base ? (base.callbacks ?? 'synthesised') : meta.publicUrl ? 'recorded' : 'synthesised';
  const cassette: Cassette = { version: 1, name: meta.name, callbacks: mode, interactions: base ? [...base.interactions, ...out] : out };
  const match = opts.match ?? base?.match;
  if (match) cassette.match = match;
  return cassette;
}

function compileResponse(res: RecordedResponse, tokenizer: Tokenizer): RecordedResponse {
  return {
    status: res.status,
    headers: { ...res.headers },
    body: typeof res.body === 'string' ? tokenizer.string(res.body) : tokenizer.value(res.body),
  };
}
