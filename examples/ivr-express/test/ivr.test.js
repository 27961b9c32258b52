// The IVR end to end against a Twilio mirror, configured by the environment only:
//   npx mirra replay --seed twilio:verified-numbers -- npm test
// (or `eval "$(npx mirra env)" && npm test` next to a running `npx mirra up --seed twilio:verified-numbers`).
// The mirror's clock is frozen and stepped, so a call that takes a minute takes milliseconds.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { start } = require('../app');

const MIRRA_URL = process.env.MIRRA_URL;
const OFFICE = '+15555550123'; // owned by the twilio:verified-numbers seed
const PATIENT = '+15551230100';

/** The mirror's control plane (plain HTTP on loopback). */
async function mirra(method, path, body) {
  const res = await fetch(MIRRA_URL + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(res.status, 200, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

const advance = (ms) => mirra('POST', '/_mirra/clock', { advanceMs: ms });
const simulate = (event, body) => mirra('POST', '/_mirra/simulate', { event, ...body });
const callView = async (sid) => (await mirra('GET', `/_mirra/calls?sid=${sid}`)).calls[0];

test.before(async () => {
  assert.ok(MIRRA_URL, 'MIRRA_URL is not set: run under mirra (npx mirra replay --seed twilio:verified-numbers -- npm test)');
  await mirra('POST', '/_mirra/clock', { freeze: true });
});

async function startApp(t) {
  const { server, url } = await start({ port: 0, number: OFFICE });
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return url;
}

test('a caller presses 1 and hears their appointment', async (t) => {
  await startApp(t);
  const { call } = await simulate('call.inbound', { from: PATIENT, to: OFFICE });
  await advance(2_000);
  await simulate('call.digits', { callSid: call.sid, digits: '1' });
  await advance(30_000);
  const seen = await callView(call.sid);
  assert.equal(seen.status, 'completed');
  assert.deepEqual(seen.said, ['Welcome to Mirra Dental. Press 1 for your next appointment. Press 2 to leave a message.', 'Your next appointment is on Monday at 9 AM.']);
});

test('a reminder call is answered, confirmed, and every status callback arrives in order', async (t) => {
  const url = await startApp(t);
  const res = await fetch(`${url}/reminders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: PATIENT, from: OFFICE }) });
  assert.equal(res.status, 201);
  const { callSid } = await res.json();
  await advance(8_000); // rings, is answered after 5 s, the reminder plays
  await simulate('call.digits', { callSid, digits: '1' });
  await advance(30_000);
  const seen = await (await fetch(`${url}/calls/${callSid}`)).json();
  assert.deepEqual(seen.statuses.map((s) => s.status), ['initiated', 'ringing', 'in-progress', 'completed']);
  assert.deepEqual(seen.statuses.map((s) => s.sequence), [0, 1, 2, 3]);
  assert.equal(seen.answer, 'confirmed');
});

test('a caller leaves a voicemail: a Recording, reported to the app', async (t) => {
  const url = await startApp(t);
  const { call } = await simulate('call.inbound', { from: PATIENT, to: OFFICE });
  await advance(2_000);
  await simulate('call.digits', { callSid: call.sid, digits: '2' });
  await advance(4_000); // the prompt, then the beep
  await simulate('call.speech', { callSid: call.sid, speech: 'Please call me back about my filling.' });
  await advance(30_000); // 3 s of silence end the recording
  const { voicemails } = await (await fetch(`${url}/voicemails`)).json();
  const mine = voicemails.filter((v) => v.callSid === call.sid);
  assert.equal(mine.length, 1);
  assert.match(mine[0].recordingSid, /^RE[0-9a-f]{32}$/);
  assert.equal(mine[0].status, 'completed');
  assert.deepEqual((await callView(call.sid)).said.at(-1), 'Thank you. Goodbye.');
});
