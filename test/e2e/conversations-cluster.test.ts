/**
 * The Conversations case of twilio-node's and twilio-python's cluster tests (spec/cluster/test.spec.ts,
 * tests/cluster/test_cluster.py), in our own words: a conversation whose friendly name and a
 * participant whose identity hold `|` and `&`, signed in with an API key and the AccountSid, then
 * removed, through twilio-node in proxy mode (environment only, as the cluster tests run).
 * test/e2e/sdk-cluster.test.ts makes it in base-URL mode in both SDKs; the unchanged upstream files
 * run through scripts/run-cluster-tests.sh.
 */
import { runSdk } from '../helpers/child';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const FRIENDLY = 'service|friendly&name';
const IDENTITY = 'user|identity&string';

let tm: TestMirror;
/** A session of its own, with its API key (as the cluster tests sign in). */
let creds: { accountSid: string; apiKeySid: string; apiKeySecret: string };

beforeAll(async () => {
  tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
  const made = await tm.control('POST', '/_mirra/sessions', { seed: 'twilio:verified-numbers' });
  creds = made.body;
});
afterAll(() => tm.close());

it('twilio-node: creates the conversation and participant with special characters, and removes the conversation', async () => {
  const env = { ...tm.env, TWILIO_ACCOUNT_SID: creds.accountSid, TWILIO_AUTH_TOKEN: undefined, TWILIO_API_KEY: creds.apiKeySid, TWILIO_API_SECRET: creds.apiKeySecret };
  const result = await runSdk(env, `
    const c = require('twilio')(process.env.TWILIO_API_KEY, process.env.TWILIO_API_SECRET, { accountSid: process.env.TWILIO_ACCOUNT_SID });
    const conversation = await c.conversations.v1.conversations.create({ friendlyName: ${JSON.stringify(FRIENDLY)} });
    const participant = await c.conversations.v1.conversations(conversation.sid).participants.create({ identity: ${JSON.stringify(IDENTITY)} });
    const removed = await c.conversations.v1.conversations(conversation.sid).remove();
    let gone;
    try { await c.conversations.v1.conversations(conversation.sid).fetch(); } catch (e) { gone = { status: e.status, code: e.code }; }
    return { friendlyName: conversation.friendlyName, accountSid: conversation.accountSid, identity: participant.identity, conversationSid: participant.conversationSid, sid: conversation.sid, removed, gone };
  `);
  expect(result).toMatchObject({ friendlyName: FRIENDLY, identity: IDENTITY, accountSid: creds.accountSid, removed: true, gone: { status: 404, code: 20404 } });
  expect(result.conversationSid).toBe(result.sid);
});

