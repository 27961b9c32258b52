/**
 * The Calls API through the real twilio SDK (base-URL mode) on a frozen clock: the create answer
 * (201 queued, every date null, the schema's 26 keys), Twilio's errors, the lifecycle with its
 * signed status callbacks in order, list filters, updates (redirect, cancel, complete), delete,
 * seeded outcomes, simulate events and test credentials.
 */
import twilio from 'twilio';
import { expectAllFields, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';

const FROM = '+15555550123';
const BUSY = '+15550009999';
const SILENT = '+15550008888';
const BROKEN = '+15550007777';
const CALLS = (sid: string) => `/2010-04-01/Accounts/${sid}/Calls.json`;

describe('Calls API', () => {
  let tm: TestMirror;
  let app: TwimlApp;
  let n = 0;
  const fresh = () => `+1555123${String(n++).padStart(4, '0')}`;
  const calls = () => tm.client().calls;

  beforeAll(async () => {
    tm = await startTestMirror({
      seed: {
        name: 'voice',
        clock: { frozen: true },
        numbers: [{ phoneNumber: FROM }],
        calls: {
          outcomes: [
            { to: BUSY, status: 'busy' },
            { to: SILENT, status: 'no-answer' },
            { to: BROKEN, status: 'failed', sipResponseCode: 503 },
          ],
          verifiedCallerIds: ['+15558675309'],
        },
      },
    });
    app = await startTwimlApp();
    app.route('/hello', '<Response><Say>Hello there, this is your reminder.</Say></Response>');
    app.route('/status', { status: 204 });
  });
  afterAll(async () => {
    await app.close();
    await tm.close();
  });

  it('answers a create with 201 queued, every date and timing null, in the schema’s shape', async () => {
    const res = await tm.api('POST', CALLS(tm.accountSid), { To: fresh(), From: FROM, Url: `${app.url}/hello` });
    expect(res.status).toBe(201);
    expectMatchesSchema('call', res.body);
    expectAllFields('call', res.body);
    expect(Object.keys(res.body)).toHaveLength(26);
    expect(res.body).toMatchObject({
      status: 'queued', direction: 'outbound-api', from: FROM, from_formatted: '(555) 555-0123', price_unit: 'USD', api_version: '2010-04-01',
      date_created: null, date_updated: null, start_time: null, end_time: null, duration: null, price: null, answered_by: null,
      uri: `/2010-04-01/Accounts/${tm.accountSid}/Calls/${res.body.sid}.json`,
    });
    expect(res.body.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(res.body.subresource_uris.recordings).toBe(`/2010-04-01/Accounts/${tm.accountSid}/Calls/${res.body.sid}/Recordings.json`);
  });

  it.each([
    [{ From: FROM, Url: 'http://x.test/' }, 21201],
    [{ To: '+15551230000', Url: 'http://x.test/' }, 21213],
    [{ To: 'not a number', From: FROM, Url: 'http://x.test/' }, 21211],
    [{ To: '+15551230000', From: '+15551112222', Url: 'http://x.test/' }, 21210],
    [{ To: '+15551230000', From: '+15005550001', Url: 'http://x.test/' }, 21212],
    [{ To: '+15005550001', From: FROM, Url: 'http://x.test/' }, 21217],
    [{ To: '+15005550002', From: FROM, Url: 'http://x.test/' }, 21214],
    [{ To: '+15005550003', From: FROM, Url: 'http://x.test/' }, 21215],
    [{ To: '+15005550004', From: FROM, Url: 'http://x.test/' }, 21216],
    [{ To: '+15551230000', From: FROM }, 21205],
    [{ To: '+15551230000', From: FROM, Url: 'ftp://x.test/' }, 21205],
    [{ To: '+15551230000', From: FROM, Url: 'http://x.test/', Method: 'PUT' }, 21209],
    [{ To: '+15551230000', From: FROM, Url: 'http://x.test/', Timeout: 'soon' }, 21208],
    [{ To: '+15551230000', From: FROM, Url: 'http://x.test/', SendDigits: 'abc' }, 21206],
    [{ To: '+15551230000', From: FROM, ApplicationSid: `AP${'1'.repeat(32)}` }, 21218],
    [{ To: '+15551230000', From: FROM, Url: 'http://x.test/', MachineDetection: 'Maybe' }, 21234],
  ])('refuses %j with %i (400)', async (form, code) => {
    const res = await tm.api('POST', CALLS(tm.accountSid), form as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code, status: 400, more_info: `https://www.twilio.com/docs/errors/${code}` });
  });

  it('accepts a verified caller ID as From, and a client: target from any caller name', async () => {
    expect((await calls().create({ to: fresh(), from: '+15558675309', twiml: '<Response/>' })).status).toBe('queued');
    expect((await calls().create({ to: 'client:alice', from: 'Support', twiml: '<Response/>' })).to).toBe('client:alice');
  });

  it('goes queued → initiated → ringing → in-progress → completed, each requested callback signed and in order', async () => {
    const to = fresh();
    const statusCallback = `${app.url}/status?c=1`;
    const call = await calls().create({ to, from: FROM, url: `${app.url}/hello`, statusCallback, statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'] });
    const t0 = await tm.now();
    await tm.advance(30_000);
    const got = app.at('/status').filter((r) => r.params.CallSid === call.sid);
    expect(got.map((r) => [r.params.CallStatus, r.params.SequenceNumber])).toEqual([['initiated', '0'], ['ringing', '1'], ['in-progress', '2'], ['completed', '3']]);
    for (const r of got) {
      expect(r.params).toMatchObject({ AccountSid: tm.accountSid, From: FROM, To: to, Direction: 'outbound-api', ApiVersion: '2010-04-01', CallbackSource: 'call-progress-events', Called: to, Caller: FROM });
      expect(r.params.Timestamp).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
      expect(twilio.validateRequest(tm.authToken, String(r.headers['x-twilio-signature']), statusCallback, r.params)).toBe(true);
    }
    // Dialled at create, ringing after 1 s, answered 4 s later; the Say lasts 2.3 s (35 characters at 15 a second).
    // `duration` counts from the start of dialing (§2); `Duration` is billable minutes.
    const completed = got[3].params;
    expect(completed).toMatchObject({ CallDuration: '7', Duration: '1', SipResponseCode: '200' });
    const [fetchTwiml] = app.at('/hello').filter((r) => r.params.CallSid === call.sid);
    expect(fetchTwiml.params).toMatchObject({ CallStatus: 'in-progress', Direction: 'outbound-api' });
    expect(fetchTwiml.params.SequenceNumber).toBeUndefined();
    const done = await calls()(call.sid).fetch();
    expect(done).toMatchObject({ status: 'completed', duration: '7', price: '-0.01400', priceUnit: 'USD' });
    const second = (ms: number) => Math.floor(ms / 1000) * 1000;
    expect(done.startTime!.getTime()).toBe(second(t0));
    expect(done.endTime!.getTime()).toBe(second(t0 + 7333));
  });

  it('sends only the completed callback by default, with the seeded busy, no-answer and failed outcomes', async () => {
    const made: { sid: string }[] = [];
    for (const to of [BUSY, SILENT, BROKEN]) made.push(await calls().create({ to, from: FROM, url: `${app.url}/hello`, statusCallback: `${app.url}/status`, timeout: 20 }));
    await tm.advance(60_000);
    const final = (sid: string) => app.at('/status').filter((r) => r.params.CallSid === sid).map((r) => [r.params.CallStatus, r.params.CallDuration, r.params.SipResponseCode]);
    expect(final(made[0].sid)).toEqual([['busy', '0', '486']]);
    expect(final(made[1].sid)).toEqual([['no-answer', '0', '487']]);
    expect(final(made[2].sid)).toEqual([['failed', '0', '503']]);
    // The no-answer came after the call's own Timeout (20 s of ringing), none of them fetched TwiML.
    const silent = await calls()(made[1].sid).fetch();
    expect(silent.endTime!.getTime() - silent.startTime!.getTime()).toBe(21_000);
    expect(app.at('/hello').filter((r) => made.some((c) => c.sid === r.params.CallSid))).toEqual([]);
  });

  it('lists newest first with To, From, Status and StartTime filters', async () => {
    const to = fresh();
    const a = await calls().create({ to, from: FROM, twiml: '<Response><Hangup/></Response>' });
    const between = (await tm.now()) + 5_000;
    await tm.advance(10_000);
    const b = await calls().create({ to, from: FROM, twiml: '<Response/>' });
    expect((await calls().list({ to })).map((c) => c.sid)).toEqual([b.sid, a.sid]);
    expect((await calls().list({ to, status: 'completed' })).map((c) => c.sid)).toEqual([a.sid]);
    expect((await calls().list({ to, status: 'queued', from: FROM })).map((c) => c.sid)).toEqual([b.sid]);
    await tm.advance(0); // b starts dialing: start_time is set while it is still queued (§2)
    expect((await calls().list({ to, startTimeBefore: new Date(between) })).map((c) => c.sid)).toEqual([a.sid]);
    expect((await calls().list({ to, startTimeAfter: new Date(between) })).map((c) => c.sid)).toEqual([b.sid]);
    const bad = await tm.api('GET', `${CALLS(tm.accountSid)}?Status=ringing-ish`);
    expect(bad.body).toMatchObject({ status: 400, code: 21400 });
  });

  it('redirects a live call, cancels a queued one without callbacks, completes one, refuses ended ones (21220)', async () => {
    app.route('/long', '<Response><Pause length="60"/></Response>');
    app.route('/other', '<Response><Say>Redirected.</Say></Response>');
    const live = await calls().create({ to: fresh(), from: FROM, url: `${app.url}/long` });
    await expect(calls()(live.sid).update({ twiml: '<Response/>' })).rejects.toMatchObject({ status: 400, code: 21220 });
    await tm.advance(6_000);
    await calls()(live.sid).update({ url: `${app.url}/other` });
    await tm.advance(5_000);
    const [view] = (await tm.control('GET', `/_mirra/calls?sid=${live.sid}`)).body.calls;
    expect(view.said).toEqual(['Redirected.']);
    expect(view.status).toBe('completed');
    await expect(calls()(live.sid).update({ status: 'completed' })).rejects.toMatchObject({ status: 400, code: 21220, message: 'Call is not in-progress. Cannot redirect.' });

    const queued = await calls().create({ to: fresh(), from: FROM, url: `${app.url}/hello`, statusCallback: `${app.url}/status` });
    expect((await calls()(queued.sid).update({ status: 'canceled' })).status).toBe('canceled');
    const answered = await calls().create({ to: fresh(), from: FROM, url: `${app.url}/long`, statusCallback: `${app.url}/status` });
    await tm.advance(6_000);
    expect((await calls()(answered.sid).update({ status: 'completed' })).status).toBe('completed');
    await tm.advance(1_000);
    expect(app.at('/status').filter((r) => r.params.CallSid === queued.sid)).toEqual([]);
    expect(app.at('/status').filter((r) => r.params.CallSid === answered.sid).map((r) => r.params.CallStatus)).toEqual(['completed']);
  });

  it('deletes only ended calls (20009), then 404s', async () => {
    const call = await calls().create({ to: fresh(), from: FROM, twiml: '<Response/>' });
    const path = `/2010-04-01/Accounts/${tm.accountSid}/Calls/${call.sid}.json`;
    expect((await tm.api('DELETE', path)).body).toMatchObject({ status: 400, code: 20009 });
    await tm.advance(10_000);
    expect((await tm.api('DELETE', path)).status).toBe(204);
    expect((await tm.api('GET', path)).body).toMatchObject({ status: 404, code: 20404 });
  });

  it('lets a test decide the outcome: call.busy, call.no-answer, call.failed, call.answered, call.hangup', async () => {
    const outcome = async (event: string) => {
      const call = await calls().create({ to: fresh(), from: FROM, url: `${app.url}/long` });
      const res = await tm.control('POST', '/_mirra/simulate', { event, callSid: call.sid });
      expect(res.status).toBe(200);
      return res.body.call;
    };
    expect((await outcome('call.busy')).status).toBe('busy');
    expect((await outcome('call.no-answer')).status).toBe('no-answer');
    expect((await outcome('call.failed')).status).toBe('failed');
    const answered = await outcome('call.answered');
    expect(answered.status).toBe('in-progress');
    const hung = await tm.control('POST', '/_mirra/simulate', { event: 'call.hangup', callSid: answered.sid });
    expect(hung.body.call).toMatchObject({ status: 'completed', duration: '0' });
    const again = await tm.control('POST', '/_mirra/simulate', { event: 'call.busy', callSid: answered.sid });
    expect(again.body).toMatchObject({ status: 409, code: 'MIRRA_ERR_INVALID_TRANSITION' });
    const unknown = await tm.control('POST', '/_mirra/simulate', { event: 'call.hangup', callSid: `CA${'0'.repeat(32)}` });
    expect(unknown.body).toMatchObject({ status: 404, code: 'MIRRA_ERR_NOT_FOUND' });
  });
});

describe('Calls with test credentials', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: { name: 'test-creds', testCredentials: true } });
  });
  afterAll(() => tm.close());

  it('answers the magic numbers as Twilio does, stores nothing and fetches nothing', async () => {
    const ok = await tm.api('POST', CALLS(tm.accountSid), { To: '+15551230000', From: '+15005550006', Url: 'http://127.0.0.1:9/never' });
    expect(ok.status).toBe(201);
    expect((await tm.api('POST', CALLS(tm.accountSid), { To: '+15551230000', From: '+15551110000', Url: 'http://x.test/' })).body.code).toBe(21210);
    expect((await tm.api('POST', CALLS(tm.accountSid), { To: '+15005550002', From: '+15005550006', Url: 'http://x.test/' })).body.code).toBe(21214);
    expect((await tm.control('GET', '/_mirra/calls')).body.calls).toEqual([]);
    expect((await tm.api('GET', CALLS(tm.accountSid))).body.code).toBe(20008);
  });
});
