/**
 * `<Dial>` and its nouns (docs/voice/twiml/dial, /number, /client, /sip, /conference, /queue;
 * twilio-voice-and-more.md §5.4, §7). A bare number as the body is a `<Number>`. Bad values are
 * the Dial warnings 13210–13243; a noun that cannot be dialled is skipped, and a `<Dial>` left
 * with nothing to dial is skipped as a whole (13223: "the `<Number>` noun … is not present").
 */
import { alert, type TwimlAlertCode, type TwimlIssue } from '../twiml/alerts';
import { childElements, ownText, textContent, type XmlElement } from '../twiml/xml';
import { toE164 } from '../phone';
import { readAttrs, type AttrReader } from './twiml-attrs';
import type { DialRecordMode, DialTarget, DialVerb, LegSettings } from './verbs';

const DIAL_ATTRS = [
  'action', 'method', 'timeout', 'hangupOnStar', 'timeLimit', 'callerId', 'record', 'trim', 'recordingStatusCallback',
  'recordingStatusCallbackMethod', 'recordingStatusCallbackEvent', 'recordingTrack', 'answerOnBridge', 'ringTone', 'sequential',
  'callReason', 'referUrl', 'referMethod', 'events',
];
const LEG_ATTRS = ['url', 'method', 'statusCallback', 'statusCallbackEvent', 'statusCallbackMethod'];
const AMD_ATTRS = [
  'machineDetection', 'machineDetectionTimeout', 'machineDetectionSpeechThreshold', 'machineDetectionSpeechEndThreshold',
  'machineDetectionSilenceTimeout', 'amdStatusCallback', 'amdStatusCallbackMethod',
];
const NUMBER_ATTRS = [...LEG_ATTRS, ...AMD_ATTRS, 'sendDigits', 'byoc'];
const CLIENT_ATTRS = [...LEG_ATTRS];
const SIP_ATTRS = [...LEG_ATTRS, ...AMD_ATTRS, 'username', 'password', 'sendDigits'];
const CONFERENCE_ATTRS = [
  'muted', 'beep', 'startConferenceOnEnter', 'endConferenceOnExit', 'waitUrl', 'waitMethod', 'maxParticipants', 'record', 'region',
  'trim', 'coach', 'participantLabel', 'jitterBufferSize', 'statusCallback', 'statusCallbackMethod', 'statusCallbackEvent',
  'recordingStatusCallback', 'recordingStatusCallbackMethod', 'recordingStatusCallbackEvent', 'eventCallbackUrl',
];
const QUEUE_ATTRS = ['url', 'method', 'reservationSid', 'postWorkActivitySid'];

