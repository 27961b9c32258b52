/**
 * Record, then replay (issue #5): the real twilio SDK in a child process, configured only by the
 * environment (HTTP_PROXY + NODE_EXTRA_CA_CERTS), runs one scenario — send, fetch, list, a 4xx,
 * Verify start + check, a number search + purchase — through `mirra record` against a local mirra
 * standing in for Twilio, then again against a fresh mirror replaying that cassette with --strict
 * under a different account and token. Every SDK call gets the same answer; the replay's state
 * agrees; the callbacks arrive re-signed with the replay's token; a changed request is refused
 * with the nearest recorded interaction named.
 */
import { rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import twilio from 'twilio';
import { startRecorder } from '../../src/mirror/start-recorder';
import { runSdk } from '../helpers/child';
import { pointAt, startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { listenLocal } from '../helpers/listen';

const FROM = '+15555550123';
const TO = '+15551230000';
const VA = 'VA00000000000000000000000000000001';
const SEED = {
  name: 'replay-e2e',
  clock: { frozen: true },
  numbers: [{ phoneNumber: FROM }],
  verify: { services: [{ sid: VA, friendlyName: 'mirra verify', customCodeEnabled: true }] },
};

/** The app under test (the same code for both runs). */
const APP = `
  const TO = '${TO}', FROM = process.env.FROM, VA = process.env.VA;
  const out = {};
  const m = await client.messages.create({ to: TO, from: FROM, body: process.env.BODY || 'hello', statusCallback: process.env.RX + '/status' });
  out.send = { sid: m.sid, status: m.status, to: m.to, from: m.from, body: m.body, accountSid: m.accountSid, uri: m.uri, numSegments: m.numSegments };
  await fetch(process.env.CLOCK + '/_mirra/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 10000 }) });
  const f = await client.messages(m.sid).fetch();
  out.fetch = { sid: f.sid, status: f.status, price: f.price, sent: f.dateSent !== null };
  out.list = (await client.messages.list({ limit: 5 })).map((x) => ({ sid: x.sid, status: x.status }));
  try { await client.messages.create({ to: '+1asd', from: FROM, body: 'x' }); } catch (e) { out.rejected = { status: e.status, code: e.code, message: e.message }; }
  const v = await client.verify.v2.services(VA).verifications.create({ to: TO, channel: 'sms', customCode: '424242' });
  out.verify = { sid: v.sid, status: v.status, serviceSid: v.serviceSid, attempts: v.sendCodeAttempts.length, url: v.url };
  const c = await client.verify.v2.services(VA).verificationChecks.create({ to: TO, code: '424242' });
  out.check = { sid: c.sid, status: c.status, valid: c.valid };
  const available = await client.availablePhoneNumbers('US').local.list({ limit: 1 });
  const bought = await client.incomingPhoneNumbers.create({ phoneNumber: available[0].phoneNumber });
  out.buy = { sid: bought.sid, phoneNumber: bought.phoneNumber, accountSid: bought.accountSid };
  out.owned = (await client.incomingPhoneNumbers.list()).map((n) => [n.phoneNumber, n.sid]).sort();
  return out;
`;

/**
 * A result with SIDs written as their order of appearance, so two runs' answers compare. The
 * stand-in upstream is reached over plain HTTP, so while recording it wrote `http://verify.twilio.com`
 * where Twilio writes https (the cassette holds Twilio's form): that one artefact is evened out.
 */
function canonical(value: unknown, accountSid: string): unknown {
  const seen = new Map<string, string>();
  const text = JSON.stringify(value)
    .replace(/http:\/\/verify\.twilio\.com/g, 'https://verify.twilio.com')
    .split(accountSid)
    .join('{ACCOUNT}')
    .replace(/[A-Z]{2}[0-9a-f]{32}/g, (sid) => {
      if (!seen.has(sid)) seen.set(sid, `{${sid.slice(0, 2)}${seen.size + 1}}`);
      return seen.get(sid)!;
    });
  return JSON.parse(text);
}

describe('record a scenario, replay it with --strict', () => {
  const dir = tempDir('mirra-replay-e2e-');
  const cassetteFile = join(dir, 'cassettes', 'e2e', 'scenario.cassette.json');
  let recorded: { result: any; accountSid: string; callbacks: string[] };
  let tm: TestMirror;
  let rx: Receiver;
  let replayed: any;

  beforeAll(async () => {
    // 1. Record against a stand-in upstream, through the recorder, with callbacks captured.
    const up = await startTestMirror({ seed: SEED });
    const upRx = await startReceiver();
    const rec = await startRecorder({ cassette: 'e2e/scenario', upstream: up.url, publicUrl: 'self', port: 0, dataDir: join(dir, 'rec-data'), cassettesDir: join(dir, 'cassettes') });
    try {
      const result = await runSdk({ ...rec.env, TWILIO_ACCOUNT_SID: up.accountSid, TWILIO_AUTH_TOKEN: up.authToken, FROM, VA, RX: upRx.url, CLOCK: up.url }, APP);
      const got = await upRx.waitFor(3);
      recorded = { result, accountSid: up.accountSid, callbacks: got.map((r) => String(r.params.MessageStatus)) };
    } finally {
      await rec.stop();
      await upRx.close();
      await up.close();
    }
    // 2. Replay on a fresh mirror: another account, another token, --strict.
    tm = await startTestMirror({ seed: SEED, cassette: cassetteFile, strict: true });
    rx = await startReceiver();
    replayed = await runSdk({ ...tm.env, FROM, VA, RX: rx.url, CLOCK: tm.url }, APP);
  }, 60_000);
  afterAll(async () => {
    await rx?.close();
    await tm?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recorded the scenario as planned', () => {
    expect(recorded.result.error).toBeUndefined();
    expect(recorded.result).toMatchObject({ fetch: { status: 'delivered' }, check: { status: 'approved' }, rejected: { status: 400, code: 21211 } });
    expect(recorded.callbacks).toEqual(['sending', 'sent', 'delivered']);
  });

  it('gives every SDK call the same answer, in the replay’s own account', () => {
    expect(replayed.error).toBeUndefined();
    expect(tm.accountSid).not.toBe(recorded.accountSid);
    expect(canonical(replayed, tm.accountSid)).toEqual(canonical(recorded.result, recorded.accountSid));
    expect(replayed.send.accountSid).toBe(tm.accountSid);
    expect(replayed.send.sid).not.toBe(recorded.result.send.sid);
    expect(replayed.verify.url).toBe(`https://verify.twilio.com/v2/Services/${VA}/Verifications/${replayed.verify.sid}`);
  });

  it('fires the recorded callbacks to this run’s URL, signed with the replay’s token', async () => {
    const got = await rx.waitFor(3);
    const url = `${rx.url}/status`;
    expect(got.map((r) => r.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
    for (const r of got) {
      expect(r.params).toMatchObject({ MessageSid: replayed.send.sid, AccountSid: tm.accountSid });
      const signature = String(r.headers['x-twilio-signature']);
      expect(twilio.validateRequest(tm.authToken, signature, url, r.params)).toBe(true);
    }
    expect(got[2].params.RawDlrDoneDate).toMatch(/^\d{10}$/);
  });

  it('leaves the emulator’s state agreeing with what was served', async () => {
    const message = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages/${replayed.send.sid}.json`);
    expect(message.body).toMatchObject({ status: 'delivered', body: 'hello', account_sid: tm.accountSid });
    expect(await tm.inspect('verifications', replayed.verify.sid)).toMatchObject({ status: 'approved', service_sid: VA });
    const list = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/IncomingPhoneNumbers.json`);
    const owned = list.body.incoming_phone_numbers.map((n: { phone_number: string; sid: string }) => [n.phone_number, n.sid]).sort();
    expect(owned).toEqual(replayed.owned);
    expect(owned).toContainEqual([replayed.buy.phoneNumber, replayed.buy.sid]);
  });

  it('refuses a request the recording does not hold, naming the nearest interaction and the field that differs', async () => {
    const res = await runSdk({ ...tm.env, FROM, VA, RX: rx.url, CLOCK: tm.url, BODY: 'hullo' }, APP);
    expect(res.error).toMatchObject({ status: 400, code: 'MIRRA_ERR_NO_RECORDING' });
    expect(res.error.message).toContain('Nearest: #1 POST /2010-04-01/Accounts/{AccountSid}/Messages.json (api)');
    expect(res.error.message).toContain('form.Body: recorded "hello", got "hullo"');
  });
});

/** A stand-in upstream that fails in every way Twilio can: 4xx, 5xx, a reset, a slow answer, none. */
function startFaultyUpstream(accountSid: string): Promise<{ url: string; close(): Promise<void> }> {
  const sm = (c: string) => 'SM' + c.repeat(32);
  const server = http.createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    req.resume();
    req.on('end', () => {
      const url = req.url ?? '';
      if (req.method === 'POST') return json(400, { code: 21211, message: "The 'To' number +1asd is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 });
      if (url.includes(sm('5'))) return json(503, { code: 20503, message: 'Service Unavailable', more_info: 'https://www.twilio.com/docs/errors/20503', status: 503 });
      if (url.includes(sm('0'))) return req.socket.destroy();
      if (url.includes(sm('d'))) {
        setTimeout(() => json(200, { sid: sm('d'), account_sid: accountSid, status: 'delivered', uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sm('d')}.json` }), 300);
        return;
      }
      // sm('e'): never answers; the recorder's upstream timeout applies.
    });
  });
  return listenLocal(server);
}

describe('upstream errors, recorded then replayed with --strict', () => {
  const AC = 'AC' + 'a'.repeat(32);
  const dir = tempDir('mirra-replay-faults-');
  const sm = (c: string) => 'SM' + c.repeat(32);
  /** Every call of the scenario, as the app sees its outcome. */
  const scenario = async (client: twilio.Twilio) => {
    const attempt = async (fn: () => Promise<{ sid: string; status: string }>) => {
      try {
        const r = await fn();
        return { ok: r.status, sid: r.sid };
      } catch (e) {
        const err = e as { status: number; code: number; message: string };
        return { status: err.status, code: err.code, message: err.message };
      }
    };
    const out = [await attempt(() => client.messages.create({ to: '+1asd', from: '+15005550006', body: 'x' }))];
    for (const c of ['5', '0', 'd', 'e']) out.push(await attempt(() => client.messages(sm(c)).fetch()));
    return out;
  };
  let recorded: unknown[];
  let replayed: unknown[];

  beforeAll(async () => {
    const upstream = await startFaultyUpstream(AC);
    const rec = await startRecorder({ cassette: 'faults', upstream: upstream.url, port: 0, proxy: false, dataDir: join(dir, 'data'), cassettesDir: join(dir, 'cassettes'), upstreamTimeoutMs: 500 });
    try {
      recorded = await scenario(pointAt(twilio(AC, 'f'.repeat(32)), rec.url));
    } finally {
      await rec.stop();
      await upstream.close();
    }
    const tm = await startTestMirror({ proxy: false, seed: SEED, cassette: join(dir, 'cassettes', 'faults.cassette.json'), strict: true });
    try {
      replayed = await scenario(tm.client());
    } finally {
      await tm.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('answers each exactly as the app saw it while recording: 4xx body, 5xx, reset (502), slow, timeout (504)', () => {
    expect(recorded).toEqual([
      { status: 400, code: 21211, message: "The 'To' number +1asd is not a valid phone number." },
      { status: 503, code: 20503, message: 'Service Unavailable' },
      { status: 502, code: 20500, message: 'Upstream Twilio closed the connection without answering' },
      { ok: 'delivered', sid: sm('d') },
      { status: 504, code: 20500, message: 'Upstream Twilio did not answer in time' },
    ]);
    expect(replayed).toEqual(recorded);
  });
});
