/**
 * Hostile input: thousands of malformed, oversized, wrongly-encoded and unicode-heavy requests at
 * every route and the control plane. Never a 5xx, never a crash; always Twilio's error shape on the
 * API and mirra's on the control plane. (Set MIRRA_FUZZ_RUNS for a longer run.)
 */
import fc from 'fast-check';
import { createMirror, type Mirror } from '../../src/mirror/create-mirror';
import { tempDir } from '../helpers/mirror';

const RUNS = Number(process.env.MIRRA_FUZZ_RUNS ?? 1500);
const SID = (p: string) => fc.oneof(fc.constant(`${p}${'0'.repeat(32)}`), fc.string({ maxLength: 40 }), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }).map((h) => p + h));

describe('hostile input', () => {
  let mirror: Mirror;
  let auth: string;
  let account: string;
  beforeAll(async () => {
    mirror = await createMirror({ ephemeral: true, dataDir: tempDir(), seed: 'twilio:messaging-service', proxy: false });
    const session = mirror.session();
    account = session.accountSid;
    auth = 'Basic ' + Buffer.from(`${account}:${session.authToken}`).toString('base64');
    await mirror.control('POST', '/_mirra/clock', { freeze: true });
  });
  afterAll(() => mirror.close());

  const paths = () =>
    fc.oneof(
      fc.constantFrom(
        `/2010-04-01/Accounts/${'ACCOUNT'}/Messages.json`,
        `/2010-04-01/Accounts/ACCOUNT/IncomingPhoneNumbers.json`,
        `/2010-04-01/Accounts/ACCOUNT/AvailablePhoneNumbers/US/Local.json`,
        `/2010-04-01/Accounts/ACCOUNT/AvailablePhoneNumbers.json`,
        '/v2/Services',
        '/v1/Services',
        '/_mirra/sessions',
        '/_mirra/simulate',
        '/_mirra/clock',
        '/_mirra/reset',
        '/_mirra/messages',
        '/_mirra/callbacks',
      ),
      SID('SM').map((s) => `/2010-04-01/Accounts/ACCOUNT/Messages/${s}.json`),
      SID('SM').map((s) => `/2010-04-01/Accounts/ACCOUNT/Messages/${s}/Media.json`),
      SID('PN').map((s) => `/2010-04-01/Accounts/ACCOUNT/IncomingPhoneNumbers/${s}.json`),
      SID('VA').map((s) => `/v2/Services/${s}/Verifications`),
      SID('VA').map((s) => `/v2/Services/${s}/VerificationCheck`),
      SID('MG').map((s) => `/v1/Services/${s}/PhoneNumbers`),
      fc.webPath().map((p) => (p.startsWith('/') ? p : '/' + p)),
    );

  const formValue = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 50 }),
    fc.constantFrom('+15005550006', '+15555550123', '+1', '', '%', '%ZZ', '+', 'null', 'true', '-1', '99999999999999999999', 'http://127.0.0.1:1/x', 'whatsapp:+1'),
    fc.string({ minLength: 1600, maxLength: 1700 }),
  );
  const formKey = fc.oneof(fc.constantFrom('To', 'From', 'Body', 'MediaUrl', 'StatusCallback', 'MessagingServiceSid', 'PageSize', 'Page', 'PageToken', 'Status', 'Channel', 'Code', 'FriendlyName', 'PhoneNumber', 'AreaCode', 'SmsUrl', 'CodeLength', 'PhoneNumberSid', 'DateSent<', 'DateSent>'), fc.string({ maxLength: 12 }));
  const body = fc.oneof(
    fc.array(fc.tuple(formKey, formValue), { maxLength: 8 }).map((pairs) => ({
      type: 'application/x-www-form-urlencoded',
      payload: pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
    })),
    fc.string().map((s) => ({ type: 'application/x-www-form-urlencoded', payload: s })),
    fc.uint8Array({ maxLength: 200 }).map((b) => ({ type: 'application/x-www-form-urlencoded', payload: Buffer.from(b) })),
    fc.json().map((j) => ({ type: 'application/json', payload: j })),
    fc.string().map((s) => ({ type: 'application/json', payload: s })),
    fc.record({ event: fc.constantFrom('message.sent', 'message.delivered', 'message.failed', 'message.inbound', 'verify.expired', 'verify.check_failed', 'nope'), messageId: fc.string(), sid: fc.string(), errorCode: fc.oneof(fc.integer(), fc.string()), from: formValue, to: formValue, body: formValue, advanceMs: fc.oneof(fc.integer(), fc.double(), fc.string()), freeze: fc.anything() }).map((o) => ({ type: 'application/json', payload: JSON.stringify(o) })),
    fc.constant({ type: 'text/plain; charset=utf-16', payload: Buffer.from([0xff, 0xfe, 0x41, 0x00]) }),
  );

  it('answers every request with < 500 and a documented error shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'), paths(), body, fc.boolean(), fc.webQueryParameters(), async (method, rawPath, b, withAuth, query) => {
        const url = rawPath.replace('ACCOUNT', account) + (query ? `?${query}` : '');
        // The same pipeline as a request over a socket, without one.
        const res = await mirror.inject({
          method,
          host: '127.0.0.1',
          path: url,
          headers: { ...(withAuth ? { authorization: auth } : {}), 'content-type': b.type },
          body: method === 'GET' || method === 'DELETE' ? '' : b.payload,
        });
        const text = res.body.toString('utf8');
        if (res.statusCode >= 500) throw new Error(`${method} ${url} → ${res.statusCode}: ${text}`);
        if (res.statusCode >= 400 && res.statusCode !== 405) {
          const json = JSON.parse(text) as { code: unknown; message: unknown; status: unknown };
          expect(typeof json.message).toBe('string');
          expect(json.status).toBe(res.statusCode);
          expect(['number', 'string']).toContain(typeof json.code);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('survives oversized bodies and headers on every kind of route', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    for (const url of [`/2010-04-01/Accounts/${account}/Messages.json`, '/v2/Services', '/_mirra/simulate']) {
      const res = await mirror.inject({ method: 'POST', host: '127.0.0.1', path: url, headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: `Body=${big}` });
      expect(res.statusCode).toBe(413);
      expect(JSON.parse(res.body.toString('utf8')).status).toBe(413);
    }
  });
});