const RECORD_MODES: readonly string[] = [
  'do-not-record', 'record-from-answer', 'record-from-ringing', 'record-from-answer-dual', 'record-from-ringing-dual', 'true', 'false',
];
const RECORDING_EVENTS = ['in-progress', 'completed', 'absent'] as const;
const CONFERENCE_EVENTS = ['start', 'end', 'join', 'leave', 'mute', 'hold', 'modify', 'speaker', 'announcement'] as const;
/** `sendDigits`: digits, `#`, `*`, and `w` (wait 0.5 s); 32 at most like the REST `SendDigits`. */
const SEND_DIGITS = /^[0-9#*wW]{1,32}$/;

function sendDigitsOf(a: AttrReader, el: XmlElement, code: TwimlAlertCode, issues: TwimlIssue[]): string | null {
  const v = a.str('sendDigits');
  if (v === null) return null;
  if (SEND_DIGITS.test(v)) return v;
  issues.push(alert(code, `<${el.name} sendDigits="${v}">`));
  return null;
}

function legOf(a: AttrReader, methodCode: TwimlAlertCode): LegSettings {
  return {
    url: a.url('url'),
    method: a.method('method', methodCode),
    statusCallback: a.url('statusCallback'),
    statusCallbackMethod: a.method('statusCallbackMethod', methodCode),
    statusCallbackEvents: a.events('statusCallbackEvent', 12200),
  };
}

function numberTarget(raw: string, el: XmlElement | null, issues: TwimlIssue[]): DialTarget | null {
  const a = readAttrs(el ?? { name: 'Number', attrs: {}, children: [] }, NUMBER_ATTRS, issues);
  const number = toE164(raw);
  if (!number) {
    issues.push(alert(13223, `"${raw.trim()}" is not a phone number in E.164 format`));
    return null;
  }
  return { kind: 'number', number, sendDigits: el ? sendDigitsOf(a, el, 13222, issues) : null, ...legOf(a, 13221) };
}

function clientTarget(el: XmlElement, issues: TwimlIssue[]): DialTarget | null {
  const a = readAttrs(el, CLIENT_ATTRS, issues);
  let identity = ownText(el).trim();
  const parameters: Record<string, string> = {};
  for (const child of childElements(el)) {
    if (child.name === 'Identity') identity = textContent(child).trim();
    else if (child.name === 'Parameter' && child.attrs.name) parameters[child.attrs.name] = child.attrs.value ?? '';
    else issues.push(alert(12200, `<${child.name}> is not allowed inside <Client>`));
  }
  if (!identity) {
    issues.push(alert(12200, '<Client> needs an identity'));
    return null;
  }
  return { kind: 'client', identity, parameters, ...legOf(a, 12200) };
}

function sipTarget(el: XmlElement, issues: TwimlIssue[]): DialTarget | null {
  const a = readAttrs(el, SIP_ATTRS, issues);
  const uri = textContent(el).trim();
  if (!/^sips?:[^@\s]+@[^@\s]+$/i.test(uri)) {
    issues.push(alert(13243, `"${uri}"`));
    return null;
  }
  return { kind: 'sip', uri, username: a.str('username'), password: a.str('password'), sendDigits: sendDigitsOf(a, el, 13242, issues), ...legOf(a, 13241) };
}

function conferenceTarget(el: XmlElement, issues: TwimlIssue[]): DialTarget | null {
  const a = readAttrs(el, CONFERENCE_ATTRS, issues);
  const name = textContent(el).trim();
  if (!name) {
    issues.push(alert(13237, '<Conference> needs a name'));
    return null;
  }
  return {
    kind: 'conference',
    name,
    muted: a.bool('muted', 13230, false),
    beep: a.oneOf('beep', 13235, ['true', 'false', 'onEnter', 'onExit'] as const, 'true'),
    startConferenceOnEnter: a.bool('startConferenceOnEnter', 13232, true),
    endConferenceOnExit: a.bool('endConferenceOnExit', 13231, false),
    waitUrl: a.str('waitUrl'),
    waitMethod: a.method('waitMethod', 13234),
    maxParticipants: a.int('maxParticipants', 12200, 250, 2, 250),
    statusCallback: a.url('statusCallback'),
    statusCallbackMethod: a.method('statusCallbackMethod', 12200),
    statusCallbackEvents: a.words('statusCallbackEvent', 12200, CONFERENCE_EVENTS, []),
    record: a.oneOf('record', 12200, ['do-not-record', 'record-from-start'] as const, 'do-not-record') === 'record-from-start',
    recordingStatusCallback: a.url('recordingStatusCallback'),
    recordingStatusCallbackMethod: a.method('recordingStatusCallbackMethod', 12200),
    recordingStatusCallbackEvents: a.words('recordingStatusCallbackEvent', 12200, [...RECORDING_EVENTS, 'failed'] as const, ['completed']),
    participantLabel: a.str('participantLabel'),
  };
}

function queueTarget(el: XmlElement, issues: TwimlIssue[]): DialTarget | null {
  const a = readAttrs(el, QUEUE_ATTRS, issues);
  const name = textContent(el).trim();
  if (!name) {
    issues.push(alert(12200, '<Queue> needs a queue name'));
    return null;
  }
  return { kind: 'queue', name, url: a.url('url'), method: a.method('method', 12200) };
}

function targetOf(el: XmlElement, issues: TwimlIssue[]): DialTarget | null {
  switch (el.name) {
    case 'Number':
      return numberTarget(textContent(el), el, issues);
    case 'Client':
      return clientTarget(el, issues);
    case 'Sip':
      return sipTarget(el, issues);
    case 'Conference':
      return conferenceTarget(el, issues);
    case 'Queue':
      return queueTarget(el, issues);
    default:
      issues.push(alert(13215, `<${el.name}> cannot be dialled`));
      return null;
  }
}

/** Parses a `<Dial>`; null when it has nothing to dial (then skipped, as Twilio does). */
export function parseDial(el: XmlElement, issues: TwimlIssue[]): DialVerb | null {
  const a = readAttrs(el, DIAL_ATTRS, issues);
  const nouns = childElements(el);
  const text = ownText(el).trim();
  const targets: DialTarget[] = [];
  if (nouns.length === 0) {
    const bare = text ? numberTarget(text, null, issues) : null;
    if (bare) targets.push(bare);
  } else {
    if (text) issues.push(alert(13215, `text "${text}" next to nouns in <Dial>`));
    for (const noun of nouns) {
      const target = targetOf(noun, issues);
      if (target) targets.push(target);
    }
  }
  const record = a.oneOf('record', 13217, RECORD_MODES, 'do-not-record');
  const dial: DialVerb = {
    verb: 'Dial',
    action: a.url('action'),
    method: a.method('method', 13210),
    // Twilio accepts 5–600 s and quietly keeps other whole numbers inside that range (§5.4).
    timeout: Math.min(600, Math.max(5, a.int('timeout', 13212, 30))),
    hangupOnStar: a.bool('hangupOnStar', 13213, false),
    timeLimit: a.int('timeLimit', 13216, 14_400),
    callerId: a.url('callerId'),
    record: (record === 'true' ? 'record-from-answer' : record === 'false' ? 'do-not-record' : record) as DialRecordMode,
    trim: a.oneOf('trim', 12200, ['trim-silence', 'do-not-trim'] as const, 'do-not-trim'),
    answerOnBridge: a.bool('answerOnBridge', 13219, false),
    sequential: a.bool('sequential', 13218, false),
    recordingStatusCallback: a.url('recordingStatusCallback'),
    recordingStatusCallbackMethod: a.method('recordingStatusCallbackMethod', 13210),
    recordingStatusCallbackEvents: a.words('recordingStatusCallbackEvent', 12200, RECORDING_EVENTS, ['completed']),
    targets,
  };
  if (targets.length === 0) {
    if (nouns.length === 0 && !text) issues.push(alert(13223, '<Dial> has no number or noun to dial'));
    return null;
  }
  return dial;
}
