/**
 * Conversations through the real twilio SDK (base-URL mode, `/conversations` prefix): Twilio's
 * starting values on top of the generic engine's CRUD; the global, service and scoped webhooks
 * (pre-events that refuse or change an action, post-events with §11's fields, signed with the
 * session's token); webhooks only on `X-Twilio-Webhook-Enabled: true` from the REST API; SMS
 * participants bridged to Messages both ways.
 */
import twilio from 'twilio';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startReceiver, type Receiver, type Received } from '../helpers/receiver';

const PROXY = '+15555550123';
const PHONE = '+15551230000';
const SEED = { name: 'conversations-test', clock: { frozen: true }, numbers: [{ phoneNumber: PROXY }] };

let tm: TestMirror;
let pre: Receiver;
let post: Receiver;

function client(): twilio.Twilio {
  const c = tm.client();
  c.conversations.baseUrl = `${tm.url}/conversations`;
  return c;
}

/** True when `r` carries a valid X-Twilio-Signature for the session's token. */
function signed(r: Received, base: string): boolean {
  return twilio.validateRequest(tm.authToken, String(r.headers['x-twilio-signature']), `${base}${r.path}`, r.params as Record<string, string>);
}

beforeAll(async () => {
  tm = await startTestMirror({ proxy: false, seed: SEED });
  pre = await startReceiver();
  post = await startReceiver();
});
afterAll(async () => {
  await pre.close();
  await post.close();
  await tm.close();
});
beforeEach(async () => {
  pre.received.length = 0;
  post.received.length = 0;
  pre.respond(200, '');
  await client().conversations.v1.configuration.webhooks().update({ filters: [], preWebhookUrl: '', postWebhookUrl: '' });
});

describe('conversations', () => {
  it('start as Twilio starts them: active, attributes {}, in the default service', async () => {
    const c = await client().conversations.v1.conversations.create({ friendlyName: 'Support' });
    expect(c).toMatchObject({ friendlyName: 'Support', state: 'active', attributes: '{}', timers: {} });
    expect(c.chatServiceSid).toMatch(/^IS[0-9a-f]{32}$/);
    const again = await client().conversations.v1.conversations.create({});
    expect(again.chatServiceSid).toBe(c.chatServiceSid);
  });

  it('keep their unique names unique (409/50353), and no unique name looks like a SID (400/50390)', async () => {
    const first = await client().conversations.v1.conversations.create({ uniqueName: 'order-42' });
    await expect(client().conversations.v1.conversations.create({ uniqueName: 'order-42' })).rejects.toMatchObject({ status: 409, code: 50353 });
    await expect(client().conversations.v1.conversations.create({ uniqueName: first.sid })).rejects.toMatchObject({ status: 400, code: 50390 });
    const renamed = await client().conversations.v1.conversations('order-42').update({ uniqueName: 'order-42', friendlyName: 'same name, same conversation' });
    expect(renamed.sid).toBe(first.sid);
  });

  it('number their messages and name the participant who wrote one', async () => {
    const c = await client().conversations.v1.conversations.create({});
    const alice = await client().conversations.v1.conversations(c.sid).participants.create({ identity: 'alice' });
    const m0 = await client().conversations.v1.conversations(c.sid).messages.create({ body: 'first' });
    const m1 = await client().conversations.v1.conversations(c.sid).messages.create({ author: 'alice', body: 'second' });
    expect([m0.index, m0.author, m0.participantSid]).toEqual([0, 'system', null]);
    expect([m1.index, m1.author, m1.participantSid]).toEqual([1, 'alice', alice.sid]);
  });
});

