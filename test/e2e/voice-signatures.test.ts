/**
 * Issue #18: every voice webhook mirra sends validates with both official validators — twilio-node's
 * `validateRequest` and Debian python3-twilio's `RequestValidator` — and fails with another
 * token: status callbacks (POST and GET), TwiML fetches (POST and GET), Gather and Record actions,
 * recording, transcription, answering machine detection, `<Dial>` leg and conference callbacks.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import twilio from 'twilio';
import { REPO_ROOT } from '../helpers/child';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { PYTHON } from '../helpers/system-trust';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';

const MAIN = '+15555550123';

function pythonMissing(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import twilio.request_validator'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return `${PYTHON} cannot import twilio (install Debian's python3-twilio)`;
  }
}

describe('voice webhook signatures', () => {
  let tm: TestMirror;
  let app: TwimlApp;

  beforeAll(async () => {
    app = await startTwimlApp();
    tm = await startTestMirror({ seed: { name: 'sig', clock: { frozen: true }, numbers: [{ phoneNumber: MAIN }] } });
    for (const path of ['/status', '/rec', '/amd', '/leg', '/conf', '/text']) app.route(path, { status: 204 });
    app.route('/ivr', '<Response><Gather numDigits="1" action="/menu?step=2"><Say>Press a key.</Say></Gather></Response>');
    app.route('/menu', '<Response><Record timeout="2" maxLength="60" action="/saved" method="GET" recordingStatusCallback="/rec" transcribeCallback="/text"/></Response>');
    app.route('/saved', `<Response><Dial action="/dialled"><Number statusCallback="/leg" statusCallbackEvent="initiated ringing answered completed">+15551239999</Number></Dial></Response>`);
    app.route('/dialled', '<Response><Dial><Conference statusCallback="/conf" statusCallbackEvent="join leave end">room</Conference></Dial></Response>');

    const client = tm.client();
    const call = await client.calls.create({
      to: '+15551230000', from: MAIN, url: `${app.url}/ivr?tenant=a%20b`, method: 'GET',
      statusCallback: `${app.url}/status`, statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      machineDetection: 'Enable', asyncAmd: 'true', asyncAmdStatusCallback: `${app.url}/amd`,
    });
    const get = await client.calls.create({ to: '+15551230001', from: MAIN, twiml: '<Response/>', statusCallback: `${app.url}/status?via=get`, statusCallbackMethod: 'GET' });
    await tm.advance(7_000);
    await tm.control('POST', '/_mirra/simulate', { event: 'call.digits', callSid: call.sid, digits: '5' });
    await tm.advance(1_000);
    await tm.control('POST', '/_mirra/simulate', { event: 'call.speech', callSid: call.sid, speech: 'hello' });
    await tm.advance(60_000); // the recording ends on silence, the leg talks 10 s, then the conference
    await tm.control('POST', '/_mirra/simulate', { event: 'call.hangup', callSid: call.sid });
    await tm.advance(1_000);
    expect(get.sid).toMatch(/^CA/);
  }, 30_000);
  afterAll(async () => {
    await app.close();
    await tm.close();
  });

  /** Every request the app got, as a validator sees it. */
  const requests = () =>
    app.received.map((r) => ({
      url: app.url + r.path,
      params: r.method === 'GET' ? {} : (r.params as Record<string, string>),
      signature: String(r.headers['x-twilio-signature']),
      path: r.path.split('?')[0],
      method: r.method,
    }));

  it('reaches every kind of voice webhook', () => {
    const seen = new Set(requests().map((r) => `${r.method} ${r.path}`));
    for (const k of ['GET /ivr', 'POST /menu', 'GET /saved', 'POST /dialled', 'POST /status', 'GET /status', 'POST /rec', 'POST /text', 'POST /amd', 'POST /leg', 'POST /conf']) {
      expect(seen).toContain(k);
    }
  });

  it('validates with twilio-node, and not with another token', () => {
    for (const r of requests()) {
      expect({ path: r.path, ok: twilio.validateRequest(tm.authToken, r.signature, r.url, r.params) }).toEqual({ path: r.path, ok: true });
      expect(twilio.validateRequest('0'.repeat(32), r.signature, r.url, r.params)).toBe(false);
    }
  });

  const missing = pythonMissing();
  (missing ? it.skip : it)(`validates with python3-twilio's RequestValidator, and not with another token${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const all = requests();
    const entries = [...all.map((r) => ({ ...r, token: tm.authToken })), ...all.map((r) => ({ ...r, token: '0'.repeat(32) }))];
    const script = join(REPO_ROOT, 'test', 'e2e', 'python', 'validate_callbacks.py');
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(PYTHON, [script], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin.end(JSON.stringify(entries));
    });
    expect(run.code).toBe(0);
    const results: boolean[] = JSON.parse(run.stdout);
    expect(results.slice(0, all.length).every(Boolean)).toBe(true);
    expect(results.slice(all.length).some(Boolean)).toBe(false);
  }, 30_000);
});
