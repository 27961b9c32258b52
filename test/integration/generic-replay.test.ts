/**
 * Record and replay of an API only the generic engine serves (Conversations): recorded through
 * `mirra record` in proxy mode (the unchanged SDK, environment only) against a mirra standing in
 * for Twilio, then replayed to a base-URL client naming the domain by its `/conversations` prefix.
 * The served answers are applied to the engine's store, so an unrecorded list and update agree
 * with them; absolute URLs point at the mirror under the prefix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { startRecorder } from '../../src/mirror/start-recorder';
import { runSdk } from '../helpers/child';
import { startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';

const SEED = { name: 'generic-replay', clock: { frozen: true } };

/** Records a conversation's creation, a participant and a fetch; the cassette's path. */
async function record(): Promise<string> {
  const standIn = await startTestMirror({ seed: SEED });
  const made = (await standIn.control('POST', '/_mirra/sessions', { seed: SEED })).body as { accountSid: string; authToken: string };
  const dir = tempDir('mirra-generic-replay-');
  const rec = await startRecorder({ cassette: 'conversations', upstream: standIn.url, port: 0, dataDir: join(dir, 'data'), cassettesDir: join(dir, 'cassettes') });
  try {
    const out = await runSdk({ ...rec.env, TWILIO_ACCOUNT_SID: made.accountSid, TWILIO_AUTH_TOKEN: made.authToken }, `
      const c = await client.conversations.v1.conversations.create({ friendlyName: 'recorded', uniqueName: 'support-42' });
      await client.conversations.v1.conversations(c.sid).participants.create({ identity: 'alice' });
      const fetched = await client.conversations.v1.conversations(c.sid).fetch();
      return { sid: c.sid, fetched: fetched.friendlyName };
    `);
    expect(out).toMatchObject({ fetched: 'recorded' });
    const { file } = await rec.stop();
    return file;
  } finally {
    await rec.stop();
    await standIn.close();
  }
}

let cassette: string;
let tm: TestMirror;
beforeAll(async () => {
  cassette = await record();
  tm = await startTestMirror({ proxy: false, seed: SEED, cassette });
}, 60_000);
afterAll(() => tm?.close());

function client(): twilio.Twilio {
  const c = tm.client();
  c.conversations.baseUrl = `${tm.url}/conversations`;
  return c;
}

it('records Conversations by domain and Twilio path', () => {
  const text = readFileSync(cassette, 'utf8');
  expect(text).toContain('"product": "conversations"');
  expect(text).toContain('"path": "/v1/Conversations"');
});

it('applies served answers to the engine: an unrecorded list and update agree with them', async () => {
  const created = await client().conversations.v1.conversations.create({ friendlyName: 'recorded', uniqueName: 'support-42' }); // recorded
  expect(created.sid).toMatch(/^CH[0-9a-f]{32}$/);
  expect(created.url).toBe(`${tm.url}/conversations/v1/Conversations/${created.sid}`);
  await client().conversations.v1.conversations(created.sid).participants.create({ identity: 'alice' }); // recorded
  const listed = await client().conversations.v1.conversations.list(); // not recorded: the engine's state
  expect(listed.map((c) => [c.sid, c.friendlyName, c.uniqueName])).toEqual([[created.sid, 'recorded', 'support-42']]);
  const participants = await client().conversations.v1.conversations(created.sid).participants.list(); // not recorded
  expect(participants.map((p) => p.identity)).toEqual(['alice']);
  const renamed = await client().conversations.v1.conversations('support-42').update({ friendlyName: 'renamed' }); // not recorded
  expect(renamed).toMatchObject({ sid: created.sid, friendlyName: 'renamed' });
  const summary = await tm.control('GET', '/_mirra/replay');
  expect(summary.body.served).toBe(2);
});
