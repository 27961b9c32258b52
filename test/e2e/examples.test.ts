/**
 * Issue #7: every example under examples/ runs here end to end, as a user would run it.
 *
 * - otp-express: the app runs as its own process (port 0) with only the mirror's environment, signs
 *   a phone number up through Verify and gets its welcome SMS's status callbacks, which its
 *   `twilio.webhook()` route accepts when mirra signed them and refuses (403) when forged.
 * - otp-python: Debian's python3-twilio through the proxy, after `mirra trust` (removed again, and
 *   the system trust store checked byte for byte). Skips without python3-twilio or root, but fails
 *   under CI, where .ci/run installs them.
 * - twilio-cli: the example script, given only MIRRA_URL; skips when twilio-cli is not installed.
 * - github-actions/mirra.yml: its steps, then its test step's command run for real against the
 *   otp-express example (and a failing command, whose status it must pass on).
 */
import { startExampleApp, type ExampleApp } from '../helpers/example-app';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import twilio from 'twilio';
import { parse } from 'yaml';
import { REPO_ROOT, runCommand, type ChildResult } from '../helpers/child';
import { startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';
import { NEUTRALISED, PYTHON, caDirOf, expectTrustStoreUnchanged, missingPythonTrustPrerequisite, mirraTrust, systemTrustSkipReason, systemTrustTestsWanted, trustSnapshot, withSystemTrustLock } from '../helpers/system-trust';
import { findTwilioCli, quietEnv } from '../helpers/twilio-cli';

const EXAMPLES = join(REPO_ROOT, 'examples');
const BIN = join(REPO_ROOT, 'bin', 'mirra.js');
const VERIFY_SERVICE = 'VA00000000000000000000000000000001'; // the twilio:verify-flow seed's

/** Keeps npm (run by the examples: `npm test`, `npx mirra`) from asking the registry about updates. */
const QUIET_NPM = { npm_config_update_notifier: 'false', npm_config_fund: 'false' };

/** The code in the newest SMS `phone` received, from the mirror's inbox. */
async function lastCode(tm: TestMirror, phone: string): Promise<string> {
  const inbox = await tm.control('GET', `/_mirra/messages?to=${encodeURIComponent(phone)}`);
  expect(inbox.status).toBe(200);
  const body: string = inbox.body.messages.at(-1)?.body ?? '';
  const match = /code is: (\d+)/.exec(body);
  if (!match) throw new Error(`no code in ${JSON.stringify(inbox.body)}`);
  return match[1];
}

describe('examples/otp-express', () => {
  let tm: TestMirror;
  let app: ExampleApp | undefined;
  let appUrl: string;

  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verify-flow' });
    // `node server.js` with `mirra env` and PORT=0, as in the example's README.
    app = await startExampleApp(join(EXAMPLES, 'otp-express'), tm.env);
    appUrl = app.url;
  });

  afterAll(async () => {
    await app?.stop();
    await tm?.close();
  });

  const post = (path: string, body: unknown) => fetch(appUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('signs up with the SMS code, and its webhook route accepts the signed status callbacks', async () => {
    const phone = '+15551230100';
    expect((await post('/signup', { phone })).status).toBe(202);
    const code = await lastCode(tm, phone);

    const wrong = await post('/verify', { phone, code: code === '000000' ? '111111' : '000000' });
    expect({ status: wrong.status, body: await wrong.json() }).toEqual({ status: 401, body: { verified: false, status: 'pending' } });

    const right = await post('/verify', { phone, code });
    expect(right.status).toBe(200);
    const { welcomeSid } = (await right.json()) as { welcomeSid: string };
    expect(welcomeSid).toMatch(/^SM[0-9a-f]{32}$/);

    // The welcome SMS goes queued -> sending -> sent -> delivered on the session clock.
    await tm.advance(10_000);
    const seen = (await (await fetch(`${appUrl}/messages/${welcomeSid}`)).json()) as { statuses: string[] };
    expect(seen).toEqual({ sid: welcomeSid, status: 'delivered', statuses: ['queued', 'sending', 'sent', 'delivered'] });

    // mirra's side: three signed deliveries to the app's own route, each answered 204 at once.
    const log = (await tm.control('GET', `/_mirra/callbacks?sid=${welcomeSid}`)).body.callbacks as any[];
    expect(log.map((d) => d.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
    for (const d of log) {
      expect(d).toMatchObject({ url: `${appUrl}/twilio/status`, state: 'delivered', response: { statusCode: 204 } });
      expect(d.signature).toEqual(twilio.getExpectedTwilioSignature(tm.authToken, d.url, d.params));
      expect(d.attempts).toHaveLength(1);
    }
  });

  it('refuses forged status callbacks with 403 (and unsigned ones with 400)', async () => {
    const phone = '+15551230101';
    expect((await post('/signup', { phone })).status).toBe(202);
    const right = await post('/verify', { phone, code: await lastCode(tm, phone) });
    const { welcomeSid } = (await right.json()) as { welcomeSid: string };
    await tm.advance(10_000);
    const [first] = (await tm.control('GET', `/_mirra/callbacks?sid=${welcomeSid}`)).body.callbacks as any[];
    expect(first.params.MessageStatus).toBe('sending');

    const send = (params: Record<string, string>, signature?: string) =>
      fetch(`${appUrl}/twilio/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }) },
        body: new URLSearchParams(params).toString(),
      });

    // mirra's real signature over other parameters: someone claiming the SMS failed.
    expect((await send({ ...first.params, MessageStatus: 'failed', ErrorCode: '30008' }, first.signature)).status).toBe(403);
    // Signed, but with another auth token.
    const otherToken = twilio.getExpectedTwilioSignature('0'.repeat(32), first.url, first.params);
    expect((await send(first.params, otherToken)).status).toBe(403);
    expect((await send(first.params)).status).toBe(400);
    // None of them reached the handler.
    const seen = (await (await fetch(`${appUrl}/messages/${welcomeSid}`)).json()) as { statuses: string[] };
    expect(seen.statuses).toEqual(['queued', 'sending', 'sent', 'delivered']);
  });
});

// Only when asked to (MIRRA_TEST_SYSTEM_TRUST=1): the system trust store is the machine's.
const missingPython = systemTrustSkipReason() ?? missingPythonTrustPrerequisite();
if (missingPython) process.stderr.write(`examples.test.ts: skipping the otp-python example: ${missingPython}\n`);

describe('examples/otp-python (Debian python3-twilio, proxy mode)', () => {
  if (missingPython) {
    if (process.env.CI && systemTrustTestsWanted()) {
      it('has its prerequisites in CI (.ci/run installs python3-twilio)', () => {
        throw new Error(`cannot run under CI: ${missingPython}`);
      });
    } else {
      it.skip(`skipped: ${missingPython}`, () => {});
    }
    return;
  }

  const SCRIPT = join(EXAMPLES, 'otp-python', 'otp_flow.py');
  let tm: TestMirror;
  /** Set once `mirra trust` may have run; afterAll then uninstalls whatever happened in the test. */
  let mayBeInstalled = false;

  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verify-flow' });
  });

  afterAll(async () => {
    if (mayBeInstalled) {
      const un = await mirraTrust(caDirOf(tm), '--uninstall');
      if (un.code !== 0) process.stderr.write(`mirra trust --uninstall failed in afterAll:\n${un.stdout}${un.stderr}\n`);
    }
    await tm?.close();
  });

  it('runs the OTP flow with only `mirra env` after `mirra trust`, and leaves the trust store as it was', async () => {
    const phone = '+15551230200';
    expect(tm.env.HTTPS_PROXY).toBe(tm.url); // proxy mode: the script still calls https://verify.twilio.com

    await withSystemTrustLock(async () => {
      const before = trustSnapshot();
      let run: ChildResult | undefined;
      let uninstall: ChildResult | undefined;
      try {
        mayBeInstalled = true;
        const trust = await mirraTrust(caDirOf(tm));
        expect({ code: trust.code, stderr: trust.stderr }).toEqual({ code: 0, stderr: '' });
        run = await runCommand(PYTHON, [SCRIPT, phone], { ...NEUTRALISED, ...tm.env }, 30_000);
      } finally {
        if (mayBeInstalled) uninstall = await mirraTrust(caDirOf(tm), '--uninstall');
      }
      if (uninstall?.code === 0) mayBeInstalled = false;
      expect({ code: uninstall?.code, stderr: uninstall?.stderr }).toEqual({ code: 0, stderr: '' });
      expectTrustStoreUnchanged(before);

      if (run.code !== 0) throw new Error(`otp_flow.py failed (${run.code}):\n${run.stdout}${run.stderr}`);
      const out = JSON.parse(run.stdout);
      expect(out).toEqual({ phone, verification_sid: expect.stringMatching(/^VE[0-9a-f]{32}$/), start_status: 'pending', wrong_check_status: 'pending', check_status: 'approved' });
    });

    // The mirror saw it: the code went to the phone, and the approved verification is gone (404).
    const inbox = await tm.control('GET', `/_mirra/messages?to=${encodeURIComponent(phone)}`);
    expect(inbox.body.messages).toHaveLength(1);
    expect((await tm.api('GET', `/v2/Services/${VERIFY_SERVICE}/Verifications/${encodeURIComponent(phone)}`)).status).toBe(404);
  }, 60_000);
});

const cli = findTwilioCli();
if ('missing' in cli) process.stderr.write(`examples.test.ts: skipping the twilio-cli example: ${cli.missing}\n`);

describe('examples/twilio-cli', () => {
  if ('missing' in cli) {
    it.skip(`skipped: ${cli.missing}`, () => {});
    return;
  }

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

  it('sends an SMS with `eval "$(npx mirra env)"` as its only setup', async () => {
    // The script runs `twilio` from PATH: put MIRRA_TWILIO_CLI there under that name.
    let path = process.env.PATH ?? '';
    if (cli.bin.includes('/')) {
      const binDir = join(home, 'bin');
      mkdirSync(binDir);
      symlinkSync(resolve(cli.bin), join(binDir, 'twilio'));
      path = `${binDir}:${path}`;
    }
    const res = await runCommand(
      'bash',
      [join(EXAMPLES, 'twilio-cli', 'send-sms.sh'), '+15555550199', 'hello from the example'],
      // Only where the mirror is; npx keeps using the usual npm cache although HOME is fresh.
      { ...quietEnv(home), ...QUIET_NPM, PATH: path, MIRRA_URL: tm.url, npm_config_cache: process.env.npm_config_cache || join(homedir(), '.npm') },
      60_000,
    );
    if (res.code !== 0) throw new Error(`send-sms.sh exited ${res.code}:\n${res.stdout}${res.stderr}`);
    const [created] = JSON.parse(res.stdout);
    expect(created).toMatchObject({ accountSid: tm.accountSid, from: '+15555550123', to: '+15555550199', body: 'hello from the example' });

    const stored = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages/${created.sid}.json`);
    expect(stored.status).toBe(200);
  }, 60_000);
});

describe('examples/github-actions/mirra.yml', () => {
  const text = readFileSync(join(EXAMPLES, 'github-actions', 'mirra.yml'), 'utf8');
  const workflow = parse(text);
  const steps: Array<Record<string, any>> = workflow.jobs.test.steps;
  const testStep = steps.find((s) => typeof s.run === 'string' && s.run.includes('mirra replay'));

  it('checks out, sets up Node 20, runs npm ci, then the suite under `mirra replay`', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(workflow.jobs.test['runs-on']).toBe('ubuntu-latest');
    expect(steps.map((s) => s.uses ?? s.run)).toEqual([
      expect.stringMatching(/^actions\/checkout@v\d+$/),
      expect.stringMatching(/^actions\/setup-node@v\d+$/),
      'npm ci',
      'npx mirra replay --seed twilio:verify-flow -- npm test',
    ]);
    expect(steps[1].with['node-version']).toBe(20);
    expect(testStep).toBe(steps[3]);

    // The commented variant is a valid step once uncommented.
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.trim().startsWith('# - name:'));
    expect(start).toBeGreaterThan(0);
    const block = lines.slice(start).filter((l) => l.trim().startsWith('#')).map((l) => l.replace('# ', ''));
    expect(parse(block.join('\n'))).toEqual([{ name: expect.any(String), run: 'npx mirra replay --cassette signup --strict -- npm test' }]);
  });

  /** The test step's command, with this checkout's mirra for `npx mirra` and a fresh data dir. */
  function replayArgs(command?: string[]): string[] {
    const argv = (testStep!.run as string).split(' ');
    expect(argv.slice(0, 3)).toEqual(['npx', 'mirra', 'replay']);
    const sep = argv.indexOf('--');
    return [BIN, 'replay', '--data-dir', tempDir('mirra-example-wf-'), ...argv.slice(3, sep), '--', ...(command ?? argv.slice(sep + 1))];
  }

  const dataDirs: string[] = [];
  afterAll(() => dataDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  async function runStep(command?: string[]): Promise<ChildResult> {
    const args = replayArgs(command);
    dataDirs.push(args[3]);
    return runCommand(process.execPath, args, { ...QUIET_NPM, MIRRA_URL: undefined }, 30_000, join(EXAMPLES, 'otp-express'));
  }

  it("runs the otp-express example's `npm test` against a fresh mirror and exits 0", async () => {
    const res = await runStep();
    if (res.code !== 0) throw new Error(`the workflow's test step exited ${res.code}:\n${res.stdout}${res.stderr}`);
    expect(res.stdout).toMatch(/^# pass 2$/m);
    expect(res.stdout).toMatch(/^# fail 0$/m);
  });

  it("exits with the test command's status when it fails", async () => {
    const res = await runStep([process.execPath, '-e', 'process.exit(3)']);
    expect(res.code).toBe(3);
  });
});
