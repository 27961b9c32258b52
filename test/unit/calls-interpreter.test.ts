/**
 * The pure voice TwiML interpreter, driven on virtual time with documents built by the SDK's
 * VoiceResponse: an IVR (Gather → action → Say → end hangs up), fall-through rules, Dial and
 * Record actions with their exact parameters, Redirect loops, document failures and the fallback
 * URL, inbound answering, REST updates.
 */
import twilio from 'twilio';
import { VoiceRunner } from '../helpers/voice-runner';

const { VoiceResponse } = twilio.twiml;
const APP = 'https://app.test';
const call = { from: '+14155550100', to: '+15005550006' };

function outbound(url = `${APP}/start`, fallback: string | null = null): VoiceRunner {
  const r = new VoiceRunner({ call, source: { kind: 'url', url, method: 'POST' }, fallback: fallback ? { url: fallback, method: 'POST' } : null, answered: true });
  r.send({ type: 'answered' });
  return r;
}

describe('voice interpreter', () => {
  it('runs an IVR: Gather with a spoken prompt, digits to the action, the next document, hang-up at its end', () => {
    const r = outbound();
    expect(r.lastFetch()).toMatchObject({ url: `${APP}/start`, method: 'POST', params: {}, purpose: 'url' });
    const menu = new VoiceResponse();
    menu.gather({ action: '/menu', numDigits: 1 }).say('Press one for sales, two for support.'); // 37 characters
    menu.say('Goodbye');
    r.respond(menu.toString());
    expect(r.effects.some((e) => e.type === 'answer')).toBe(false); // an outbound call is answered already
    r.advance(2000); // still speaking (37 chars at 15/s ≈ 2.5 s)
    expect(r.state.wait).toMatchObject({ kind: 'gather', listening: false });
    r.advance(1000);
    expect(r.state.wait).toMatchObject({ kind: 'gather', listening: true });
    r.advance(1000);
    r.send({ type: 'digits', digits: '2' });
    expect(r.lastFetch()).toMatchObject({ url: `${APP}/menu`, method: 'POST', purpose: 'Gather', params: { Digits: '2', FinishedOnKey: '', msg: 'Gather End' } });
    const sales = new VoiceResponse();
    sales.say('Connecting you to support.');
    r.respond(sales.toString());
    r.settle();
    expect(r.story()).toEqual([
      `fetch url POST ${APP}/start`, 'say Press one for sales, two for support.', 'gather 2', `fetch Gather POST ${APP}/menu`,
      'say Connecting you to support.', 'hangup end-of-twiml',
    ]);
    expect(r.last('hang-up')).toEqual({ type: 'hang-up', reason: 'end-of-twiml' });
    expect(r.state.wait.kind).toBe('ended');
    // Virtual time: the 26-character answer takes 26 / 15 s from the digit at 4 s, then the call hangs up.
    expect(r.transcript().at(-1)).toMatchObject({ kind: 'hangup', at: 4000 + 1733 });
  });

  it('lets a key interrupt the prompt (barge-in), stops at finishOnKey, and posts to the document URL without action', () => {
    const r = outbound();
    r.respond('<Response><Gather><Say loop="3">A long menu that is read three times over.</Say></Gather></Response>');
    r.advance(500);
    r.send({ type: 'digits', digits: '12' });
    r.advance(4000);
    r.send({ type: 'digits', digits: '3#9' });
    expect(r.lastFetch()).toMatchObject({ url: `${APP}/start`, purpose: 'Gather', params: { Digits: '123', FinishedOnKey: '#' } });
  });

  it('falls through when a Gather hears nothing, or posts empty Digits with actionOnEmptyResult', () => {
    const r = outbound();
    r.respond('<Response><Gather action="/g" timeout="3"/><Say>No input</Say></Response>');
    r.advance(2999);
    expect(r.fetches()).toHaveLength(1);
    r.settle();
    expect(r.story()).toEqual([`fetch url POST ${APP}/start`, 'gather (nothing)', 'say No input', 'hangup end-of-twiml']);

    const e = outbound();
    e.respond('<Response><Gather action="/g" actionOnEmptyResult="true"/><Say>unreached</Say></Response>');
    e.advance(5000);
    expect(e.lastFetch()).toMatchObject({ url: `${APP}/g`, params: { Digits: '' } });
  });

  it('sends digits so far when the timeout ends input, and speech results for speech input', () => {
    const r = outbound();
    r.respond('<Response><Gather action="/g" timeout="2"/></Response>');
    r.send({ type: 'digits', digits: '4' });
    r.advance(1500);
    r.send({ type: 'digits', digits: '2' }); // restarts the timeout
    r.advance(1999);
    expect(r.fetches()).toHaveLength(1);
    r.advance(1);
    expect(r.lastFetch().params).toEqual({ Digits: '42', FinishedOnKey: '', msg: 'Gather End' });

    const s = outbound();
    s.respond('<Response><Gather input="speech" action="/s"><Say>Say something</Say></Gather></Response>');
    s.send({ type: 'digits', digits: '1' }); // speech-only: keys are ignored
    s.send({ type: 'speech', text: 'sales please', confidence: 0.92 });
    expect(s.lastFetch().params).toEqual({ SpeechResult: 'sales please', Confidence: '0.92' });
  });

  it('dials every noun with one token, and posts DialCallStatus and friends to the action', () => {
    const r = outbound();
    const vr = new VoiceResponse();
    const dial = vr.dial({ action: '/dialed', timeout: 20, callerId: '+15005550006', record: 'record-from-answer' });
    dial.number('+14155550101');
    dial.client('agent');
    vr.say('unreached');
    r.respond(vr.toString());
    const legs = r.effects.filter((e) => e.type === 'dial-leg');
    expect(legs).toMatchObject([
      { index: 0, of: 2, target: { kind: 'number', number: '+14155550101' }, callerId: '+15005550006', timeout: 20, record: 'record-from-answer' },
      { index: 1, of: 2, target: { kind: 'client', identity: 'agent' } },
    ]);
    const token = r.last('dial-leg').token;
    r.send({ type: 'dial-result', token: token + 99, status: 'busy' }); // a stale result is ignored
    expect(r.fetches()).toHaveLength(1);
    r.send({ type: 'dial-result', token, status: 'completed', callSid: 'CA' + '1'.repeat(32), durationSec: 42, recording: { sid: 'RE' + '2'.repeat(32), url: `https://api.twilio.com/rec`, durationSec: 41 } });
    expect(r.lastFetch()).toMatchObject({ url: `${APP}/dialed`, purpose: 'Dial' });
    expect(r.lastFetch().params).toEqual({
      DialCallStatus: 'completed', DialBridged: 'true', DialCallSid: 'CA' + '1'.repeat(32), DialCallDuration: '42',
      RecordingUrl: 'https://api.twilio.com/rec', RecordingSid: 'RE' + '2'.repeat(32), RecordingDuration: '41',
    });
    expect(r.story()).not.toContain('say unreached'); // a verb with action ends the document
  });

  it('continues after a <Dial> without action, and ends legs on * with hangupOnStar', () => {
    const r = outbound();
    r.respond('<Response><Dial hangupOnStar="true">+14155550101</Dial><Say>After the call</Say></Response>');
    const token = r.last('dial-leg').token;
    r.send({ type: 'digits', digits: '1*' });
    expect(r.last('end-dial')).toEqual({ type: 'end-dial', token, reason: 'hangup-on-star' });
    r.send({ type: 'dial-result', token, status: 'no-answer' });
    r.settle();
    expect(r.story().slice(-3)).toEqual(['dialed no-answer', 'say After the call', 'hangup end-of-twiml']);
  });

  it('records until a key, then posts the recording to the action', () => {
    const r = outbound();
    r.respond('<Response><Record action="/rec" finishOnKey="#" maxLength="60" timeout="10"/></Response>');
    const start = r.last('start-recording');
    expect(start.verb).toMatchObject({ maxLength: 60, playBeep: true, trim: 'trim-silence' });
    r.advance(4000);
    r.send({ type: 'digits', digits: '5' }); // not a finish key
    r.advance(3000);
    r.send({ type: 'digits', digits: '#' });
    expect(r.last('stop-recording')).toEqual({ type: 'stop-recording', token: start.token, durationSec: 7, digits: '#', speech: null });
    r.send({ type: 'record-finished', token: start.token, recording: { sid: 'RE' + '3'.repeat(32), url: 'https://api.twilio.com/RE3', durationSec: 7 } });
    expect(r.lastFetch()).toMatchObject({ url: `${APP}/rec`, purpose: 'Record' });
    expect(r.lastFetch().params).toEqual({ RecordingUrl: 'https://api.twilio.com/RE3', RecordingSid: 'RE' + '3'.repeat(32), RecordingDuration: '7', Digits: '#' });
  });

  it('keeps recording while the caller talks, and ends on silence with the silence trimmed', () => {
    const r = outbound();
    r.respond('<Response><Record transcribe="true" maxLength="60"/></Response>');
    for (let i = 0; i < 5; i++) {
      r.advance(4000); // under the 5 s silence timeout
      r.send({ type: 'speech', text: `part ${i}` });
    }
    r.advance(4999);
    expect(r.effects.some((e) => e.type === 'stop-recording')).toBe(false);
    r.advance(1);
    expect(r.last('stop-recording')).toMatchObject({ durationSec: 20, digits: null, speech: 'part 0 part 1 part 2 part 3 part 4' });
  });

  it('stops a recording at maxLength', () => {
    const r = outbound();
    r.respond('<Response><Record timeout="0" maxLength="30"/></Response>');
    r.advance(30_000);
    expect(r.last('stop-recording')).toMatchObject({ durationSec: 30, digits: null });
  });

  it('ends a recording on silence (trimmed) and after a hang-up still reports it, ignoring the answer', () => {
    const r = outbound();
    r.respond('<Response><Record timeout="3"/></Response>');
    r.advance(3000);
    expect(r.last('stop-recording')).toMatchObject({ durationSec: 0, digits: null });

    const h = outbound();
    h.respond('<Response><Record action="/rec"/><Say>unreached</Say></Response>');
    h.advance(2000);
    h.send({ type: 'hangup' });
    const token = h.last('stop-recording').token;
    expect(h.last('stop-recording')).toMatchObject({ digits: 'hangup', durationSec: 2 });
    h.send({ type: 'record-finished', token, recording: { sid: 'RE' + '4'.repeat(32), url: 'https://api.twilio.com/RE4', durationSec: 2 } });
    const notify = h.fetches(false).at(-1)!;
    expect(notify).toMatchObject({ url: `${APP}/rec`, ignoreResponse: true, params: { Digits: 'hangup', RecordingDuration: '2' } });
    expect(h.state.wait.kind).toBe('ended');
  });

  it('replaces the document on <Redirect> (relative URL, method) and stops a loop that never does anything', () => {
    const r = outbound();
    r.respond('<Response><Redirect method="GET">next?x=1</Redirect><Say>unreached</Say></Response>');
    expect(r.lastFetch()).toMatchObject({ url: `${APP}/next?x=1`, method: 'GET', purpose: 'redirect', params: {} });
    for (let i = 0; i < 60 && r.state.wait.kind === 'fetch'; i++) r.respond('<Response><Redirect>/loop</Redirect></Response>');
    expect(r.last('hang-up')).toEqual({ type: 'hang-up', reason: 'loop' });
    expect(r.fetches()).toHaveLength(51); // the 50 idle documents allowed, and the one that tripped the limit

    const polite = outbound();
    for (let i = 0; i < 60; i++) {
      polite.respond('<Response><Pause length="1"/><Redirect>/poll</Redirect></Response>');
      polite.advance(1000);
    }
    expect(polite.state.wait.kind).toBe('fetch'); // a loop with a pause is a legitimate poll
  });

  it('tries the fallback URL with ErrorCode/ErrorUrl when a document fails, then gives up with Twilio’s apology', () => {
    const r = outbound(`${APP}/start`, `${APP}/fallback`);
    r.respond('<Response><Say>unclosed</Response>');
    expect(r.lastFetch()).toMatchObject({ url: `${APP}/fallback`, purpose: 'fallback', params: { ErrorCode: '12100', ErrorUrl: `${APP}/start` } });
    r.send({ type: 'twiml-fetch-failed', token: r.lastFetch().token, code: 11200, message: 'status 500' });
    expect(r.alerts()).toEqual([12100, 11200]);
    expect(r.story().slice(-2)).toEqual(["say We're sorry, an application error has occurred. Goodbye.", 'hangup application-error']);

    const noFallback = outbound();
    noFallback.respond('<Reply/>');
    expect(noFallback.alerts()).toEqual([12102]);
    expect(noFallback.last('hang-up').reason).toBe('application-error');
  });

  it('reads answers by content type: 12300 for an unknown one, plain text aloud, audio played', () => {
    const bad = outbound();
    bad.respond('{}', 'application/json');
    expect(bad.alerts()).toEqual([12300]);
    const text = outbound();
    text.respond('Hello from plain text', 'text/plain');
    expect(text.story()).toContain('say Hello from plain text');
    const xmlAsText = outbound();
    xmlAsText.respond('<Response><Say>still TwiML</Say></Response>', 'text/plain; charset=utf-8');
    expect(xmlAsText.story()).toContain('say still TwiML');
    const audio = outbound();
    audio.respond('', 'audio/mpeg');
    audio.settle();
    expect(audio.story().slice(-2)).toEqual([`play ${APP}/start`, 'hangup end-of-twiml']);
  });

  it('reports warnings and runs what it can', () => {
    const r = outbound();
    r.respond('<Response><Speak>x</Speak><Say voice="robot">still said</Say></Response>');
    expect(r.alerts()).toEqual([12200, 13511]);
    expect(r.story()).toContain('say still said');
  });

  it('answers an inbound call with its first answering verb, not with a leading <Pause>', () => {
    const r = new VoiceRunner({ call, source: { kind: 'url', url: `${APP}/voice`, method: 'POST' }, answered: false });
    r.send({ type: 'incoming' });
    r.respond('<Response><Pause length="2"/><Say>Welcome</Say></Response>');
    expect(r.effects.some((e) => e.type === 'answer')).toBe(false);
    r.advance(2000);
    const types = r.effects.map((e) => e.type);
    expect(types.indexOf('answer')).toBeGreaterThan(-1);
    expect(types.indexOf('answer')).toBeLessThan(types.lastIndexOf('transcript'));

    const rejected = new VoiceRunner({ call, source: { kind: 'inline', xml: '<Response><Reject reason="busy"/></Response>' }, answered: false });
    rejected.send({ type: 'incoming' });
    expect(rejected.effects.filter((e) => e.type === 'answer' || e.type === 'reject')).toEqual([{ type: 'reject', reason: 'busy' }]);
    const hungUp = new VoiceRunner({ call, source: { kind: 'inline', xml: '<Response><Hangup/></Response>' }, answered: false });
    hungUp.send({ type: 'incoming' });
    expect(hungUp.effects.filter((e) => e.type === 'answer' || e.type === 'hang-up')).toEqual([{ type: 'answer' }, { type: 'hang-up', reason: 'twiml' }]);
  });

  it('keeps an inbound caller ringing through <Dial answerOnBridge> (the runner answers on bridge)', () => {
    const r = new VoiceRunner({ call, source: { kind: 'inline', xml: '<Response><Dial answerOnBridge="true">+14155550101</Dial><Say>Bye</Say></Response>' }, answered: false });
    r.send({ type: 'incoming' });
    expect(r.last('dial-leg')).toMatchObject({ answerOnBridge: true });
    r.send({ type: 'dial-result', token: r.last('dial-leg').token, status: 'completed', durationSec: 5 });
    expect(r.story()).toContain('say Bye');
    expect(r.effects.some((e) => e.type === 'answer')).toBe(false);
  });

  it('cannot post a Gather without action from inline TwiML (no document URL: 11100)', () => {
    const r = new VoiceRunner({ call, source: { kind: 'inline', xml: '<Response><Gather numDigits="1"/></Response>' }, answered: true });
    r.send({ type: 'answered' });
    r.send({ type: 'digits', digits: '1' });
    expect(r.alerts()).toEqual([11100]);
    expect(r.last('hang-up').reason).toBe('application-error');
  });

  it('on a REST update during <Dial>, requests the Dial action first, then runs the new document', () => {
    const r = outbound();
    r.respond('<Response><Dial action="/dialed">+14155550101</Dial></Response>');
    const token = r.last('dial-leg').token;
    r.send({ type: 'update', source: { kind: 'url', url: `${APP}/moved`, method: 'POST' } });
    expect(r.last('end-dial')).toEqual({ type: 'end-dial', token, reason: 'update' });
    expect(r.fetches(false).slice(-2).map((f) => [f.url, f.ignoreResponse, f.params])).toEqual([
      [`${APP}/dialed`, true, { DialCallStatus: 'completed' }],
      [`${APP}/moved`, false, {}],
    ]);
    r.send({ type: 'dial-result', token, status: 'completed' }); // too late: ignored
    r.respond('<Response><Say>Moved</Say></Response>');
    expect(r.story()).toContain('say Moved');
  });

  it('sends <Sms> to the caller by default and waits for its result only with an action', () => {
    const r = outbound();
    r.respond('<Response><Sms>Thanks!</Sms><Sms action="/sms" to="+14155550199">Second</Sms><Say>unreached</Say></Response>');
    const sent = r.effects.filter((e) => e.type === 'send-message');
    expect(sent).toMatchObject([{ to: call.from, from: call.to, body: 'Thanks!', awaitResult: false }, { to: '+14155550199', awaitResult: true }]);
    r.send({ type: 'sms-result', token: r.last('send-message').token, sid: 'SM' + '5'.repeat(32), status: 'sent' });
    expect(r.lastFetch()).toMatchObject({ url: `${APP}/sms`, params: { SmsSid: 'SM' + '5'.repeat(32), SmsStatus: 'sent' } });
  });

  it('ignores stale timers and everything after the end', () => {
    const r = outbound();
    r.respond('<Response><Say>Hi</Say></Response>');
    const before = r.state;
    r.send({ type: 'elapsed', token: 999 });
    expect(r.state).toBe(before);
    r.send({ type: 'hangup' });
    expect(r.state.wait.kind).toBe('ended');
    expect(r.send({ type: 'digits', digits: '1' })).toEqual([]);
  });
});
