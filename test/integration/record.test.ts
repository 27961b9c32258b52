/**
 * `mirra record` end to end: the real twilio SDK (a child process configured only by the
 * recorder's environment: HTTP_PROXY + NODE_EXTRA_CA_CERTS) against a local mirra emulator standing
 * in for Twilio. Recording the same scenario twice gives byte-identical cassettes; no secret
 * reaches the cassette or the LMDB files; callbacks are captured, checked and forwarded re-signed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { loadCassette } from '../../src/cassette/codec';
import { startRecorder } from '../../src/mirror/start-recorder';
import { runSdk } from '../helpers/child';
import { startTestMirror, tempDir } from '../helpers/mirror';
import { startReceiver } from '../helpers/receiver';

const FROM = '+15555550123';

/** The app: sends (with a callback and, carelessly, its own token in the body), advances Twilio's clock, reads back, errs, uses an API key, deletes. */
const APP = `
  const FROM = process.env.FROM;
  const m = await client.messages.create({ to: '+15551230000', from: FROM, body: 'my token is ' + process.env.TWILIO_AUTH_TOKEN, statusCallback: process.env.RX + '/status?tenant=a%20b' });
  await fetch(process.env.CLOCK, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 10000 }) });
  const fetched = await client.messages(m.sid).fetch();
  const page = await client.messages.list({ limit: 2 });
  let code;
  try { await client.messages.create({ to: '+1asd', from: FROM, body: 'x' }); } catch (e) { code = e.code; }
  const keyClient = require('twilio')(process.env.KEY_SID, process.env.KEY_SECRET, { accountSid: process.env.TWILIO_ACCOUNT_SID });
  const viaKey = await keyClient.messages(m.sid).fetch();
  await client.messages(m.sid).remove();
  return { sid: m.sid, status: fetched.status, listed: page.length, code, viaKey: viaKey.sid === m.sid };
`;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

interface Run {
  bytes: Buffer;
  secrets: string[];
  dataDir: string;
  result: any;
  received: { url: string; params: Record<string, string | string[]>; signature: string }[];
  token: string;
  accountSid: string;
}

async function recordScenario(): Promise<Run> {
  const seed = { name: 'rec', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } };
  const standIn = await startTestMirror({ seed });
  // The account the app records against, with its API key, as the stand-in's control plane makes it.
  const made = (await standIn.control('POST', '/_mirra/sessions', { seed })).body as { sessionId: string; accountSid: string; authToken: string; apiKeySid: string; apiKeySecret: string };
  const up = { ...standIn, accountSid: made.accountSid, authToken: made.authToken };
  const rx = await startReceiver();
  const dir = tempDir('mirra-record-');
  const dataDir = join(dir, 'data');
  const cassettesDir = join(dir, 'cassettes');
  const keySid = made.apiKeySid;
  const keySecret = made.apiKeySecret;
  const rec = await startRecorder({ cassette: 'signup/happy', upstream: up.url, publicUrl: 'self', port: 0, dataDir, cassettesDir });
  try {
    const result = await runSdk(
      { ...rec.env, TWILIO_ACCOUNT_SID: up.accountSid, TWILIO_AUTH_TOKEN: up.authToken, FROM, RX: rx.url, CLOCK: `${up.url}/_mirra/clock?session=${made.sessionId}`, KEY_SID: keySid, KEY_SECRET: keySecret },
      APP,
    );
    const { file } = await rec.stop();
    return {
      bytes: readFileSync(file),
      secrets: [up.authToken, keySecret, Buffer.from(`${up.accountSid}:${up.authToken}`).toString('base64')],
      dataDir,
      result,
      received: rx.received.map((r) => ({ url: `${rx.url}${r.path}`, params: r.params, signature: String(r.headers['x-twilio-signature']) })),
      token: up.authToken,
      accountSid: up.accountSid,
    };
  } finally {
    await rec.stop();
    await rx.close();
    await standIn.close();
  }
}

