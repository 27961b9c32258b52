/**
 * Replay from a cassette built in code, through the real twilio SDK (base-URL mode): recorded
 * answers materialised for the session (its account, fresh consistent SIDs, dates at its now),
 * applied to its state, callbacks re-fired at their offsets to this run's URL signed with this
 * session's token, upstream faults replayed, and --strict misses that name the nearest entry.
 */
import twilio from 'twilio';
import type { Cassette } from '../../src/cassette/types';
import { rfc2822 } from '../../src/twilio/wire';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { cassetteOf, pairs, recordedMessage } from '../helpers/replay-cassette';

const FROM = '+15555550123';
const TO = '+15551230000';
const VA = 'VA00000000000000000000000000000001';
const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';
const SEED = {
  name: 'replay-test',
  clock: { frozen: true },
  numbers: [{ phoneNumber: FROM }],
  verify: { services: [{ sid: VA, friendlyName: 'mirra verify', codeLength: 6 }] },
};

function statusParams(status: string): [string, string][] {
  return pairs({ AccountSid: '{AccountSid}', ApiVersion: '2010-04-01', From: FROM, MessageSid: '{SM#1}', MessageStatus: status, SmsSid: '{SM#1}', SmsStatus: status, To: TO });
}

/** The scenario as a recording of it would read. */
function scenario(): Cassette {
  const verification = (status: string, extra: Record<string, unknown> = {}) => ({
    sid: '{VE#1}', service_sid: '{VA#1}', account_sid: '{AccountSid}', to: TO, channel: 'sms', status, valid: status === 'approved',
    date_created: '{date:iso:+700}', date_updated: '{date:iso:+800}', amount: null, payee: null, ...extra,
  });
  return cassetteOf('scenario', [
    {
      method: 'POST', path: MSGS, status: 201, offsetMs: 100,
      form: { To: TO, From: FROM, Body: 'hello', StatusCallback: 'https://recording.example.com/status' },
      body: recordedMessage('{SM#1}', {}, 100),
      callbacks: [
        { offsetMs: 1000, urlParam: 'StatusCallback', params: statusParams('sent') },
        { offsetMs: 2500, urlParam: 'StatusCallback', params: statusParams('delivered') },
      ],
    },
    { method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json', offsetMs: 1500, body: recordedMessage('{SM#1}', { status: 'sent', date_sent: '{date:rfc2822:+1100}', date_updated: '{date:rfc2822:+1100}' }, 100) },
    {
      method: 'GET', path: MSGS, query: { PageSize: '20' }, offsetMs: 1600,
      body: {
        first_page_uri: `${MSGS}?PageSize=20&Page=0`, end: 0, previous_page_uri: null, uri: `${MSGS}?PageSize=20&Page=0`, page_size: 20, start: 0, next_page_uri: null, page: 0,
        messages: [recordedMessage('{SM#1}', { status: 'sent', date_sent: '{date:rfc2822:+1100}' }, 100)],
      },
    },
    { method: 'POST', path: MSGS, status: 400, form: { To: '12', From: FROM, Body: 'hello' }, body: { code: 21211, message: "The 'To' number 12 is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 } },
    { method: 'POST', path: MSGS, status: 503, form: { To: TO, From: FROM, Body: 'busy' }, body: { code: 20503, message: 'Service Unavailable', more_info: 'https://www.twilio.com/docs/errors/20503', status: 503 } },
    { method: 'POST', path: MSGS, fault: 'reset', form: { To: TO, From: FROM, Body: 'reset' } },
    { method: 'POST', path: '/v2/Services/{VA#1}/Verifications', status: 201, form: { To: TO, Channel: 'sms' }, offsetMs: 700,
      body: { ...verification('pending'), lookup: { carrier: null }, send_code_attempts: [{ time: '{date:isoms:+700}', channel: 'sms', attempt_sid: '{VL#1}' }], url: 'https://verify.twilio.com/v2/Services/{VA#1}/Verifications/{VE#1}' } },
    { method: 'POST', path: '/v2/Services/{VA#1}/VerificationCheck', form: { To: TO, Code: '123456' }, offsetMs: 800, body: verification('approved') },
    { method: 'POST', path: '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json', status: 201, form: { PhoneNumber: '+15005550006' },
      body: { sid: '{PN#2}', account_sid: '{AccountSid}', phone_number: '+15005550006', friendly_name: '(500) 555-0006', capabilities: { voice: true, sms: true, mms: false, fax: false }, sms_url: '', date_created: '{date:rfc2822:+900}', date_updated: '{date:rfc2822:+900}', uri: '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{PN#2}.json' } },
    { method: 'POST', path: '/2010-04-01/Accounts/{AccountSid}/Calls.json', status: 201, form: { To: TO, From: FROM, Url: 'https://demo.twilio.com/docs/voice.xml' },
      body: { sid: '{CA#1}', account_sid: '{AccountSid}', status: 'queued', uri: '/2010-04-01/Accounts/{AccountSid}/Calls/{CA#1}.json' } },
    { method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Calls.json', body: { calls: [], page: 0, page_size: 50, start: 0, end: 0, uri: '/2010-04-01/Accounts/{AccountSid}/Calls.json', first_page_uri: '/2010-04-01/Accounts/{AccountSid}/Calls.json?Page=0', next_page_uri: null, previous_page_uri: null } },
  ], { match: { ignoreParams: ['StatusCallback'] } });
}

describe('replay --strict', () => {
  let tm: TestMirror;
  let rx: Receiver;
  let client: twilio.Twilio;
  let now: number;
  beforeAll(async () => {
    tm = await startTestMirror({ proxy: false, seed: SEED, cassette: scenario(), strict: true });
    rx = await startReceiver();
    client = tm.client();
    now = await tm.now();
  });
  afterAll(async () => {
    await rx.close();
    await tm.close();
  });

  let sid = '';
  it('answers a send with the recorded message, materialised: this account, a fresh SID, dates at now', async () => {
    const m = await client.messages.create({ to: TO, from: FROM, body: 'hello', statusCallback: `${rx.url}/status?run=2` });
    sid = m.sid;
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(m).toMatchObject({ accountSid: tm.accountSid, status: 'queued', body: 'hello', to: TO, from: FROM, uri: `/2010-04-01/Accounts/${tm.accountSid}/Messages/${sid}.json` });
    expect(m.dateCreated.toUTCString()).toBe(new Date(Math.floor(now / 1000) * 1000).toUTCString());
  });

  it('keeps the SID consistent: the recorded fetch and list name the same message', async () => {
    const fetched = await client.messages(sid).fetch();
    expect(fetched).toMatchObject({ sid, status: 'sent', accountSid: tm.accountSid });
    expect(rfc2822(fetched.dateSent.getTime())).toBe(rfc2822(now + 1000));
    const listed = await client.messages.list({ pageSize: 20 });
    expect(listed.map((m) => [m.sid, m.status])).toEqual([[sid, 'sent']]);
  });

  it('fires the recorded callbacks at their offsets on the virtual clock, to this run’s URL, signed with this token', async () => {
    expect(rx.received).toHaveLength(0);
    await tm.advance(999);
    await new Promise((r) => setTimeout(r, 50));
    expect(rx.received).toHaveLength(0); // due 1000 ms after the request
    await tm.advance(1);
    await rx.waitFor(1);
    await tm.advance(1500);
    const got = await rx.waitFor(2);
    const url = `${rx.url}/status?run=2`;
    expect(got.map((r) => r.params.MessageStatus)).toEqual(['sent', 'delivered']);
    for (const r of got) {
      expect(r.path).toBe('/status?run=2');
      expect(r.params).toMatchObject({ MessageSid: sid, SmsSid: sid, AccountSid: tm.accountSid, To: TO, From: FROM });
      expect(twilio.validateRequest(tm.authToken, String(r.headers['x-twilio-signature']), url, r.params)).toBe(true);
    }
  });

  it('applies what it served to state: the message, its callbacks, the verification and the bought number', async () => {
    expect(await tm.inspect('messages', sid)).toMatchObject({ status: 'delivered' });
    expect(await tm.inspect('numbers', FROM)).toMatchObject({ phone_number: FROM });
    expect(await tm.inspect('numbers', '+15005550006')).toBeNull(); // not bought yet
  });

  it('replays upstream errors faithfully: 4xx with Twilio’s body, 5xx, a reset connection as the recorder answered it (502)', async () => {
    const bad = await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`, { To: '12', From: FROM, Body: 'hello' });
    expect(bad.status).toBe(400);
    expect(bad.text).toBe('{"code": 21211, "message": "The \'To\' number 12 is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}');
    await expect(client.messages.create({ to: TO, from: FROM, body: 'busy' })).rejects.toMatchObject({ status: 503, code: 20503 });
    await expect(client.messages.create({ to: TO, from: FROM, body: 'reset' })).rejects.toMatchObject({ status: 502, code: 20500, message: 'Upstream Twilio closed the connection without answering' });
  });

  it('serves Verify start + check and a number purchase, and the state agrees', async () => {
    const v = await client.verify.v2.services(VA).verifications.create({ to: TO, channel: 'sms' });
    expect(v).toMatchObject({ serviceSid: VA, status: 'pending', accountSid: tm.accountSid });
    expect(v.url).toBe(`${tm.url}/v2/Services/${VA}/Verifications/${v.sid}`);
    const check = await client.verify.v2.services(VA).verificationChecks.create({ to: TO, code: '123456' });
    expect(check).toMatchObject({ sid: v.sid, status: 'approved', valid: true });
    const bought = await client.incomingPhoneNumbers.create({ phoneNumber: '+15005550006' });
    expect(bought.sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(await tm.inspect('verifications', v.sid)).toMatchObject({ status: 'approved', code: '123456' });
    expect(await tm.inspect('numbers', bought.sid)).toMatchObject({ phone_number: '+15005550006' });
  });

  it('serves a recorded answer for a route the emulator does not have, with Twilio’s headers', async () => {
    const call = await client.calls.create({ to: TO, from: FROM, url: 'https://demo.twilio.com/docs/voice.xml' });
    expect(call).toMatchObject({ status: 'queued', accountSid: tm.accountSid });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    const res = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Calls.json`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ calls: [], uri: `/2010-04-01/Accounts/${tm.accountSid}/Calls.json` });
    expect(res.headers.get('twilio-request-id')).toMatch(/^RQ[0-9a-f]{32}$/);
    const anon = await fetch(`${tm.url}/2010-04-01/Accounts/${tm.accountSid}/Calls.json`);
    expect(anon.status).toBe(401); // unauthenticated requests never see recordings
    expect(await anon.json()).toMatchObject({ code: 20003 });
  });

  it('answers an unrecorded request with MIRRA_ERR_NO_RECORDING naming the nearest entry and the differing fields', async () => {
    const err = await client.messages.create({ to: TO, from: FROM, body: 'hullo' }).catch((e) => e);
    expect(err).toMatchObject({ status: 400, code: 'MIRRA_ERR_NO_RECORDING' });
    expect(err.message).toContain(`Nearest: #1 POST ${MSGS} (api) [already served]`);
    expect(err.message).toContain('form.Body: recorded "hello", got "hullo"');
    const raw = await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`, { To: TO, From: FROM, Body: 'hullo' });
    expect(raw.body).toMatchObject({ code: 'MIRRA_ERR_NO_RECORDING', status: 400, cassette: 'scenario', reason: 'no-match' });
    expect(raw.body.nearest[0]).toMatchObject({ seq: 1, method: 'POST', path: MSGS });
  });

  it('reports what was served and what was not on the control plane', async () => {
    const res = await tm.control('GET', '/_mirra/replay');
    expect(res.body).toMatchObject({ cassette: 'scenario', strict: true, interactions: 11, served: 11, unusedCount: 0, unmatched: 2 });
  });

  it('gives another session its own ledger and its own SIDs', async () => {
    const created = await tm.control('POST', '/_mirra/sessions', { seed: SEED });
    const other = tm.client(created.body.accountSid, created.body.authToken);
    const m = await other.messages.create({ to: TO, from: FROM, body: 'hello' });
    expect(m.sid).not.toBe(sid);
    expect(m.accountSid).toBe(created.body.accountSid);
  });
});

describe('replay without --strict', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ proxy: false, seed: SEED, cassette: scenario() });
  });
  afterAll(() => tm.close());

  it('falls through to the emulator for what was not recorded, whose state agrees with what was served', async () => {
    const client = tm.client();
    const m = await client.messages.create({ to: TO, from: FROM, body: 'hello' }); // recorded
    const other = await client.messages.create({ to: TO, from: FROM, body: 'not recorded' }); // emulated
    expect(other.sid).not.toBe(m.sid);
    const list = await client.messages.list({ to: TO }); // not recorded (different query): the emulator's state
    expect(list.map((x) => x.sid).sort()).toEqual([m.sid, other.sid].sort());
    expect(list.find((x) => x.sid === m.sid)).toMatchObject({ body: 'hello', status: 'queued', accountSid: tm.accountSid });
    const bought = await client.incomingPhoneNumbers.create({ phoneNumber: '+15005550006' }); // recorded
    // The bought number is owned now: the emulator lets the app send from it.
    const fromBought = await client.messages.create({ to: TO, from: bought.phoneNumber, body: 'from the new number' });
    expect(fromBought.from).toBe('+15005550006');
  });

  it('answers an unrecorded fetch of a resource the emulator lacks with what the replay served for it', async () => {
    const client = tm.client();
    const call = await client.calls.create({ to: TO, from: FROM, url: 'https://demo.twilio.com/docs/voice.xml' }); // recorded
    const fetched = await client.calls(call.sid).fetch(); // not recorded, no emulator route
    expect(fetched).toMatchObject({ sid: call.sid, status: 'queued', accountSid: tm.accountSid });
    const summary = await tm.control('GET', '/_mirra/replay');
    expect(summary.body.recentMisses.map((m: { request: string }) => m.request)).toContain("GET /2010-04-01/Accounts/{AccountSid}/Calls/{CA#1}.json"); // in the cassette's terms
  });
});

describe('a recorded timeout', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ proxy: false, seed: SEED, cassette: cassetteOf('slow', [{ method: 'GET', path: MSGS, fault: 'timeout' }]), strict: true });
  });
  afterAll(() => tm.close());

  it('is answered as the recorder answered the app: 504 with a Twilio-shaped body', async () => {
    await expect(tm.client().messages.list()).rejects.toMatchObject({ status: 504, code: 20500, message: 'Upstream Twilio did not answer in time' });
  });
});

describe('a cassette recorded without callbacks', () => {
  let tm: TestMirror;
  let rx: Receiver;
  beforeAll(async () => {
    const cassette = cassetteOf('no-callbacks', [
      { method: 'POST', path: MSGS, status: 201, form: { To: TO, From: FROM, Body: 'hello', StatusCallback: 'http://127.0.0.1:{port}/status' }, body: recordedMessage('{SM#1}') },
    ]);
    tm = await startTestMirror({ proxy: false, seed: SEED, cassette, strict: true });
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx.close();
    await tm.close();
  });

  it('lets the emulator synthesise the status callbacks of a replayed message, to this run’s URL', async () => {
    const m = await tm.client().messages.create({ to: TO, from: FROM, body: 'hello', statusCallback: `${rx.url}/status` });
    await tm.advance(10_000);
    const got = await rx.waitFor(3);
    expect(got.map((r) => [r.params.MessageSid, r.params.MessageStatus])).toEqual([[m.sid, 'sending'], [m.sid, 'sent'], [m.sid, 'delivered']]);
    expect(twilio.validateRequest(tm.authToken, String(got[2].headers['x-twilio-signature']), `${rx.url}/status`, got[2].params)).toBe(true);
  });
});
