/**
 * Voice TwiML (docs/voice/twiml, twilio-voice-and-more.md §5): a `<Response>` read into typed,
 * defaulted {@link VoiceVerb}s. Twilio's rule for what is wrong but not fatal is to skip it and go
 * on, logging a warning: an unknown verb or attribute, wrong case or wrong nesting is 12200; a bad
 * attribute value is the verb's 13xxx warning and the default applies; a verb that cannot run
 * (`<Say>` without text, `<Enqueue>` without a queue) is skipped. Only a document failure (12100,
 * 12101, 12102, 11750) stops the whole document. Pure.
 *
 * LIMITATIONS: `<Message>` in a voice document is a 12200 warning by default — Twilio documents it
 * only for messaging (UNCONFIRMED); `messageVerb: 'sms'` runs it as `<Sms>` instead. `<Connect>`,
 * `<Start>`, `<Stop>`, `<Pay>`, `<Refer>` and `<Echo>` are parsed as {@link UnsupportedVerb}.
 */
import { alert, type TwimlIssue } from '../twiml/alerts';
import { readTwimlDocument } from '../twiml/document';
import { childElements, isElement, ownText, textContent, type XmlElement } from '../twiml/xml';
import { readAttrs } from './twiml-attrs';
import { parseDial } from './twiml-dial';
import type { EnqueueVerb, GatherVerb, PromptVerb, RecordVerb, SayVerb, SmsVerb, VoiceVerb } from './verbs';

/** A parsed voice document: the verbs to run and what was wrong. */
export type VoiceDocument =
  | { ok: true; verbs: VoiceVerb[]; issues: TwimlIssue[] }
  | { ok: false; issue: TwimlIssue };

/** How to read a voice document. */
export interface VoiceTwimlOptions {
  /** `<Message>` in a voice document: a 12200 warning (default) or run as `<Sms>` (§5.7, UNCONFIRMED). */
  messageVerb?: 'warn' | 'sms';
}

