/**
 * The Conversations case of twilio-node's and twilio-python's cluster tests (spec/cluster/test.spec.ts,
 * tests/cluster/test_cluster.py), in our own words: a conversation whose friendly name and a
 * participant whose identity hold `|` and `&`, signed in with an API key and the AccountSid, then
 * removed. Through twilio-node in proxy mode (environment only, as the cluster tests run) and
 * through Debian's python3-twilio in base-URL mode (`conversations.base_url`), which needs no
 * trust store. The unchanged upstream files run through scripts/run-cluster-tests.sh.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, runCommand, runSdk } from '../helpers/child';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const PYTHON = '/usr/bin/python3';
const FRIENDLY = 'service|friendly&name';
const IDENTITY = 'user|identity&string';

/** Why python3-twilio cannot run here, or undefined. */
function missingPython(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import twilio'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return `${PYTHON} cannot \`import twilio\` (apt-get install python3-twilio)`;
  }
}

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

const python = missingPython();
(python ? it.skip : it)(`python3-twilio: the same through Debian's client${python ? ` (skipped: ${python})` : ''}`, async () => {
  const env = { MIRRA_URL: tm.url, TWILIO_ACCOUNT_SID: creds.accountSid, TWILIO_API_KEY: creds.apiKeySid, TWILIO_API_SECRET: creds.apiKeySecret };
  const run = await runCommand(PYTHON, [join(REPO_ROOT, 'test', 'e2e', 'python', 'conversation_names.py')], env, 30_000);
  expect(run.stderr).toBe('');
  const out = JSON.parse(run.stdout);
  expect(out).toMatchObject({ friendly_name: FRIENDLY, fetched_friendly_name: FRIENDLY, identity: IDENTITY, removed: true, gone: 404 });
  expect(out.participant_conversation).toBe(out.sid);
});