describe('mirra record against a local stand-in for Twilio', () => {
  let first: Run;
  let second: Run;
  beforeAll(async () => {
    first = await recordScenario();
    second = await recordScenario();
  }, 60_000);

  it('passes the real answers through to the SDK in proxy mode', () => {
    expect(first.result).toMatchObject({ status: 'delivered', listed: 1, code: 21211, viaKey: true });
    expect(first.result.sid).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('gives byte-identical cassette files when the same scenario is recorded twice', () => {
    expect(first.result.sid).not.toBe(second.result.sid); // a fresh upstream: new SIDs, token, ports
    // As text, so a difference shows as a diff.
    expect(second.bytes.toString('utf8')).toBe(first.bytes.toString('utf8'));
    expect(second.bytes.equals(first.bytes)).toBe(true);
  });

  it('never stores a secret: not in the cassette, not in the LMDB files', () => {
    for (const run of [first, second]) {
      const lmdb = filesUnder(run.dataDir).filter((f) => f.includes('state.lmdb')).map((f) => readFileSync(f));
      // The scan is meaningful: the raw working store holds the real AccountSid (no secret) as bytes.
      expect(lmdb.some((b) => b.includes(Buffer.from(run.accountSid)))).toBe(true);
      const haystacks = [run.bytes, ...filesUnder(run.dataDir).map((f) => readFileSync(f))];
      for (const secret of run.secrets) {
        for (const bytes of haystacks) expect(bytes.includes(Buffer.from(secret))).toBe(false);
      }
    }
    expect(first.bytes.toString()).toContain('"my token is [REDACTED]"');
  });

  it('writes the readable text form: placeholder account, aliases, date tokens, loopback ports masked', () => {
    const text = first.bytes.toString();
    expect(text).not.toMatch(/AC[0-9a-f]{32}|SM[0-9a-f]{32}/);
    expect(text).toContain('"path": "/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json"');
    expect(text).toContain('["StatusCallback", "http://127.0.0.1:{port}/status?tenant=a%20b"]');
    expect(text).toContain('"date_created": "{date:rfc2822:+0}"');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('records every interaction in order, with the error body of the 400 and the 204 of the delete', () => {
    const dir = join(first.dataDir, '..', 'cassettes');
    const c = loadCassette(dir, 'signup/happy');
    expect(c.callbacks).toBe('recorded');
    expect(c.interactions.map((i) => [i.seq, i.request.method, i.response?.status])).toEqual([
      [1, 'POST', 201],
      [2, 'GET', 200],
      [3, 'GET', 200],
      [4, 'POST', 400],
      [5, 'GET', 200],
      [6, 'DELETE', 204],
    ]);
    expect(c.interactions[3].response!.body).toMatchObject({ code: 21211, status: 400 });
    expect(c.interactions[2].request.query).toEqual([['PageSize', '2']]);
  });

  it('captures the status callbacks under the request that configured them, in order', () => {
    const c = loadCassette(join(first.dataDir, '..', 'cassettes'), 'signup/happy');
    const cbs = c.interactions[0].callbacks;
    expect(cbs.map((cb) => cb.params.find(([k]) => k === 'MessageStatus')?.[1])).toEqual(['sending', 'sent', 'delivered']);
    expect(cbs.every((cb) => cb.urlParam === 'StatusCallback' && cb.offsetMs === 0)).toBe(true);
    expect(cbs[2].params).toContainEqual(['RawDlrDoneDate', '{date:dlr:+0}']);
    expect(cbs[0].params).toContainEqual(['MessageSid', '{SM#1}']);
  });

  it("forwards each callback to the app's own URL, signed for that URL with the real token", () => {
    for (const run of [first, second]) {
      expect(run.received.map((r) => r.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
      for (const r of run.received) {
        expect(r.url).toMatch(/\/status\?tenant=a%20b$/);
        expect(r.params.MessageSid).toBe(run.result.sid);
        expect(twilio.validateRequest(run.token, r.signature, r.url, r.params)).toBe(true);
      }
    }
  });
});

describe('callback capture checks Twilio\'s signature', () => {
  it('refuses a forged callback (403, not stored, not forwarded) and accepts a signed one', async () => {
    const up = await startTestMirror({ seed: { name: 'sig', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } } });
    const rx = await startReceiver();
    const dir = tempDir('mirra-sig-');
    const rec = await startRecorder({ cassette: 'sig', upstream: up.url, publicUrl: 'self', port: 0, proxy: false, dataDir: join(dir, 'data'), cassettesDir: join(dir, 'c') });
    try {
      const client = twilio(up.accountSid, up.authToken);
      client.api.baseUrl = rec.url;
      await client.messages.create({ to: '+15551230000', from: FROM, body: 'x', statusCallback: `${rx.url}/s` });
      const hook = `${rec.url}/_mirra/record/callbacks/${rec.recorder.meta.runId}/1/StatusCallback`;
      const params = { MessageSid: 'SM' + '3'.repeat(32), MessageStatus: 'sent' };
      const post = (signature: string, url = hook) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
      const forged = await post(twilio.getExpectedTwilioSignature('0'.repeat(32), hook, params));
      expect(forged.status).toBe(403);
      const stale = await post('x', `${rec.url}/_mirra/record/callbacks/oldrun/1/StatusCallback`);
      expect(stale.status).toBe(404);
      expect(rx.received).toHaveLength(0);
      const signed = await post(twilio.getExpectedTwilioSignature(up.authToken, hook, params));
      expect(signed.status).toBe(200);
      expect(rx.received).toHaveLength(1);
      expect(rec.recorder.counts).toMatchObject({ callbacks: 1, rejected: 1 });
      const { cassette } = await rec.stop();
      expect(cassette.interactions[0].callbacks).toHaveLength(1);
    } finally {
      await rec.stop();
      await rx.close();
      await up.close();
    }
  });
});
