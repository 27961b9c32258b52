/**
 * Voice TwiML parsing: documents built with the real SDK's VoiceResponse read into typed verbs with
 * Twilio's defaults; what Twilio warns about (12200, 13xxx) is reported and skipped; document
 * failures (12100, 12102) stop everything.
 */
import twilio from 'twilio';
import { parseVoiceTwiml, type VoiceDocument } from '../../src/twilio/calls/twiml';
import type { DialVerb, GatherVerb, RecordVerb, VoiceVerb } from '../../src/twilio/calls/verbs';

const { VoiceResponse } = twilio.twiml;

function verbsOf(doc: VoiceDocument): VoiceVerb[] {
  if (!doc.ok) throw new Error(`not ok: ${doc.issue.message}`);
  return doc.verbs;
}

function codesOf(xml: string): number[] {
  const doc = parseVoiceTwiml(xml);
  return doc.ok ? doc.issues.map((i) => i.code) : [doc.issue.code];
}

describe('parseVoiceTwiml', () => {
  it('reads an SDK-built IVR with Twilio’s defaults', () => {
    const vr = new VoiceResponse();
    const gather = vr.gather({ action: '/menu', numDigits: 1, timeout: 3 });
    gather.say({ voice: 'Polly.Joanna', language: 'en-GB' }, 'Press 1 for sales.');
    gather.pause({ length: 2 });
    gather.play({ loop: 2 }, 'https://example.com/beep.mp3');
    vr.say('We did not get that.');
    vr.redirect({ method: 'GET' }, '/start');
    const doc = parseVoiceTwiml(vr.toString());
    expect(doc).toMatchObject({ ok: true, issues: [] });
    const [g, say, redirect] = verbsOf(doc);
    expect(g).toEqual<GatherVerb>({
      verb: 'Gather', action: '/menu', method: 'POST', input: { dtmf: true, speech: false }, timeout: 3, finishOnKey: '#', numDigits: 1,
      speechTimeout: 3, language: 'en-US', actionOnEmptyResult: false, partialResultCallback: null, partialResultCallbackMethod: 'POST',
      prompt: [
        { verb: 'Say', text: 'Press 1 for sales.', voice: 'Polly.Joanna', language: 'en-GB', loop: 1 },
        { verb: 'Pause', length: 2 },
        { verb: 'Play', url: 'https://example.com/beep.mp3', digits: null, loop: 2 },
      ],
    });
    expect(say).toEqual({ verb: 'Say', text: 'We did not get that.', voice: 'man', language: 'en-US', loop: 1 });
    expect(redirect).toEqual({ verb: 'Redirect', url: '/start', method: 'GET' });
  });

  it('reads <Dial> with its nouns and defaults, and a bare number', () => {
    const vr = new VoiceResponse();
    const dial = vr.dial({ action: '/after', callerId: '+15005550006', timeout: 2, record: 'record-from-answer-dual', hangupOnStar: true });
    dial.number({ sendDigits: 'ww123', statusCallback: '/leg', statusCallbackEvent: ['initiated', 'answered'], url: '/whisper' }, '+14155550100');
    dial.client({}, 'alice');
    dial.sip({ username: 'u', password: 'p' }, 'sip:bob@example.com');
    vr.dial('415-555-0101');
    const [d1, d2] = verbsOf(parseVoiceTwiml(vr.toString())) as DialVerb[];
    expect(d1).toMatchObject({
      verb: 'Dial', action: '/after', method: 'POST', timeout: 5, callerId: '+15005550006', record: 'record-from-answer-dual', hangupOnStar: true,
      timeLimit: 14400, answerOnBridge: false, sequential: false, trim: 'do-not-trim', recordingStatusCallbackEvents: ['completed'],
    });
    expect(d1.targets).toEqual([
      { kind: 'number', number: '+14155550100', sendDigits: 'ww123', url: '/whisper', method: 'POST', statusCallback: '/leg', statusCallbackMethod: 'POST', statusCallbackEvents: ['initiated', 'answered'] },
      { kind: 'client', identity: 'alice', parameters: {}, url: null, method: 'POST', statusCallback: null, statusCallbackMethod: 'POST', statusCallbackEvents: ['completed'] },
      expect.objectContaining({ kind: 'sip', uri: 'sip:bob@example.com', username: 'u', password: 'p' }),
    ]);
    expect(d2).toMatchObject({ action: null, timeout: 30, record: 'do-not-record', targets: [{ kind: 'number', number: '+14155550101' }] });
    const conf = verbsOf(parseVoiceTwiml('<Response><Dial record="true"><Conference beep="onEnter" endConferenceOnExit="true">room</Conference></Dial></Response>'));
    expect(conf[0]).toMatchObject({ record: 'record-from-answer', targets: [{ kind: 'conference', name: 'room', beep: 'onEnter', endConferenceOnExit: true, startConferenceOnEnter: true, maxParticipants: 250 }] });
  });

  it('reads <Record>, <Reject>, <Hangup>, <Pause>, <Enqueue>, <Leave>, <Sms> and notes unsupported verbs', () => {
    const vr = new VoiceResponse();
    vr.record({ action: '/rec', maxLength: 30, transcribe: true, playBeep: false });
    vr.reject({ reason: 'busy' });
    vr.hangup();
    vr.pause();
    vr.enqueue({ waitUrl: '/hold' }, 'support');
    vr.leave();
    vr.sms({ to: '+14155550100' }, 'Thanks for calling');
    vr.connect().stream({ url: 'wss://example.com' });
    const verbs = verbsOf(parseVoiceTwiml(vr.toString()));
    expect(verbs[0]).toEqual<RecordVerb>({
      verb: 'Record', action: '/rec', method: 'POST', timeout: 5, finishOnKey: '1234567890*#', maxLength: 30, playBeep: false, trim: 'trim-silence',
      transcribe: true, transcribeCallback: null, recordingStatusCallback: null, recordingStatusCallbackMethod: 'POST', recordingStatusCallbackEvents: ['completed'],
    });
    expect(verbs.slice(1)).toEqual([
      { verb: 'Reject', reason: 'busy' },
      { verb: 'Hangup' },
      { verb: 'Pause', length: 1 },
      { verb: 'Enqueue', name: 'support', action: null, method: 'POST', waitUrl: '/hold', waitUrlMethod: 'POST', workflowSid: null },
      { verb: 'Leave' },
      { verb: 'Sms', to: '+14155550100', from: null, body: 'Thanks for calling', action: null, method: 'POST', statusCallback: null },
      { verb: 'Unsupported', name: 'Connect' },
    ]);
  });

  it('reduces SSML in <Say> to its text and maps loop="0" to 1000', () => {
    const vr = new VoiceResponse();
    const say = vr.say({ loop: 0 }, 'Hello');
    say.emphasis({ level: 'strong' }, 'there');
    say.break({ time: '1s' });
    const [s] = verbsOf(parseVoiceTwiml(vr.toString()));
    expect(s).toMatchObject({ verb: 'Say', text: 'Hellothere', loop: 1000 });
  });

  it('warns and skips what Twilio skips (12200), keeping the rest', () => {
    const doc = parseVoiceTwiml('<Response>stray<say>lower</say><Speak>x</Speak><Say bogus="1">ok</Say><Message>sms?</Message><Hangup>x</Hangup></Response>');
    expect(doc.ok && doc.issues.map((i) => [i.code, i.message])).toEqual([
      [12200, 'Schema validation warning: text is not allowed directly inside <Response>'],
      [12200, 'Schema validation warning: unknown verb <say>'],
      [12200, 'Schema validation warning: unknown verb <Speak>'],
      [12200, 'Schema validation warning: attribute "bogus" is not allowed on <Say>'],
      [12200, 'Schema validation warning: <Message> is a messaging verb, not a voice verb'],
      [12200, 'Schema validation warning: <Hangup> takes no content'],
    ]);
    expect(verbsOf(doc).map((v) => v.verb)).toEqual(['Say', 'Hangup']);
    expect(verbsOf(parseVoiceTwiml('<Response><Message>hi</Message></Response>', { messageVerb: 'sms' }))).toEqual([
      { verb: 'Sms', to: null, from: null, body: 'hi', action: null, method: 'POST', statusCallback: null },
    ]);
  });

  it('reports bad attribute values with the verb’s own code and applies the default', () => {
    const cases: [string, number[]][] = [
      ['<Say loop="x">a</Say>', [13510]],
      ['<Say voice="robot">a</Say>', [13511]],
      ['<Say> </Say>', [13520]],
      ['<Play loop="-1">u</Play>', [13410]],
      ['<Pause length="0"/>', [13910]],
      ['<Gather timeout="soon" numDigits="0" finishOnKey="x" method="PUT" input="touch"/>', [13326, 13310, 13313, 13312, 13314]],
      ['<Gather finishOnKey="##"/>', [13311]],
      ['<Gather><Say voice="x" loop="y">a</Say><Hangup/></Gather>', [13321, 13322, 13320]],
      ['<Dial method="PUT" timeout="x" hangupOnStar="maybe" timeLimit="0" record="yes">+14155550100</Dial>', [13212, 13217, 13210, 13213, 13216]],
      ['<Dial><Say>no</Say><Number>12</Number><Sip>bob</Sip></Dial>', [13215, 13223, 13243]],
      ['<Dial><Number method="PUT" sendDigits="abc">+14155550100</Number></Dial>', [13222, 13221]],
      ['<Record method="PUT" timeout="x" maxLength="0" finishOnKey="a" playBeep="no" transcribe="maybe"/>', [13613, 13612, 13614, 13610, 13611, 13616]],
      ['<Record transcribe="true"/>', [13615]],
      ['<Redirect method="PUT">/x</Redirect>', [13710]],
      ['<Reject reason="nope"/>', [13810]],
      ['<Enqueue method="PUT" waitUrlMethod="PUT">q</Enqueue>', [14201, 14206]],
      ['<Enqueue></Enqueue>', [14204]],
      [`<Enqueue>${'q'.repeat(65)}</Enqueue>`, [14205]],
      ['<Sms method="PUT"> </Sms>', [14104, 14103]],
    ];
    const sorted = (codes: number[]) => [...codes].sort((a, b) => a - b);
    for (const [inner, codes] of cases) expect([inner, sorted(codesOf(`<Response>${inner}</Response>`))]).toEqual([inner, sorted(codes)]);
    const [gather] = verbsOf(parseVoiceTwiml('<Response><Gather timeout="soon" numDigits="0" finishOnKey="x"/></Response>')) as GatherVerb[];
    expect(gather).toMatchObject({ timeout: 5, numDigits: null, finishOnKey: '#' });
    const [rec] = verbsOf(parseVoiceTwiml('<Response><Record transcribe="true"/></Response>')) as RecordVerb[];
    expect(rec.transcribe).toBe(false); // maxLength 3600 > 120: transcription off (13615)
  });

  it('skips a <Dial> with nothing to dial', () => {
    const doc = parseVoiceTwiml('<Response><Dial/><Say>next</Say></Response>');
    expect(doc.ok && doc.issues.map((i) => i.code)).toEqual([13223]);
    expect(verbsOf(doc).map((v) => v.verb)).toEqual(['Say']);
  });

  it('fails the whole document on XML or root errors (12100, 12102)', () => {
    expect(parseVoiceTwiml('<Response><Say>unclosed</Response>')).toMatchObject({ ok: false, issue: { code: 12100 } });
    expect(parseVoiceTwiml('<response><Say>x</Say></response>')).toMatchObject({ ok: false, issue: { code: 12102 } });
    expect(parseVoiceTwiml('<!DOCTYPE Response [<!ENTITY a "b">]><Response><Say>&a;</Say></Response>')).toMatchObject({ ok: false, issue: { code: 12100 } });
  });
});
