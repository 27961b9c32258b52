/**
 * Two flows apps run beyond Messages, through the unchanged twilio SDK configured only by the
 * mirror's environment (proxy mode: lookups.twilio.com, verify.twilio.com and
 * conversations.twilio.com reached through CONNECT + TLS):
 *
 * - Lookup before Verify: a number is looked up with `Fields=line_type_intelligence`; only a valid
 *   mobile number gets a verification, whose code the phone's inbox shows and the check approves.
 * - A Conversations webhook: an Express app behind `twilio.webhook()` (which refuses an unsigned
 *   request) receives `onMessageAdded` for a message the app adds, and answers it in the
 *   conversation.
 */
import { runSdk } from '../helpers/child';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const SERVICE = 'VA00000000000000000000000000000001'; // the verify-flow seed's service
const MOBILE = '+14155550101'; // a NANP number mirra's Lookup calls mobile (stable per number)
const LANDLINE = '+14155550100'; // … and landline

let tm: TestMirror;
beforeAll(async () => {
  tm = await startTestMirror({ seed: 'twilio:verify-flow' });
  await tm.control('POST', '/_mirra/clock', { freeze: true });
});
afterAll(() => tm.close());

it('looks a number up before verifying it: only a valid mobile number gets a code', async () => {
  const out = await runSdk({ ...tm.env }, `
    const verifyIfMobile = async (number) => {
      const lookup = await client.lookups.v2.phoneNumbers(number).fetch({ fields: 'line_type_intelligence' });
      if (!lookup.valid || lookup.lineTypeIntelligence?.type !== 'mobile') return { number, lookup: lookup.toJSON(), verification: null };
      const verification = await client.verify.v2.services('${SERVICE}').verifications.create({ to: lookup.phoneNumber, channel: 'sms' });
      return { number, lookup: lookup.toJSON(), verification: verification.toJSON() };
    };
    const results = [];
    for (const n of ['${MOBILE}', '${LANDLINE}', '+1415555']) results.push(await verifyIfMobile(n));
    const inbox = await (await fetch(process.env.MIRRA_URL + '/_mirra/messages?to=' + encodeURIComponent('${MOBILE}'))).json();
    const code = /code is: (\\w+)/.exec(inbox.messages[0].body)[1];
    const check = await client.verify.v2.services('${SERVICE}').verificationChecks.create({ to: '${MOBILE}', code });
    return { results, status: check.status };
  `);
  expect(out.error).toBeUndefined();
  const [mobile, landline, invalid] = out.results;
  expect(mobile.lookup).toMatchObject({ valid: true, phoneNumber: MOBILE, countryCode: 'US', nationalFormat: '(415) 555-0101', callingCountryCode: '1', callerName: null });
  // twilio-node camel-cases the package's keys too.
  expect(mobile.lookup.lineTypeIntelligence).toMatchObject({ type: 'mobile', errorCode: null, carrierName: expect.any(String) });
  expect(mobile.lookup.lineTypeIntelligence.mobileCountryCode).toMatch(/^31\d$/);
  expect(mobile.lookup.url).toBe(`https://lookups.twilio.com/v2/PhoneNumbers/${MOBILE}`);
  expect(mobile.verification).toMatchObject({ to: MOBILE, status: 'pending', channel: 'sms' });
  expect(landline).toMatchObject({ lookup: { valid: true, lineTypeIntelligence: { type: 'landline', mobileCountryCode: null } }, verification: null });
  expect(invalid).toMatchObject({ lookup: { valid: false, phoneNumber: '+1415555', lineTypeIntelligence: null }, verification: null });
  expect(invalid.lookup.validationErrors).toEqual(['TOO_SHORT']);
  expect(out.status).toBe('approved');
});

it('delivers onMessageAdded to an Express app behind twilio.webhook(), which answers in the conversation', async () => {
  const out = await runSdk({ ...tm.env }, `
    const express = require('express');
    const received = [];
    const app = express();
    app.post('/conversations', express.urlencoded({ extended: false }), twilio.webhook(), async (req, res) => {
      received.push(req.body);
      if (req.body.EventType === 'onMessageAdded' && req.body.Author !== 'bot') {
        await client.conversations.v1.conversations(req.body.ConversationSid).messages.create({ author: 'bot', body: 'Echo: ' + req.body.Body });
      }
      res.sendStatus(200);
    });
    const server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    const hook = 'http://127.0.0.1:' + server.address().port + '/conversations';
    try {
      const forged = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'Zm9yZ2Vk' }, body: 'EventType=onMessageAdded' });
      await client.conversations.v1.configuration.webhooks().update({ postWebhookUrl: hook, filters: ['onMessageAdded'], method: 'POST' });
      const conversation = await client.conversations.v1.conversations.create({ friendlyName: 'support' });
      await client.conversations.v1.conversations(conversation.sid).messages.create({ author: 'customer', body: 'hello', xTwilioWebhookEnabled: 'true' });
      for (let i = 0; i < 100 && received.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 100; i++) {
        const listed = await client.conversations.v1.conversations(conversation.sid).messages.list();
        if (listed.length === 2) return { forged: forged.status, received, conversationSid: conversation.sid, messages: listed.map((m) => [m.index, m.author, m.body]) };
        await new Promise((r) => setTimeout(r, 20));
      }
      return { forged: forged.status, received, timedOut: true };
    } finally {
      server.close();
    }
  `);
  expect(out.error).toBeUndefined();
  expect(out.forged).toBe(403); // twilio.webhook() refuses what Twilio did not sign
  expect(out.received).toHaveLength(1); // the bot's own message was added without webhooks
  expect(out.received[0]).toMatchObject({ EventType: 'onMessageAdded', ConversationSid: out.conversationSid, Author: 'customer', Body: 'hello', Index: '0', Source: 'API' });
  expect(out.messages).toEqual([
    [0, 'customer', 'hello'],
    [1, 'bot', 'Echo: hello'],
  ]);
});
