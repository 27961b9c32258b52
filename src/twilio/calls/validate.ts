/**
 * Validating `POST /Calls.json` (twilio-voice-and-more.md §1.1, §1.2; spec `CreateCall`) into a
 * normalised create input, or Twilio's error. Pure: what it needs to know about the account comes
 * in through {@link CreateCallContext}. Test-credential magic numbers (docs/iam/test-credentials)
 * decide their outcome as they do for Messages: `From` +15005550001 → 21212, +15005550006 passes,
 * `To` +15005550001/2/3/4 → 21217/21214/21215/21216.
 */
import { twilioError, type TwilioErrorCode } from '../errors';
import { bool, many, one, type Params } from '../form';
import { toE164 } from '../phone';
import { invalidCallFrom, urlRequired } from './param-errors';
import { CALL_EVENTS, type CallEvent, type HttpMethod, type MachineDetection } from './types';

/** A TwiML app's voice settings (`ApplicationSid`), which replace the request's own (§1.1). */
export interface VoiceApplication {
  voiceUrl: string | null;
  voiceMethod: HttpMethod;
  voiceFallbackUrl: string | null;
  voiceFallbackMethod: HttpMethod;
  statusCallback: string | null;
  statusCallbackMethod: HttpMethod;
}

/** What validation needs to know about the account. */
export interface CreateCallContext {
  /** True when `from` is one of the account's numbers or a verified caller ID (else 21210). */
  ownsCallerId(from: string): boolean;
  /** The app `sid` names, or null when the account has none such (21218). */
  application(sid: string): VoiceApplication | null;
  /** Refuse `localhost`/loopback URLs as Twilio does (21205). Off by default: a mirror's apps run locally. */
  rejectLocalUrls?: boolean;
}

/** A create request, validated and defaulted. */
export interface CallCreateInput {
  to: string;
  toKind: 'number' | 'client' | 'sip';
  from: string;
  /** Where the TwiML comes from: a URL fetched on answer, or the inline `Twiml` (no document URL). */
  twiml: { kind: 'url'; url: string; method: HttpMethod } | { kind: 'inline'; xml: string };
  fallback: { url: string; method: HttpMethod } | null;
  statusCallback: string | null;
  statusCallbackMethod: HttpMethod;
  /** Empty when `StatusCallbackEvent` held a bad value: 201 anyway, but no callbacks (21626). */
  statusCallbackEvents: CallEvent[];
  /** Seconds to ring before `no-answer` (§1.1: default 60, at most 600). */
  timeout: number;
  sendDigits: string | null;
  record: boolean;
  machineDetection: MachineDetection | null;
  timeLimit: number;
  applicationSid: string | null;
}

const MAGIC_FROM: Record<string, 'invalid'> = { '+15005550001': 'invalid' };
const MAGIC_VALID_FROM = '+15005550006';
const MAGIC_TO: Record<string, TwilioErrorCode> = { '+15005550001': 21217, '+15005550002': 21214, '+15005550003': 21215, '+15005550004': 21216 };
/** `Twiml` is limited to 4,000 characters (§1.1). */
const MAX_TWIML = 4000;
const SEND_DIGITS = /^[0-9#*wW]{1,32}$/;

function isLocalHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host) || host === '0.0.0.0';
}

/** An `http(s)` URL (a local one refused when `ctx` says so), else 21205 naming `param`. */
export function checkUrl(value: string, param: string, ctx: Pick<CreateCallContext, 'rejectLocalUrls'>): string {
  let ok = false;
  try {
    const u = new URL(value);
    ok = (u.protocol === 'http:' || u.protocol === 'https:') && !(ctx.rejectLocalUrls && isLocalHost(u.hostname));
  } catch {
    ok = false;
  }
  if (!ok) throw twilioError(21205, { param, url: value });
  return value;
}

/** `GET`/`POST` (any case), POST when absent; else 21209. */
export function methodOf(params: Params, key: string): HttpMethod {
  const raw = one(params, key);
  if (raw === undefined || raw === '') return 'POST';
  const m = raw.toUpperCase();
  if (m !== 'GET' && m !== 'POST') throw twilioError(21209, { value: raw });
  return m;
}

/** A whole number, `fallback` when absent; else `code`. */
export function intOf(params: Params, key: string, fallback: number, code: 21208 | 21400): number {
  const raw = one(params, key);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw twilioError(code, { value: raw, param: key });
  return Number(raw);
}

/** `StatusCallbackEvent` as repeated params or one space-separated value; null when any is bad (21626). */
export function eventsOf(params: Params): CallEvent[] | null {
  const raw = many(params, 'StatusCallbackEvent');
  if (raw.length === 0) return ['completed'];
  const words = raw.flatMap((v) => v.split(' ')).filter(Boolean);
  if (!words.every((w) => (CALL_EVENTS as readonly string[]).includes(w))) return null;
  return [...new Set(words)] as CallEvent[];
}