describe('webhooks', () => {
  it('send onMessageAdded, signed, to the global post-event URL only when the REST call asks for webhooks', async () => {
    await client().conversations.v1.configuration.webhooks().update({ postWebhookUrl: `${post.url}/post`, filters: ['onMessageAdded'], method: 'POST' });
    const c = await client().conversations.v1.conversations.create({});
    await client().conversations.v1.conversations(c.sid).messages.create({ body: 'quiet' }); // no header: no webhook
    const m = await client().conversations.v1.conversations(c.sid).messages.create({ author: 'bob', body: 'hello', xTwilioWebhookEnabled: 'true' });
    const [hook] = await post.waitFor(1);
    expect(post.received).toHaveLength(1);
    expect(hook.params).toMatchObject({
      EventType: 'onMessageAdded',
      AccountSid: tm.accountSid,
      ConversationSid: c.sid,
      ChatServiceSid: c.chatServiceSid,
      MessageSid: m.sid,
      Index: '1',
      Author: 'bob',
      Body: 'hello',
      Source: 'API',
    });
    expect(hook.params.DateCreated).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(signed(hook, post.url)).toBe(true);
  });

  it('let a pre-event webhook refuse a message (403/20403) or change it', async () => {
    await client().conversations.v1.configuration.webhooks().update({ preWebhookUrl: `${pre.url}/pre`, filters: ['onMessageAdd'] });
    const c = await client().conversations.v1.conversations.create({});
    pre.respond(403, 'no');
    await expect(client().conversations.v1.conversations(c.sid).messages.create({ body: 'spam', xTwilioWebhookEnabled: 'true' })).rejects.toMatchObject({ status: 403, code: 20403 });
    expect(pre.received[0].params).toMatchObject({ EventType: 'onMessageAdd', Body: 'spam', ConversationSid: c.sid });
    expect(await client().conversations.v1.conversations(c.sid).messages.list()).toEqual([]);
    pre.respond(200, JSON.stringify({ body: 'changed by the hook' }), 'application/json');
    const m = await client().conversations.v1.conversations(c.sid).messages.create({ body: 'original', xTwilioWebhookEnabled: 'true' });
    expect(m.body).toBe('changed by the hook');
  });

  it('send a conversation’s scoped webhook the events its filters list, with WebhookSid', async () => {
    const c = await client().conversations.v1.conversations.create({});
    const wh = await client().conversations.v1.conversations(c.sid).webhooks.create({ target: 'webhook', 'configuration.url': `${post.url}/scoped`, 'configuration.filters': ['onMessageAdded'] });
    await client().conversations.v1.conversations(c.sid).participants.create({ identity: 'carol', xTwilioWebhookEnabled: 'true' }); // not in its filters
    await client().conversations.v1.conversations(c.sid).messages.create({ body: 'scoped', xTwilioWebhookEnabled: 'true' });
    const [hook] = await post.waitFor(1);
    expect(hook.path).toBe('/scoped');
    expect(hook.params).toMatchObject({ EventType: 'onMessageAdded', WebhookSid: wh.sid, WebhookType: 'webhook', RetryCount: '0', Body: 'scoped' });
    await expect(
      client().conversations.v1.conversations(c.sid).webhooks.create({ target: 'webhook', 'configuration.url': `${post.url}/x`, 'configuration.filters': ['onNothing'] }),
    ).rejects.toMatchObject({ status: 400, code: 50365 });
  });

  it('send a service’s events to its own configuration', async () => {
    const service = await client().conversations.v1.services.create({ friendlyName: 'app' });
    await client().conversations.v1.services(service.sid).configuration.webhooks().update({ postWebhookUrl: `${post.url}/service`, filters: ['onConversationAdded', 'onParticipantAdded'] });
    const c = await client().conversations.v1.services(service.sid).conversations.create({ friendlyName: 'in service', xTwilioWebhookEnabled: 'true' });
    const p = await client().conversations.v1.services(service.sid).conversations(c.sid).participants.create({ identity: 'dave', xTwilioWebhookEnabled: 'true' });
    const hooks = await post.waitFor(2);
    expect(c.chatServiceSid).toBe(service.sid);
    expect(hooks.map((h) => [h.path, h.params.EventType])).toEqual([['/service', 'onConversationAdded'], ['/service', 'onParticipantAdded']]);
    expect(hooks[1].params).toMatchObject({ ParticipantSid: p.sid, Identity: 'dave', ChatServiceSid: service.sid, ConversationSid: c.sid });
  });
});

describe('SMS participants', () => {
  it('get the conversation’s messages as SMS from the proxy number, and their SMS join the conversation', async () => {
    await client().conversations.v1.configuration.webhooks().update({ postWebhookUrl: `${post.url}/post`, filters: ['onMessageAdded'] });
    const c = await client().conversations.v1.conversations.create({});
    const phone = await client().conversations.v1.conversations(c.sid).participants.create({ 'messagingBinding.address': PHONE, 'messagingBinding.proxyAddress': PROXY });
    expect(phone.messagingBinding).toEqual({ type: 'sms', address: PHONE, proxy_address: PROXY });
    await client().conversations.v1.conversations(c.sid).messages.create({ author: 'agent', body: 'How can we help?' });
    await tm.advance(5000);
    const inbox = await tm.control('GET', `/_mirra/messages?to=${encodeURIComponent(PHONE)}`);
    expect(inbox.body.messages.map((m: { from: string; body: string }) => [m.from, m.body])).toEqual([[PROXY, 'How can we help?']]);

    const inbound = await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: PHONE, to: PROXY, body: 'My order is late' });
    expect(inbound.body.webhook).toBeNull(); // the conversation took it, not the number's SmsUrl
    expect(inbound.body.conversationMessage).toMatchObject({ author: PHONE, body: 'My order is late', participant_sid: phone.sid, index: 1 });
    const [hook] = await post.waitFor(1);
    expect(hook.params).toMatchObject({ EventType: 'onMessageAdded', Source: 'SMS', Author: PHONE, ParticipantSid: phone.sid });
    const listed = await client().conversations.v1.conversations(c.sid).messages.list();
    expect(listed.map((m) => m.body)).toEqual(['How can we help?', 'My order is late']);
  });
});
