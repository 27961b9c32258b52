/**
 * A REST redirect of a live call (twilio-voice-and-more.md §1.3): `Url` (with `Method`) or `Twiml`
 * replaces what the call runs; `FallbackUrl` replaces its fallback; `StatusCallback` is honoured
 * only with `Url`. Validation mirrors create's (21205, 21209, 21400).
 */
import { twilioError } from '../errors';
import { one, type Params } from '../form';
import type { TwimlSource } from './interpreter-types';
import type { CallEngine } from './runner/engine';
import { updateRun } from './runner/run';
import { CALLS, type CallRecord, type HttpMethod } from './types';

const MAX_TWIML = 4000;

function url(params: Params, key: string): string | null {
  const value = one(params, key) || null;
  if (value === null) return null;
  let ok = false;
  try {
    ok = /^https?:$/.test(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw twilioError(21205, { param: key, url: value });
  return value;
}

function method(params: Params, key: string): HttpMethod {
  const raw = (one(params, key) || 'POST').toUpperCase();
  if (raw !== 'GET' && raw !== 'POST') throw twilioError(21209, { value: raw });
  return raw;
}

/** The new TwiML source of an update form. */
function sourceOf(params: Params): TwimlSource {
  const target = url(params, 'Url');
  if (target) return { kind: 'url', url: target, method: method(params, 'Method') };
  const xml = one(params, 'Twiml') ?? '';
  if (xml.length > MAX_TWIML) throw twilioError(21400, { param: 'Twiml', value: `longer than ${MAX_TWIML} characters` });
  return { kind: 'inline', xml };
}

/** Redirects in-progress `call` per the update form, at `now`. */
export function updateSource(engine: CallEngine, call: CallRecord, params: Params, now: number): void {
  const source = sourceOf(params);
  const fallbackUrl = url(params, 'FallbackUrl');
  const fallbackMethod = method(params, 'FallbackMethod');
  const statusCallback = source.kind === 'url' ? url(params, 'StatusCallback') : null;
  if (statusCallback) {
    const next = { ...call, statusCallback, statusCallbackMethod: method(params, 'StatusCallbackMethod'), dateUpdated: now };
    engine.session.collection<CallRecord>(CALLS).update(next);
  }
  if (fallbackUrl) updateRun(engine.session, call.sid, (r) => (r.interp ? { ...r, interp: { ...r.interp, fallback: { url: fallbackUrl, method: fallbackMethod } } } : r));
  engine.interpret(call.sid, { type: 'update', source }, now);
}