function machineDetectionOf(params: Params, ctx: CreateCallContext): MachineDetection | null {
  const mode = one(params, 'MachineDetection');
  if (!mode) return null;
  if (mode !== 'Enable' && mode !== 'DetectMessageEnd') throw twilioError(21234, { param: `MachineDetection=${mode}` });
  const timeoutSec = intOf(params, 'MachineDetectionTimeout', 30, 21400);
  if (timeoutSec < 3 || timeoutSec > 59) throw twilioError(21234, { param: `MachineDetectionTimeout=${timeoutSec}` });
  const asyncAmd = (one(params, 'AsyncAmd') ?? '').toLowerCase() === 'true';
  const url = one(params, 'AsyncAmdStatusCallback') || null;
  return {
    mode,
    timeoutSec,
    asyncCallback: asyncAmd ? { url: url ? checkUrl(url, 'AsyncAmdStatusCallback', ctx) : null, method: methodOf(params, 'AsyncAmdStatusCallbackMethod') } : null,
  };
}

/** The kind of a `To`: a phone number, `client:identity` or a SIP URI. */
function targetKind(to: string): 'number' | 'client' | 'sip' {
  if (/^client:/i.test(to)) return 'client';
  if (/^sips?:/i.test(to)) return 'sip';
  return 'number';
}

/** Who calls whom: `To` and `From` (or `CallerId`) checked as a create checks them, before the caller ID's ownership. */
export function readParties(params: Params): Pick<CallCreateInput, 'to' | 'toKind' | 'from'> {
  const rawTo = one(params, 'To')?.trim();
  if (!rawTo) throw twilioError(21201);
  const rawFrom = (one(params, 'From') ?? one(params, 'CallerId'))?.trim();
  if (!rawFrom) throw twilioError(21213);
  const toKind = targetKind(rawTo);
  const to = toKind === 'number' ? toE164(rawTo) : rawTo;
  if (!to) throw twilioError(21211, { to: rawTo });
  // To a client or SIP target, From may be any caller name (§1.1); to a phone it must be a number.
  const from = toE164(rawFrom) ?? (toKind !== 'number' || /^client:/i.test(rawFrom) ? rawFrom : null);
  if (!from) throw invalidCallFrom(rawFrom);
  if (MAGIC_FROM[from]) throw invalidCallFrom(from);
  if (MAGIC_TO[to]) throw twilioError(MAGIC_TO[to], { to });
  // A number calling itself (errors/21211: "a call from a Twilio number to itself"; UNCONFIRMED in general).
  if (to === from) throw twilioError(21211, { to });
  return { to, toKind, from };
}

/** 21210 unless a call to a phone may show `from`: a number of the account, a verified caller ID, or the magic +15005550006. */
export function checkCallerId(parties: Pick<CallCreateInput, 'toKind' | 'from'>, ctx: Pick<CreateCallContext, 'ownsCallerId'>): void {
  if (parties.toKind === 'number' && parties.from !== MAGIC_VALID_FROM && !ctx.ownsCallerId(parties.from)) throw twilioError(21210, { from: parties.from });
}

/** Validates a create form; throws the Twilio error a real create would answer. */
export function validateCreate(params: Params, ctx: CreateCallContext): CallCreateInput {
  const { to, toKind, from } = readParties(params);

  const applicationSid = one(params, 'ApplicationSid') || null;
  const app = applicationSid ? ctx.application(applicationSid) : null;
  if (applicationSid && !app) throw twilioError(21218);
  const url = app ? app.voiceUrl : one(params, 'Url') || null;
  const inline = one(params, 'Twiml') || null;
  let twiml: CallCreateInput['twiml'];
  // `Twiml` is ignored when `Url` is also given (§1.1).
  if (url) twiml = { kind: 'url', url: checkUrl(url, 'Url', ctx), method: app ? app.voiceMethod : methodOf(params, 'Method') };
  else if (inline && !app) {
    if (inline.length > MAX_TWIML) throw twilioError(21400, { param: 'Twiml', value: `longer than ${MAX_TWIML} characters` });
    twiml = { kind: 'inline', xml: inline };
  } else throw urlRequired();

  const fallbackUrl = app ? app.voiceFallbackUrl : one(params, 'FallbackUrl') || null;
  const fallbackMethod = app ? app.voiceFallbackMethod : methodOf(params, 'FallbackMethod');
  const statusCallback = app ? app.statusCallback : one(params, 'StatusCallback') || null;
  const statusCallbackMethod = app ? app.statusCallbackMethod : methodOf(params, 'StatusCallbackMethod');
  const timeout = Math.min(600, intOf(params, 'Timeout', 60, 21208));
  const sendDigits = one(params, 'SendDigits') || null;
  if (sendDigits !== null && !SEND_DIGITS.test(sendDigits)) throw twilioError(21206, { value: sendDigits });
  // SendDigits and MachineDetection cannot be combined; the digits win (§1.1).
  const machineDetection = sendDigits ? null : machineDetectionOf(params, ctx);

  checkCallerId({ toKind, from }, ctx);
  return {
    to,
    toKind,
    from,
    twiml,
    fallback: fallbackUrl ? { url: checkUrl(fallbackUrl, 'FallbackUrl', ctx), method: fallbackMethod } : null,
    statusCallback: statusCallback ? checkUrl(statusCallback, 'StatusCallback', ctx) : null,
    statusCallbackMethod,
    statusCallbackEvents: eventsOf(params) ?? [],
    timeout,
    sendDigits,
    record: bool(params, 'Record', false),
    machineDetection,
    timeLimit: intOf(params, 'TimeLimit', 14_400, 21400),
    applicationSid,
  };
}
