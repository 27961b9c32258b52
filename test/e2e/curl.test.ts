/**
 * curl against the mirror, the two ways docs/clients.md gives: proxy mode (`--proxy` plus
 * `--cacert` with mirra's CA, the real https://api.twilio.com URL unchanged) and base-URL mode
 * (plain http://127.0.0.1:PORT). Skips when curl is missing, and fails instead under CI.
 */
import { execFileSync } from 'node:child_process';
import { runCommand, type ChildResult } from '../helpers/child';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const FROM = '+15555550123'; // owned by the twilio:verified-numbers seed
const TO = '+15555550199';

/** Outer variables that would change curl's trust or routing; each test passes what it means. */
const NEUTRALISED: Record<string, undefined> = {
  SSL_CERT_FILE: undefined,
  SSL_CERT_DIR: undefined,
  CURL_CA_BUNDLE: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
  ALL_PROXY: undefined,
  all_proxy: undefined,
  CURL_HOME: undefined,
};

function curlMissing(): string | undefined {
  try {
    execFileSync('curl', ['--version'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return 'curl not found (apt-get install curl)';
  }
}

const missing = curlMissing();
if (missing) process.stderr.write(`curl.test.ts: skipping: ${missing}\n`);

describe('curl through the mirror', () => {
  if (missing) {
    if (process.env.CI) {
      it('has curl in CI (.ci/run installs it)', () => {
        throw new Error(`cannot run under CI: ${missing}`);
      });
    } else {
      it.skip(`skipped: ${missing}`, () => {});
    }
    return;
  }

  let tm: TestMirror;

  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
  });

  afterAll(async () => {
    await tm?.close();
  });

  /** curl with Basic auth, `-q` so no ~/.curlrc applies; prints the body then the status on its own line. */
  function curl(args: string[]): Promise<ChildResult> {
    return runCommand('curl', ['-q', '-sS', '-u', `${tm.accountSid}:${tm.authToken}`, '-w', '\n%{http_code}', ...args], NEUTRALISED);
  }

  function parse(res: ChildResult): { status: number; body: any } {
    if (res.code !== 0) throw new Error(`curl exited ${res.code}: ${res.stderr}`);
    const cut = res.stdout.lastIndexOf('\n');
    return { status: Number(res.stdout.slice(cut + 1)), body: JSON.parse(res.stdout.slice(0, cut)) };
  }

  const form = (body: string) => ['--data-urlencode', `To=${TO}`, '--data-urlencode', `From=${FROM}`, '--data-urlencode', `Body=${body}`];

  it('proxy mode: --proxy $HTTP_PROXY --cacert <mirra CA> against https://api.twilio.com', async () => {
    const ca = tm.env.NODE_EXTRA_CA_CERTS;
    expect(ca).toBeTruthy();
    const messages = `https://api.twilio.com/2010-04-01/Accounts/${tm.accountSid}/Messages.json`;

    const created = parse(await curl(['--proxy', tm.env.HTTP_PROXY, '--cacert', ca!, ...form('curl via proxy'), messages]));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ account_sid: tm.accountSid, to: TO, from: FROM, body: 'curl via proxy' });

    const fetched = parse(await curl(['--proxy', tm.env.HTTP_PROXY, '--cacert', ca!, `https://api.twilio.com${created.body.uri}`]));
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ sid: created.body.sid, body: 'curl via proxy' });

    // The mirror holds it (asked directly, not through curl).
    const stored = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages/${created.body.sid}.json`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ sid: created.body.sid, to: TO, from: FROM });
  });

  it('proxy mode without --cacert fails on the certificate (curl exit 60)', async () => {
    const res = await curl(['--proxy', tm.env.HTTP_PROXY, `https://api.twilio.com/2010-04-01/Accounts/${tm.accountSid}/Messages.json`]);
    expect(res.code).toBe(60);
    expect(res.stderr).toMatch(/certificate/i);
  });

  it('base-URL mode: plain http://127.0.0.1:PORT, no proxy or CA', async () => {
    const messages = `${tm.url}/2010-04-01/Accounts/${tm.accountSid}/Messages.json`;
    expect(messages).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    const created = parse(await curl([...form('curl via base URL'), messages]));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ account_sid: tm.accountSid, to: TO, from: FROM, body: 'curl via base URL' });

    const fetched = parse(await curl([`${tm.url}${created.body.uri}`]));
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ sid: created.body.sid, body: 'curl via base URL' });
  });
});
