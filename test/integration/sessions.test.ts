/**
 * Sessions: isolated accounts served at once, created and removed on the control plane, reset to
 * their seed, and found by Basic auth or by a `twilio-<id>.` host prefix.
 */
import { startTestMirror, type TestMirror } from '../helpers/mirror';

describe('sessions', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
  });
  afterAll(() => tm.close());

  it('creates a session with its own credentials, and two sessions never see each other’s messages', async () => {
    const created = await tm.control('POST', '/_mirra/sessions', { seed: 'twilio:verified-numbers' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sessionId: expect.any(String), accountSid: expect.stringMatching(/^AC[0-9a-f]{32}$/), authToken: expect.stringMatching(/^[0-9a-f]{32}$/), url: tm.url });
    const a = tm.client();
    const b = tm.client(created.body.accountSid, created.body.authToken);
    const ma = await a.messages.create({ to: '+15551230000', from: '+15555550123', body: 'from A' });
    const mb = await b.messages.create({ to: '+15551230000', from: '+15555550123', body: 'from B' });
    expect((await a.messages.list()).map((m) => m.sid)).toContain(ma.sid);
    expect((await a.messages.list()).map((m) => m.sid)).not.toContain(mb.sid);
    expect((await b.messages.list()).map((m) => m.sid)).toEqual([mb.sid]);
    // A SID of another account is Twilio's 404, even in the right path shape.
    await expect(a.messages(mb.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    // One session's credentials do not open another's account path.
    const cross = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`, undefined, [created.body.accountSid, created.body.authToken]);
    expect(cross.status).toBe(404);
    // Inboxes are per session too.
    await tm.advance(5000);
    await tm.advance(5000, created.body.sessionId);
    const inboxA = await tm.control('GET', '/_mirra/messages?to=%2B15551230000');
    const inboxB = await tm.control('GET', `/_mirra/messages?to=%2B15551230000&session=${created.body.sessionId}`);
    expect(inboxA.body.messages.map((m: { body: string }) => m.body)).toEqual(['from A']);
    expect(inboxB.body.messages.map((m: { body: string }) => m.body)).toEqual(['from B']);
  });

  it('accepts the API key of a session', async () => {
    const created = await tm.control('POST', '/_mirra/sessions', {});
    const { accountSid, apiKeySid, apiKeySecret } = created.body;
    const res = await tm.api('GET', `/2010-04-01/Accounts/${accountSid}/Messages.json`, undefined, [apiKeySid, apiKeySecret]);
    expect(res.status).toBe(200);
    const wrong = await tm.api('GET', `/2010-04-01/Accounts/${accountSid}/Messages.json`, undefined, [apiKeySid, 'x'.repeat(32)]);
    expect(wrong.status).toBe(401);
  });

  it('takes an account and token given by the caller, and finds the session by host prefix', async () => {
    const accountSid = 'AC' + 'a'.repeat(32);
    const created = await tm.control('POST', '/_mirra/sessions', { id: 'ci-job-7', accountSid, authToken: 'b'.repeat(32) });
    expect(created.body).toMatchObject({ sessionId: 'ci-job-7', accountSid, authToken: 'b'.repeat(32) });
    const dup = await tm.control('POST', '/_mirra/sessions', { id: 'ci-job-7' });
    expect(dup.status).toBe(400);
    const res = await fetch(`${tm.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      headers: { host: 'twilio-ci-job-7.localhost', authorization: 'Basic ' + Buffer.from(`${accountSid}:${'b'.repeat(32)}`).toString('base64') },
    });
    expect(res.status).toBe(200);
  });

  it('resets a session to its seed and deletes a session', async () => {
    const created = await tm.control('POST', '/_mirra/sessions', { seed: 'twilio:verified-numbers' });
    const c = tm.client(created.body.accountSid, created.body.authToken);
    await c.messages.create({ to: '+15551230000', from: '+15555550123', body: 'x' });
    const reset = await tm.control('POST', `/_mirra/reset?session=${created.body.sessionId}`);
    expect(reset.status).toBe(200);
    expect(await c.messages.list()).toEqual([]);
    // The seed is back: its numbers are still valid senders.
    await c.messages.create({ to: '+15551230000', from: '+15555550124', body: 'after reset' });
    const del = await tm.control('DELETE', `/_mirra/sessions/${created.body.sessionId}`);
    expect(del.status).toBe(204);
    await expect(c.messages.list()).rejects.toMatchObject({ status: 401 });
    expect((await tm.control('DELETE', `/_mirra/sessions/${created.body.sessionId}`)).status).toBe(404);
  });

  it('rejects bad control input with mirra’s error shape', async () => {
    const bad = await tm.control('POST', '/_mirra/sessions', { seed: 'twilio:nope' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'MIRRA_ERR_UNKNOWN_SEED', status: 400 });
    expect(bad.body.message).toContain('twilio:verified-numbers');
    expect((await tm.control('POST', '/_mirra/clock', { advanceMs: -5 })).body.code).toBe('MIRRA_ERR_BAD_REQUEST');
    expect((await tm.control('POST', '/_mirra/simulate', { event: 'nope' })).body.code).toBe('MIRRA_ERR_UNKNOWN_EVENT');
    expect((await tm.control('GET', '/_mirra/clock?session=missing')).status).toBe(404);
  });
});
