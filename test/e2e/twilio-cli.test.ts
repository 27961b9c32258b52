/**
 * twilio-cli (npm `twilio-cli`, 6.x) against the mirror with environment only: it takes credentials
 * from TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN, tunnels through HTTP_PROXY (https-proxy-agent, CONNECT)
 * and, being Node, trusts mirra's CA through NODE_EXTRA_CA_CERTS. All of that is in `mirra env`.
 *
 * twilio-cli is ~175 MB of dependencies, so it is not a dev dependency: the test runs when the
 * binary is found (MIRRA_TWILIO_CLI=/path/to/twilio, else `twilio` on PATH reporting twilio-cli)
 * and skips otherwise (test/helpers/twilio-cli.ts). See docs/clients.md for setting it up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type ChildResult } from '../helpers/child';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { findTwilioCli, quietEnv } from '../helpers/twilio-cli';

const FROM = '+15555550123'; // owned by the twilio:verified-numbers seed
const TO = '+15555550199';

const found = findTwilioCli();
if ('missing' in found) process.stderr.write(`twilio-cli.test.ts: skipping: ${found.missing}\n`);

describe('twilio-cli through the mirror (proxy mode, env only)', () => {
  if ('missing' in found) {
    it.skip(`skipped: ${found.missing}`, () => {});
    return;
  }
  const bin = found.bin;

  let tm: TestMirror;
  let home: string;

  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
    home = mkdtempSync(join(tmpdir(), 'mirra-twcli-home-'));
  });

  afterAll(async () => {
    await tm?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  function twilio(args: string[], env: Record<string, string | undefined> = { ...tm.env }): Promise<ChildResult> {
    return runCommand(bin, args, { ...quietEnv(home), ...env }, 60_000);
  }

  function json(res: ChildResult): any[] {
    if (res.code !== 0) throw new Error(`twilio exited ${res.code}: ${res.stderr}`);
    return JSON.parse(res.stdout);
  }

  it('creates and fetches a message with `mirra env` only', async () => {
    const [created] = json(await twilio(['api:core:messages:create', '--from', FROM, '--to', TO, '--body', 'hello from twilio-cli', '-o', 'json']));
    expect(created).toMatchObject({ accountSid: tm.accountSid, from: FROM, to: TO, body: 'hello from twilio-cli' });
    expect(created.sid).toMatch(/^SM[0-9a-f]{32}$/);

    const [fetched] = json(await twilio(['api:core:messages:fetch', '--sid', created.sid, '-o', 'json']));
    expect(fetched).toMatchObject({ sid: created.sid, body: 'hello from twilio-cli' });

    const stored = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages/${created.sid}.json`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ sid: created.sid, to: TO, from: FROM });
  }, 60_000);

  it('fails on the certificate without NODE_EXTRA_CA_CERTS', async () => {
    const res = await twilio(['api:core:messages:list', '-o', 'json', '-l', 'debug'], { ...tm.env, NODE_EXTRA_CA_CERTS: undefined });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/unable to verify the first certificate|self[- ]signed certificate|certificate/i);
  }, 60_000);
});
