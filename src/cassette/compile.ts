/**
 * Turns a stored recording (exact times, real SIDs) into the deterministic {@link Cassette} of the
 * text form: interactions in sequence order and renumbered 1..n (a request still in flight when
 * the recorder died leaves no gap), SIDs aliased in order of first appearance, dates and times as
 * quantised offsets, callbacks attached to the interaction that configured their URL.
 */
import { quantise } from './dates';
import type { RawCallback, RawInteraction, RecordingMeta } from './raw';
import { Tokenizer } from './tokenize';
import type { Cassette, Interaction, MatchRules, RecordedCallback, RecordedResponse } from './types';

/** What a compiled cassette keeps from an earlier version of its file. */
export interface CompileOptions {
  /** Matching rules the user wrote into the committed file; kept across re-recordings. */
  match?: MatchRules;
}

/** Compiles a stored recording into a cassette. */
export function compileCassette(meta: RecordingMeta, raw: RawInteraction[], callbacks: RawCallback[], opts: CompileOptions = {}): Cassette {
  const interactions = [...raw].sort((a, b) => a.seq - b.seq);
  const accountSids = interactions.map((i) => i.accountSid).filter((s): s is string => !!s);
  const ends = [meta.startedAt, meta.stoppedAt ?? 0, ...interactions.map((i) => i.at + i.durationMs), ...callbacks.map((c) => c.at)];
  const tokenizer = new Tokenizer({
    accountSids,
    startMs: meta.startedAt,
    endMs: Math.max(...ends),
    localOrigins: meta.localOrigins,
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
    const interaction: Interaction = { seq: index + 1, offsetMs: quantise(i.at - meta.startedAt), request, callbacks: [] };
    if (i.response) interaction.response = compileResponse(i.response, tokenizer);
    if (i.fault) interaction.fault = i.fault;
    interaction.callbacks = (bySeq.get(i.seq) ?? []).map(
      (cb): RecordedCallback => ({ offsetMs: quantise(cb.at - i.at), urlParam: cb.urlParam, params: tokenizer.pairs(cb.params) }),
    );
    return interaction;
  });

  const cassette: Cassette = { version: 1, name: meta.name, callbacks: meta.publicUrl ? 'recorded' : 'synthesised', interactions: out };
  if (opts.match) cassette.match = opts.match;
  return cassette;
}

function compileResponse(res: RecordedResponse, tokenizer: Tokenizer): RecordedResponse {
  return {
    status: res.status,
    headers: { ...res.headers },
    body: typeof res.body === 'string' ? tokenizer.string(res.body) : tokenizer.value(res.body),
  };
}
