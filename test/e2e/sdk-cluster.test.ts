/**
 * Issue #18: the seven cases of the official SDKs' cluster tests (twilio-node
 * spec/cluster/test.spec.ts, twilio-python tests/cluster/test_cluster.py), made the same way
 * against mirra: an API key + secret + AccountSid client, a message, incoming numbers (all, and
 * limit 1), Conversations, toll-free available numbers, and two calls with an empty
 * `VoiceResponse` (as a string and as the object). The upstream files themselves run unchanged
 * with scripts/run-cluster-tests.sh; test/e2e/conversations-cluster.test.ts makes the Conversations
 * case once more in proxy mode.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import twilio from 'twilio';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { pointAt, startTestMirror, type TestMirror } from '../helpers/mirror';
import { PYTHON } from '../helpers/system-trust';

const FROM = '+15555550123';
const TO = '+15555550124';
const SEED = {
  name: 'cluster',
  numbers: [
    { phoneNumber: FROM, capabilities: { voice: true, sms: true, mms: true } },
    { phoneNumber: TO, capabilities: { voice: true, sms: true, mms: true } },
  ],
};

/** A second session of the mirror, with its API key. */
interface Creds {
  sessionId: string;
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
}

function pythonMissing(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import twilio'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return `${PYTHON} cannot \`import twilio\` (install Debian's python3-twilio)`;
  }
}

describe('the SDK cluster tests’ seven cases', () => {
  let tm: TestMirror;
  let creds: Creds;
  let client: twilio.Twilio;

  beforeAll(async () => {
    tm = await startTestMirror();
    const made = await tm.control('POST', '/_mirra/sessions', { seed: SEED });
    creds = made.body as Creds;
    // The cluster test's client: twilio(apiKey, apiSecret, { accountSid }).
    client = pointAt(twilio(creds.apiKeySid, creds.apiKeySecret, { accountSid: creds.accountSid }), tm.url);
  });
  afterAll(() => tm.close());

  describe('twilio-node', () => {
    const twiml = new twilio.twiml.VoiceResponse();

    it('Should send a text', async () => {
      const msg = await client.messages.create({ body: 'hello world', to: TO, from: FROM });
      expect(msg.sid).not.toBeUndefined();
      expect(msg).toMatchObject({ to: TO, from: FROM, body: 'hello world' });
    });

    it('Should list incoming numbers', async () => {
      const numbers = await client.incomingPhoneNumbers.list();
      expect(numbers).not.toBeNull();
      expect(numbers.length).toBeGreaterThanOrEqual(2);
    });

    it('Should list a incoming number', async () => {
      expect(await client.incomingPhoneNumbers.list({ limit: 1 })).toHaveLength(1);
    });

    it('Should allow special characters for friendly and identity name', async () => {
      client.conversations.baseUrl = `${tm.url}/conversations`;
      const friendlyName = 'service|friendly&name';
      const identity = 'user|identity&string';
      const conversation = await client.conversations.v1.conversations.create({ friendlyName });
      const participant = await client.conversations.v1.conversations(conversation.sid).participants.create({ identity });
      expect(conversation).toMatchObject({ friendlyName, accountSid: creds.accountSid });
      expect(participant).toMatchObject({ identity, conversationSid: conversation.sid });
      expect(await client.conversations.v1.conversations(conversation.sid).remove()).toBe(true);
      await expect(client.conversations.v1.conversations(conversation.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    });

    it('Should list available numbers', async () => {
      expect(await client.availablePhoneNumbers('US').tollFree.list({ limit: 2 })).toHaveLength(2);
    });

    it('Should call with twiml string', async () => {
      const call = await client.calls.create({ twiml: twiml.toString(), to: TO, from: FROM });
      expect(call.sid).toBeDefined();
    });

    it('Should call with twiml object', async () => {
      const call = await client.calls.create({ twiml, to: TO, from: FROM });
      expect(call.sid).toBeDefined();
      // The empty document runs: the call is answered and ends at once, with nothing said.
      await tm.control('POST', `/_mirra/clock?session=${creds.sessionId}`, { advanceMs: 10_000 });
      const [view] = (await tm.control('GET', `/_mirra/calls?session=${creds.sessionId}&sid=${call.sid}`)).body.calls;
      expect(view).toMatchObject({ status: 'completed', said: [], alerts: [] });
    });
  });

  const missing = pythonMissing();
  describe('twilio-python (Debian python3-twilio)', () => {
    if (missing) {
      it.skip(`skipped: ${missing}`, () => {});
      return;
    }
    it('passes the seven cases', async () => {
      const env = {
        MIRRA_URL: tm.url,
        TWILIO_FROM_NUMBER: FROM,
        TWILIO_TO_NUMBER: TO,
        TWILIO_API_KEY: creds.apiKeySid,
        TWILIO_API_SECRET: creds.apiKeySecret,
        TWILIO_ACCOUNT_SID: creds.accountSid,
        PYTHONDONTWRITEBYTECODE: '1',
        // unittest turns warnings on; requests' unclosed sockets would split its result lines.
        PYTHONWARNINGS: 'ignore::ResourceWarning',
      };
      const run = await runCommand(PYTHON, [join(REPO_ROOT, 'test', 'e2e', 'python', 'cluster.py')], env, 60_000);
      const results = Object.fromEntries([...run.stderr.matchAll(/^(test_\w+) \(.*?\) \.\.\. (ok|skipped.*|FAIL|ERROR)$/gm)].map((m) => [m[1], m[2]]));
      expect({ code: run.code, results }).toEqual({
        code: 0,
        results: {
          test_send_text_message: 'ok',
          test_list_incoming_numbers: 'ok',
          test_list_an_incoming_number: 'ok',
          test_allow_special_characters_for_friendly_and_identity_name: 'ok',
          test_list_available_numbers: 'ok',
          test_calling_twiml_string: 'ok',
          test_calling_twiml_object: 'ok',
        },
      });
    }, 60_000);
  });
});
