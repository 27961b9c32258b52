/**
 * Issue #17's wiring through a listening mirror: the Account and its API keys answered from the
 * session (a created key's secret authenticates, a deleted one no longer does, a reset forgets
 * them); hand-built routes only on their own domains' hosts (`chat.twilio.com/v1/Services` is the
 * engine's, not Messaging Services); engine answers under a Twilio host and under a base-URL
 * prefix; the inspector's view of a generic record and of a Conversations webhook.
 */
import http from 'node:http';
import twilio from 'twilio';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startReceiver, type Receiver } from '../helpers/receiver';

const SEED = { name: 'every-api', clock: { frozen: true } };

let tm: TestMirror;
let rx: Receiver;
beforeAll(async () => {
  tm = await startTestMirror({ proxy: false, seed: SEED });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
  await tm.close();
});

/** A request as a client of `host` sends it (proxy mode's Host), with the default session's credentials. */
function onHost(host: string, method: string, path: string, form?: Record<string, string>, auth: [string, string] = [tm.accountSid, tm.authToken]): Promise<{ status: number; body: any }> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(`${tm.url}${path}`, {
      method,
      headers: { host, authorization: 'Basic ' + Buffer.from(auth.join(':')).toString('base64'), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the Account', () => {
  it('is the session’s: its SID, auth token and creation; renamed, it stays renamed', async () => {
    const account = await tm.client().api.v2010.accounts(tm.accountSid).fetch();
    expect(account).toMatchObject({ sid: tm.accountSid, authToken: tm.authToken, ownerAccountSid: tm.accountSid, status: 'active', type: 'Full' });
    const renamed = await tm.client().api.v2010.accounts(tm.accountSid).update({ friendlyName: 'my app' });
    expect(renamed.friendlyName).toBe('my app');
    expect((await tm.client().api.v2010.accounts(tm.accountSid).fetch()).friendlyName).toBe('my app');
  });

  it('makes subaccounts, listed with it; another account’s SID is 404', async () => {
    const sub = await tm.client().api.v2010.accounts.create({ friendlyName: 'tenant 1' });
    expect(sub).toMatchObject({ friendlyName: 'tenant 1', ownerAccountSid: tm.accountSid, status: 'active' });
    expect(sub.authToken).toMatch(/^[0-9a-f]{32}$/);
    const listed = await tm.client().api.v2010.accounts.list();
    expect(listed.map((a) => a.sid).sort()).toEqual([tm.accountSid, sub.sid].sort());
    await expect(tm.client().api.v2010.accounts('AC' + '9'.repeat(32)).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });
});

describe('API keys', () => {
  it('authenticate once created, are listed with the session’s own, renamed, and refused once deleted', async () => {
    const key = await tm.client().api.v2010.accounts(tm.accountSid).newKeys.create({ friendlyName: 'ci' });
    expect(key.sid).toMatch(/^SK[0-9a-f]{32}$/);
    const viaKey = twilio(key.sid, key.secret, { accountSid: tm.accountSid });
    viaKey.api.baseUrl = tm.url;
    expect((await viaKey.api.v2010.accounts(tm.accountSid).fetch()).sid).toBe(tm.accountSid);
    const keys = await tm.client().api.v2010.accounts(tm.accountSid).keys.list();
    expect(keys).toHaveLength(2);
    expect(keys.find((k) => k.sid === key.sid)).toMatchObject({ friendlyName: 'ci' });
    expect((await tm.client().api.v2010.accounts(tm.accountSid).keys(key.sid).update({ friendlyName: 'ci-2' })).friendlyName).toBe('ci-2');
    await tm.client().api.v2010.accounts(tm.accountSid).keys(key.sid).remove();
    await expect(viaKey.api.v2010.accounts(tm.accountSid).fetch()).rejects.toMatchObject({ status: 401, code: 20003 });
    await expect(tm.client().api.v2010.accounts(tm.accountSid).keys(key.sid).fetch()).rejects.toMatchObject({ status: 404 });
  });

  it('made through IAM v1 authenticate too, and a reset forgets them (the session’s own key comes back)', async () => {
    const made = (await tm.control('POST', '/_mirra/sessions', { id: 'keys-reset', seed: SEED })).body;
    const client = twilio(made.accountSid, made.authToken);
    client.iam.baseUrl = `${tm.url}/iam`;
    client.api.baseUrl = tm.url;
    const key = await client.iam.v1.newApiKey.create({ accountSid: made.accountSid, friendlyName: 'iam' });
    const viaKey = twilio(key.sid, key.secret, { accountSid: made.accountSid });
    viaKey.api.baseUrl = tm.url;
    expect((await viaKey.api.v2010.accounts(made.accountSid).fetch()).sid).toBe(made.accountSid);
    await client.api.v2010.accounts(made.accountSid).keys(made.apiKeySid).remove(); // the session's own key
    const ownKey = twilio(made.apiKeySid, made.apiKeySecret, { accountSid: made.accountSid });
    ownKey.api.baseUrl = tm.url;
    await expect(ownKey.api.v2010.accounts(made.accountSid).fetch()).rejects.toMatchObject({ status: 401 });
    await tm.control('POST', '/_mirra/reset?session=keys-reset');
    await expect(viaKey.api.v2010.accounts(made.accountSid).fetch()).rejects.toMatchObject({ status: 401 });
    expect((await ownKey.api.v2010.accounts(made.accountSid).fetch()).sid).toBe(made.accountSid);
    await tm.control('DELETE', '/_mirra/sessions/keys-reset');
  });
});

describe('hosts', () => {
  it('keeps hand-built routes to their own domains: chat.twilio.com/v1/Services is not a Messaging Service', async () => {
    const mg = await onHost('messaging.twilio.com', 'POST', '/v1/Services', { FriendlyName: 'hand-built' });
    expect(mg.body.sid).toMatch(/^MG/);
    const chat = await onHost('chat.twilio.com', 'POST', '/v1/Services', { FriendlyName: 'generic chat' });
    expect(chat).toMatchObject({ status: 201, body: { friendly_name: 'generic chat', url: `https://chat.twilio.com/v1/Services/${chat.body.sid}` } });
    expect(chat.body.sid).toMatch(/^IS/);
    const chatList = await onHost('chat.twilio.com', 'GET', '/v1/Services');
    expect(chatList.body.services.map((s: { sid: string }) => s.sid)).toEqual([chat.body.sid]);
    const mgList = await onHost('messaging.twilio.com', 'GET', '/v1/Services');
    expect(mgList.body.services.map((s: { sid: string }) => s.sid)).toContain(mg.body.sid);
    expect(mgList.body.services.map((s: { sid: string }) => s.sid)).not.toContain(chat.body.sid);
    // An edge/region host form names its domain by its first label too.
    const edge = await onHost('chat.sydney.au1.twilio.com', 'GET', `/v1/Services/${chat.body.sid}`);
    expect(edge.body.friendly_name).toBe('generic chat');
  });

  it('names a domain by its /<domain> prefix in base-URL mode, the hand-built ones too', async () => {
    const created = await tm.api('POST', '/verify/v2/Services', { FriendlyName: 'prefixed' });
    expect(created.status).toBe(201);
    expect((await tm.api('GET', `/v2/Services/${created.body.sid}`)).body.friendly_name).toBe('prefixed');
    const sync = await tm.api('POST', '/sync/v1/Services', { FriendlyName: 'docs' });
    expect(sync.body.url).toBe(`${tm.url}/sync/v1/Services/${sync.body.sid}`);
    expect((await tm.api('GET', '/sync/v1/Services')).body.meta.url).toBe(`${tm.url}/sync/v1/Services?PageSize=50&Page=0`);
    expect((await tm.api('GET', '/nothing/v1/Things')).body).toMatchObject({ status: 404, code: 20404 });
  });
});

describe('the inspector', () => {
  it('shows a generic record by SID, and a Conversations webhook among its events', async () => {
    const c = tm.client();
    c.conversations.baseUrl = `${tm.url}/conversations`;
    await c.conversations.v1.configuration.webhooks().update({ postWebhookUrl: `${rx.url}/hook`, filters: ['onMessageAdded'] });
    const conversation = await c.conversations.v1.conversations.create({ friendlyName: 'inspected' });
    const message = await c.conversations.v1.conversations(conversation.sid).messages.create({ body: 'hi', xTwilioWebhookEnabled: 'true' });
    await rx.waitFor(1);
    await tm.control('POST', '/_mirra/clock', { advanceMs: 0 }); // settles the outbox
    const view = await tm.control('GET', `/_mirra/inspect/generic/${conversation.sid}`);
    expect(view.body.generic).toMatchObject({ domain: 'conversations', type: 'conversations.v1.conversation', record: { sid: conversation.sid, friendly_name: 'inspected', state: 'active' } });
    const events = await tm.control('GET', `/_mirra/inspect/generic/${message.sid}`);
    expect(events.body.events.map((e: { title: string }) => e.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^conversations webhook onMessageAdded \(IM[0-9a-f]{32}\) → POST .*\/hook: 200$/)]));
  });
});
