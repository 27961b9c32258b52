// The sign-up flow end to end against a Twilio mirror, configured by the environment only:
//   npx mirra replay --seed twilio:verify-flow -- npm test
// (or `eval "$(npx mirra env)" && npm test` next to a running `npx mirra up --seed twilio:verify-flow`).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const twilio = require('twilio');
const { start } = require('../app');

const MIRRA_URL = process.env.MIRRA_URL;
const PHONE = '+15551230100';

/** The mirror's control plane (plain HTTP on loopback). */
async function mirra(method, path, body) {
  const res = await fetch(MIRRA_URL + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(res.status, 200, `${method} ${path}: ${res.status}`);
  return res.json();
}

/** The code in the newest SMS the phone received. */
async function lastCode(phone) {
  const { messages } = await mirra('GET', `/_mirra/messages?to=${encodeURIComponent(phone)}`);
  const match = /code is: (\d+)/.exec(messages.at(-1)?.body ?? '');
  assert.ok(match, `no code in ${JSON.stringify(messages)}`);
  return match[1];
}

async function startApp(t) {
  const { server, url } = await start({ port: 0 });
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const post = (path, body) => fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { url, post };
}

test.before(() => assert.ok(MIRRA_URL, 'MIRRA_URL is not set: run under mirra (npx mirra replay --seed twilio:verify-flow -- npm test)'));

test('signs up with an SMS code, then the welcome SMS reports its delivery', async (t) => {
  const { url, post } = await startApp(t);

  assert.equal((await post('/signup', { phone: PHONE })).status, 202);
  const code = await lastCode(PHONE);

  const wrong = await post('/verify', { phone: PHONE, code: code === '000000' ? '111111' : '000000' });
  assert.equal(wrong.status, 401);
  assert.deepEqual(await wrong.json(), { verified: false, status: 'pending' });

  const right = await post('/verify', { phone: PHONE, code });
  assert.equal(right.status, 200);
  const { verified, welcomeSid } = await right.json();
  assert.equal(verified, true);
  assert.match(welcomeSid, /^SM[0-9a-f]{32}$/);

  // Step the mirror's clock past the delivery; it answers once the status callbacks were made.
  await mirra('POST', '/_mirra/clock', { advanceMs: 10_000 });
  const delivery = await (await fetch(`${url}/messages/${welcomeSid}`)).json();
  assert.deepEqual(delivery.statuses, ['queued', 'sending', 'sent', 'delivered']);

  // The code is spent.
  assert.equal((await post('/verify', { phone: PHONE, code })).status, 410);
});

test('the status route accepts only callbacks signed with the auth token', async (t) => {
  const { url } = await startApp(t);
  const params = { MessageSid: 'SM' + '0'.repeat(32), MessageStatus: 'delivered' };
  const send = (headers) =>
    fetch(`${url}/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
    });
  const signature = twilio.getExpectedTwilioSignature(process.env.TWILIO_AUTH_TOKEN, `${url}/twilio/status`, params);

  assert.equal((await send({ 'x-twilio-signature': signature })).status, 204);
  assert.equal((await send({ 'x-twilio-signature': 'forged' + signature.slice(6) })).status, 403);
  assert.equal((await send({})).status, 400);
});