/** `loop="0"` repeats "until the call hangs up", which Twilio caps at 1,000 (§5.1). */
export const MAX_LOOP = 1000;
/** Longest `<Say>` text for basic voices (13521). */
const MAX_SAY_CHARS = 4096;
/** Real verbs mirra skips with a note instead of a warning. */
const UNSUPPORTED = new Set(['Connect', 'Start', 'Stop', 'Pay', 'Refer', 'Echo']);
/** SSML elements `<Say>` may hold (docs/voice/twiml/say/text-speech#ssml). */
const SSML = new Set(['break', 'emphasis', 'lang', 'p', 'phoneme', 'prosody', 's', 'say-as', 'sub', 'w', 'amazon:domain', 'amazon:effect']);
/** Voices: man, woman, alice, and Polly/Google voice names (13511). */
const VOICE = /^(man|woman|alice|(Polly|Google)\.[A-Za-z0-9_-]+)$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const DIGITS = /^[0-9#*wW]+$/;
const KEYS = '0123456789#*';

const loopOf = (n: number): number => (n === 0 ? MAX_LOOP : n);

/** Records why an element is skipped; returns null, the skipped verb. */
function skip(issues: TwimlIssue[], issue: TwimlIssue): null {
  issues.push(issue);
  return null;
}

function parseSay(el: XmlElement, issues: TwimlIssue[], nested: boolean): SayVerb | null {
  const a = readAttrs(el, ['voice', 'language', 'loop'], issues);
  for (const child of childElements(el)) {
    if (!SSML.has(child.name)) issues.push(alert(12200, `<${child.name}> is not allowed inside <Say>`));
  }
  let voice = a.str('voice') ?? 'man';
  if (!VOICE.test(voice)) {
    issues.push(alert(nested ? 13321 : 13511, `<Say voice="${voice}">`));
    voice = 'man';
  }
  let language = a.str('language') ?? 'en-US';
  if (!LANGUAGE.test(language)) {
    issues.push(alert(12200, `<Say language="${language}">`));
    language = 'en-US';
  }
  const loop = loopOf(a.int('loop', nested ? 13322 : 13510, 1, 0, MAX_LOOP));
  const text = textContent(el).replace(/\s+/g, ' ').trim();
  if (!text) {
    issues.push(alert(13520, '<Say> has no text'));
    return null;
  }
  if (text.length > MAX_SAY_CHARS) issues.push(alert(13521, `${text.length} characters`));
  return { verb: 'Say', text, voice, language, loop };
}

function parsePrompt(el: XmlElement, issues: TwimlIssue[], nested: boolean): PromptVerb | null {
  if (el.name === 'Say') return parseSay(el, issues, nested);
  if (el.name === 'Pause') {
    const a = readAttrs(el, ['length'], issues);
    return { verb: 'Pause', length: a.int('length', 13910, 1) };
  }
  const a = readAttrs(el, ['loop', 'digits'], issues);
  const loop = loopOf(a.int('loop', 13410, 1, 0, MAX_LOOP));
  let digits = a.str('digits');
  if (digits !== null && !DIGITS.test(digits)) {
    issues.push(alert(12200, `<Play digits="${digits}">`));
    digits = null;
  }
  const url = textContent(el).trim() || null;
  if (!url && !digits) {
    issues.push(alert(12200, '<Play> needs an audio URL or digits'));
    return null;
  }
  return { verb: 'Play', url: digits ? null : url, digits, loop };
}

function parseGather(el: XmlElement, issues: TwimlIssue[]): GatherVerb {
  const a = readAttrs(el, [
    'action', 'method', 'timeout', 'finishOnKey', 'numDigits', 'input', 'speechTimeout', 'speechModel', 'language', 'hints',
    'profanityFilter', 'partialResultCallback', 'partialResultCallbackMethod', 'actionOnEmptyResult', 'enhanced', 'bargeIn',
    'debug', 'maxSpeechTime', 'dtmfDetection',
  ], issues);
  const input = a.words('input', 13326, ['dtmf', 'speech'] as const, ['dtmf']);
  let finishOnKey = a.str('finishOnKey') ?? '#';
  if (finishOnKey.length > 1 || (finishOnKey && !KEYS.includes(finishOnKey))) {
    issues.push(alert(finishOnKey.length > 1 ? 13311 : 13310, `<Gather finishOnKey="${finishOnKey}">`));
    finishOnKey = '#';
  }
  const timeout = a.int('timeout', 13313, 5);
  const rawSpeechTimeout = a.str('speechTimeout');
  let speechTimeout: number | 'auto' = timeout;
  if (rawSpeechTimeout === 'auto') speechTimeout = 'auto';
  else if (rawSpeechTimeout !== null) speechTimeout = a.int('speechTimeout', 12200, timeout, 0);
  let language = a.str('language') ?? 'en-US';
  if (!LANGUAGE.test(language)) {
    issues.push(alert(13512, `<Gather language="${language}">`));
    language = 'en-US';
  }
  const prompt: PromptVerb[] = [];
  for (const child of el.children) {
    if (!isElement(child)) {
      if (child.text.trim()) issues.push(alert(12200, 'text is not allowed directly inside <Gather>'));
    } else if (child.name === 'Say' || child.name === 'Play' || child.name === 'Pause') {
      const verb = parsePrompt(child, issues, true);
      if (verb) prompt.push(verb);
    } else {
      issues.push(alert(13320, `<${child.name}> inside <Gather>`));
    }
  }
  return {
    verb: 'Gather',
    action: a.url('action'),
    method: a.method('method', 13312),
    input: { dtmf: input.includes('dtmf'), speech: input.includes('speech') },
    timeout,
    finishOnKey,
    numDigits: a.str('numDigits') === null ? null : a.int('numDigits', 13314, 0) || null,
    speechTimeout,
    language,
    actionOnEmptyResult: a.bool('actionOnEmptyResult', 12200, false),
    partialResultCallback: a.url('partialResultCallback'),
    partialResultCallbackMethod: a.method('partialResultCallbackMethod', 12200),
    prompt,
  };
}

function parseRecord(el: XmlElement, issues: TwimlIssue[]): RecordVerb {
  const a = readAttrs(el, [
    'action', 'method', 'timeout', 'finishOnKey', 'maxLength', 'playBeep', 'trim', 'recordingStatusCallback',
    'recordingStatusCallbackMethod', 'recordingStatusCallbackEvent', 'transcribe', 'transcribeCallback', 'storageUrl', 'storageUrlMethod',
  ], issues);
  let finishOnKey = a.str('finishOnKey') ?? '1234567890*#';
  if ([...finishOnKey].some((k) => !KEYS.includes(k))) {
    issues.push(alert(13613, `<Record finishOnKey="${finishOnKey}">`));
    finishOnKey = '1234567890*#';
  }
  const maxLength = a.int('maxLength', 13612, 3600);
  const transcribeCallback = a.url('transcribeCallback');
  // A transcribeCallback asks for a transcription too (docs/voice/twiml/record#transcribecallback).
  let transcribe = a.bool('transcribe', 13614, false) || transcribeCallback !== null;
  if (transcribe && maxLength > 120) {
    issues.push(alert(13615, `maxLength="${maxLength}": transcription is off above 120 seconds`));
    transcribe = false;
  }
  return {
    verb: 'Record',
    action: a.url('action'),
    method: a.method('method', 13610),
    timeout: a.int('timeout', 13611, 5, 0),
    finishOnKey,
    maxLength,
    playBeep: a.bool('playBeep', 13616, true),
    trim: a.oneOf('trim', 12200, ['trim-silence', 'do-not-trim'] as const, 'trim-silence'),
    transcribe,
    transcribeCallback,
    recordingStatusCallback: a.url('recordingStatusCallback'),
    recordingStatusCallbackMethod: a.method('recordingStatusCallbackMethod', 13610),
    recordingStatusCallbackEvents: a.words('recordingStatusCallbackEvent', 13621, ['in-progress', 'completed', 'absent'] as const, ['completed']),
  };
}

function parseEnqueue(el: XmlElement, issues: TwimlIssue[]): EnqueueVerb | null {
  const a = readAttrs(el, ['action', 'method', 'waitUrl', 'waitUrlMethod', 'workflowSid', 'maxQueueSize'], issues);
  const name = textContent(el).trim();
  // 14204/14205: a queue name is 1–64 characters (docs/voice/twiml/enqueue).
  if (!name && !a.str('workflowSid')) return skip(issues, alert(14204));
  if (name.length > 64) return skip(issues, alert(14205, `${name.length} characters`));
  return {
    verb: 'Enqueue',
    name,
    action: a.url('action'),
    method: a.method('method', 14201),
    waitUrl: a.url('waitUrl'),
    waitUrlMethod: a.method('waitUrlMethod', 14206),
    workflowSid: a.str('workflowSid'),
  };
}

function parseSms(el: XmlElement, issues: TwimlIssue[]): SmsVerb | null {
  const a = readAttrs(el, ['to', 'from', 'action', 'method', 'statusCallback'], issues);
  const method = a.method('method', 14104);
  const body = textContent(el).trim();
  if (!body) return skip(issues, alert(14103, `<${el.name}> has no body`));
  return { verb: 'Sms', to: a.str('to'), from: a.str('from'), body, action: a.url('action'), method, statusCallback: a.url('statusCallback') };
}

function noChildren(el: XmlElement, issues: TwimlIssue[]): void {
  if (el.children.some((c) => isElement(c) || c.text.trim())) issues.push(alert(12200, `<${el.name}> takes no content`));
}

function parseVerb(el: XmlElement, issues: TwimlIssue[], options: VoiceTwimlOptions): VoiceVerb | null {
  switch (el.name) {
    case 'Say':
    case 'Play':
    case 'Pause':
      if (el.name === 'Pause') noChildren(el, issues);
      return parsePrompt(el, issues, false);
    case 'Gather':
      return parseGather(el, issues);
    case 'Dial':
      return parseDial(el, issues);
    case 'Record':
      noChildren(el, issues);
      return parseRecord(el, issues);
    case 'Redirect': {
      const a = readAttrs(el, ['method'], issues);
      const url = ownText(el).trim();
      const method = a.method('method', 13710);
      if (!url) return skip(issues, alert(12200, '<Redirect> needs a URL'));
      return { verb: 'Redirect', url, method };
    }
    case 'Hangup':
    case 'Leave':
      readAttrs(el, [], issues);
      noChildren(el, issues);
      return { verb: el.name };
    case 'Reject': {
      const a = readAttrs(el, ['reason'], issues);
      noChildren(el, issues);
      return { verb: 'Reject', reason: a.oneOf('reason', 13810, ['rejected', 'busy'] as const, 'rejected') };
    }
    case 'Enqueue':
      return parseEnqueue(el, issues);
    case 'Sms':
      return parseSms(el, issues);
    case 'Message':
      if (options.messageVerb === 'sms') return parseSms(el, issues);
      return skip(issues, alert(12200, '<Message> is a messaging verb, not a voice verb'));
    default:
      if (UNSUPPORTED.has(el.name)) return { verb: 'Unsupported', name: el.name };
      // Verb names are case-sensitive: <say> is as unknown as <Speak> (errors/12200).
      return skip(issues, alert(12200, `unknown verb <${el.name}>`));
  }
}

/** Reads a voice TwiML document. */
export function parseVoiceTwiml(text: string, options: VoiceTwimlOptions = {}): VoiceDocument {
  const doc = readTwimlDocument(text);
  if (!doc.ok) return doc;
  const issues: TwimlIssue[] = [];
  const verbs: VoiceVerb[] = [];
  for (const child of doc.root.children) {
    if (!isElement(child)) {
      if (child.text.trim()) issues.push(alert(12200, 'text is not allowed directly inside <Response>'));
      continue;
    }
    const verb = parseVerb(child, issues, options);
    if (verb) verbs.push(verb);
  }
  return { ok: true, verbs, issues };
}
