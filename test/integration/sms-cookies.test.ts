/**
 * Cookies across an SMS conversation (issue #16 item 2; Twilio's sms-conversation-tracking docs):
 * the app counts a conversation's messages in a cookie it sets on its webhook answer; mirra sends it
 * back on the pair's later webhooks, for at most four hours of the session clock, and forgets it
 * on reset. The Cookie header is not part of the signature.
 */
import http from 'node:http';
import twilio from 'twilio';
import { keepCookie, cookieHeader, COOKIE_LIFETIME_MS } from '../../src/callbacks/cookie-jar';
import { listenLocal, type Listening } from '../helpers/listen';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const NUMBER = '+15555550123'; // owned by the verified-numbers seed
const NUMBER_SID = 'PN00000000000000000000000000000123';
const ALICE = '+14155550987';
const BOB = '+14155550988';

/** The docs' app: "Hello, thanks for message number N", N counted in a cookie. */
function countingApp(token: () => string, seen: { cookie?: string; valid: boolean }[]): http.Server {
  return http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const url = `http://127.0.0.1:${(req.socket.address() as { port: number }).port}${req.url}`;
      seen.push({ cookie: req.headers.cookie, valid: twilio.validateRequest(token(), String(req.headers['x-twilio-signature']), url, params) });
      const count = Number(/messagecount=(\d+)/.exec(req.headers.cookie ?? '')?.[1] ?? 0) + 1;
      res.writeHead(200, { 'content-type': 'text/xml', 'set-cookie': `messagecount=${count}; Path=/` });
      res.end(`<Response><Message>Hello, thanks for message number ${count}</Message></Response>`);
    });
  });
}

describe('SMS conversation cookies', () => {
  let tm: TestMirror;
  let app: Listening;
  const seen: { cookie?: string; valid: boolean }[] = [];
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
    app = await listenLocal(countingApp(() => tm.authToken, seen));
    await tm.control('POST', '/_mirra/clock', { freeze: true });
  });
  afterAll(async () => {
    await app.close();
    await tm.close();
  });
  beforeEach(async () => {
    await tm.control('POST', '/_mirra/reset');
    await tm.control('POST', '/_mirra/clock', { freeze: true });
    await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/IncomingPhoneNumbers/${NUMBER_SID}.json`, { SmsUrl: `${app.url}/sms` });
    seen.length = 0;
  });

  const text = async (from: string, body: string): Promise<string> => {
    const r = await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from, to: NUMBER, body });
    return r.body.replies[0]?.body;
  };

  it('sends the cookie back within the conversation, one per number pair, unsigned', async () => {
    expect(await text(ALICE, 'hi')).toBe('Hello, thanks for message number 1');
    expect(await text(ALICE, 'again')).toBe('Hello, thanks for message number 2');
    expect(await text(BOB, 'hi')).toBe('Hello, thanks for message number 1');
    expect(await text(ALICE, 'third')).toBe('Hello, thanks for message number 3');
    expect(seen.map((s) => s.cookie)).toEqual([undefined, 'messagecount=1', undefined, 'messagecount=2']);
    expect(seen.every((s) => s.valid)).toBe(true);
  });

  it('forgets the cookie after four hours of the session clock, and on reset', async () => {
    await text(ALICE, 'hi');
    await tm.advance(COOKIE_LIFETIME_MS - 1000);
    expect(await text(ALICE, 'still here')).toBe('Hello, thanks for message number 2');
    await tm.advance(COOKIE_LIFETIME_MS + 1);
    expect(await text(ALICE, 'much later')).toBe('Hello, thanks for message number 1');
    await tm.control('POST', '/_mirra/reset');
    await tm.control('POST', '/_mirra/clock', { freeze: true });
    await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/IncomingPhoneNumbers/${NUMBER_SID}.json`, { SmsUrl: `${app.url}/sms` });
    expect(await text(ALICE, 'after reset')).toBe('Hello, thanks for message number 1');
  });
});

describe('keeping a conversation’s cookie (pure)', () => {
  const url = 'http://127.0.0.1:8080/sms/in';
  it('honours Max-Age and Expires, caps the lifetime at four hours, matches the path, keeps one cookie', () => {
    const now = Date.UTC(2030, 0, 1);
    const short = keepCookie(undefined, ['a=1; Max-Age=60'], url, now);
    expect(cookieHeader(short, url, now + 59_000)).toBe('a=1');
    expect(cookieHeader(short, url, now + 60_000)).toBeUndefined();
    const long = keepCookie(undefined, ['a=1; Max-Age=86400'], url, now);
    expect(long?.expiresAt).toBe(now + COOKIE_LIFETIME_MS);
    const dated = keepCookie(undefined, [`a=1; Expires=${new Date(now + 3_600_000).toUTCString()}`], url, now);
    expect(dated?.expiresAt).toBe(now + 3_600_000);
    const scoped = keepCookie(undefined, ['a=1; Path=/other'], url, now);
    expect(cookieHeader(scoped, url, now)).toBeUndefined();
    expect(cookieHeader(scoped, 'http://127.0.0.1:8080/other/x', now)).toBe('a=1');
    expect(cookieHeader(keepCookie(undefined, ['a=1', 'b=2'], url, now), url, now)).toBe('b=2');
    expect(keepCookie(short, ['a=; Max-Age=0'], url, now)).toBeUndefined();
    expect(cookieHeader(keepCookie(undefined, ['a=1'], url, now), 'http://other.example/sms/in', now)).toBeUndefined();
  });
});
