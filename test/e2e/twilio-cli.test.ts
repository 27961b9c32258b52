/**
 * twilio-cli (npm `twilio-cli`, 6.x) against the mirror with environment only: it takes credentials
 * from TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN, tunnels through HTTP_PROXY (https-proxy-agent, CONNECT)
 * and, being Node, trusts mirra's CA through NODE_EXTRA_CA_CERTS. All of that is in `mirra env`.
 *
 * twilio-cli is ~175 MB of dependencies, so it is not a dev dependency: the test runs when the
 * binary is found (MIRRA_TWILIO_CLI=/path/to/twilio, else `twilio` on PATH reporting twilio-cli)
 * and skips otherwise. See docs/clients.md for setting it up.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type ChildResult } from '../helpers/child';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const FROM = '+15555550123'; // owned by the twilio:verified-numbers seed
const TO = '+15555550199';

/**
 * Keeps the CLI offline and away from the user's own setup: a fresh HOME (no ~/.twilio-cli
 * profiles), no background self-update or npm version check, no outer CA or proxy variables.
 */
function quietEnv(home: string): Record<string, string | undefined> {
  return {
    HOME: home,
    TWILIO_DISABLE_AUTOUPDATE: '1',
    TWILIO_SKIP_NEW_VERSION_CHECK: 'true',
    TWILIO_API_KEY: undefined,
    TWILIO_API_SECRET: undefined,
    TWILIO_REGION: undefined,
    TWILIO_EDGE: undefined,
    SSL_CERT_FILE: undefined,
    SSL_CERT_DIR: undefined,
    NO_PROXY: undefined,
    no_proxy: undefined,
  };
}

/** The twilio-cli binary, or why there is none. */
function findTwilioCli(): { bin: string } | { missing: string } {
  const bin = process.env.MIRRA_TWILIO_CLI || 'twilio';
  const home = mkdtempSync(join(tmpdir(), 'mirra-twcli-probe-'));
  try {
    const version = execFileSync(bin, ['--version'], { stdio: 'pipe', timeout: 30_000, env: { ...process.env, ...definedOnly(quietEnv(home)) } }).toString();
    if (!/twilio-cli\//.test(version)) return { missing: `\`${bin} --version\` is not twilio-cli (${version.trim()})` };
    return { bin };
  } catch {
    return { missing: `twilio-cli not found (\`npm install -g twilio-cli\`, or set MIRRA_TWILIO_CLI=/path/to/twilio)` };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

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
