/**
 * Bad input gets Twilio's own error shape and status, never a 5xx.
 */
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const FROM = '+15555550123';

describe('Twilio errors', () => {
  let tm: TestMirror;
  let path: string;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
    path = `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`;
  });
  afterAll(() => tm.close());

  function expectTwilioError(res: { status: number; body: any }, status: number, code: number) {
    expect(res.status).toBe(status);
    expect(Object.keys(res.body).sort()).toEqual(expect.arrayContaining(['code', 'message', 'more_info', 'status']));
    expect(res.body).toMatchObject({ code, status, more_info: `https://www.twilio.com/docs/errors/${code}` });
    expect(typeof res.body.message).toBe('string');
  }

  it.each([
    ['missing To', { From: FROM, Body: 'x' }, 400, 21604],
    ['invalid To', { To: '+1asd', From: FROM, Body: 'x' }, 400, 21211],
    ['no From nor service', { To: '+15551230000', Body: 'x' }, 400, 21603],
    ['From not owned', { To: '+15551230000', From: '+15551119999', Body: 'x' }, 400, 21606],
    ['no body nor media', { To: '+15551230000', From: FROM }, 400, 21602],
    ['body over 1600 chars', { To: '+15551230000', From: FROM, Body: 'x'.repeat(1601) }, 400, 21617],
    ['bad media URL', { To: '+15551230000', From: FROM, MediaUrl: 'ftp://x/y.png' }, 400, 21620],
    ['bad StatusCallback', { To: '+15551230000', From: FROM, Body: 'x', StatusCallback: 'not a url' }, 400, 21609],
    ['unknown messaging service', { To: '+15551230000', MessagingServiceSid: 'MG' + 'f'.repeat(32), Body: 'x' }, 400, 21701],
    ['magic From +15005550001', { To: '+15551230000', From: '+15005550001', Body: 'x' }, 400, 21212],
    ['magic From +15005550007', { To: '+15551230000', From: '+15005550007', Body: 'x' }, 400, 21606],
    ['magic From +15005550008 (queue full)', { To: '+15551230000', From: '+15005550008', Body: 'x' }, 429, 21611],
    ['magic To +15005550001', { To: '+15005550001', From: '+15005550006', Body: 'x' }, 400, 21211],
    ['magic To +15005550002', { To: '+15005550002', From: '+15005550006', Body: 'x' }, 400, 21612],
    ['magic To +15005550003', { To: '+15005550003', From: '+15005550006', Body: 'x' }, 400, 21408],
    ['magic To +15005550004', { To: '+15005550004', From: '+15005550006', Body: 'x' }, 400, 21610],
    ['magic To +15005550009', { To: '+15005550009', From: '+15005550006', Body: 'x' }, 400, 21614],
  ])('%s → %i/%i', async (_name, form, status, code) => {
    expectTwilioError(await tm.api('POST', path, form as Record<string, string>), status, code);
  });

  it('accepts the magic valid From +15005550006', async () => {
    expect((await tm.api('POST', path, { To: '+15551230000', From: '+15005550006', Body: 'x' })).status).toBe(201);
  });

  it('ignores a JSON body, as Twilio does: 21604', async () => {
    const res = await fetch(tm.url + path, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${tm.accountSid}:${tm.authToken}`).toString('base64'), 'content-type': 'application/json' },
      body: JSON.stringify({ To: '+15551230000', From: FROM, Body: 'x' }),
    });
    expectTwilioError({ status: res.status, body: await res.json() }, 400, 21604);
  });

  it('answers 401/20003 for missing or wrong credentials, with detail', async () => {
    const none = await fetch(tm.url + path);
    expectTwilioError({ status: none.status, body: await none.json() }, 401, 20003);
    const wrong = await tm.api('GET', path, undefined, [tm.accountSid, 'f'.repeat(32)]);
    expectTwilioError(wrong, 401, 20003);
    expect(wrong.body.detail).toBe('Your AccountSid or AuthToken was incorrect.');
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    expectTwilioError(await tm.api('GET', path, undefined, ['AC' + '1'.repeat(32), tm.authToken]), 401, 20003);
  });

  it('answers 404/20404 for unknown resources and another account in the path', async () => {
    expectTwilioError(await tm.api('GET', path.replace('.json', `/SM${'0'.repeat(32)}.json`)), 404, 20404);
    expectTwilioError(await tm.api('GET', `/2010-04-01/Accounts/AC${'2'.repeat(32)}/Messages.json`), 404, 20404);
    expectTwilioError(await tm.api('GET', '/2010-04-01/Nope.json'), 404, 20404);
    const res = await tm.api('GET', path.replace('.json', '/garbage'));
    expectTwilioError(res, 404, 20404);
    expect(res.body.message).toContain('/Messages/garbage');
  });

  it('refuses page sizes over 1000 with 20007', async () => {
    expectTwilioError(await tm.api('GET', `${path}?PageSize=1001`), 400, 20007);
  });

  it('never answers 5xx to malformed bodies, encodings or huge payloads', async () => {
    const auth = { authorization: 'Basic ' + Buffer.from(`${tm.accountSid}:${tm.authToken}`).toString('base64') };
    const bodies: [string, string | Buffer][] = [
      ['application/x-www-form-urlencoded', 'To=%E0%A4%A&From=%ZZ&Body=%'],
      ['application/x-www-form-urlencoded', '&&&===&To'],
      ['application/x-www-form-urlencoded', Buffer.from([0xff, 0xfe, 0x00, 0x41])],
      ['application/json', '{"To": '],
      ['text/xml', '<a>'],
      ['application/x-www-form-urlencoded', 'Body=' + 'x'.repeat(2 * 1024 * 1024)],
      ['multipart/form-data; boundary=x', '--x\r\n'],
    ];
    for (const [type, body] of bodies) {
      const res = await fetch(tm.url + path, { method: 'POST', headers: { ...auth, 'content-type': type }, body });
      expect(res.status).toBeLessThan(500);
      const json = await res.json();
      expect(json).toHaveProperty('code');
    }
    const ctl = await fetch(tm.url + '/_mirra/simulate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(ctl.status).toBe(400);
    expect(((await ctl.json()) as { code: string }).code).toBe('MIRRA_ERR_BAD_REQUEST');
  });
});

describe('rate-limited seed', () => {
  it('answers 429/20429 after 10 sends in a minute, and again after the minute passes', async () => {
    const tm = await startTestMirror({ seed: 'twilio:rate-limited' });
    await tm.control('POST', '/_mirra/clock', { freeze: true });
    const path = `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`;
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await tm.api('POST', path, { To: '+15551230000', From: FROM, Body: `m${i}` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    const limited = await tm.api('POST', path, { To: '+15551230000', From: FROM, Body: 'again' });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe(20429);
    await tm.advance(60_001);
    expect((await tm.api('POST', path, { To: '+15551230000', From: FROM, Body: 'later' })).status).toBe(201);
    await tm.close();
  });
});

describe('test-credentials seed', () => {
  it('answers message creates by magic number, keeps nothing, and refuses other resources with 403/20008', async () => {
    const tm = await startTestMirror({ seed: { name: 'test-creds', testCredentials: true } });
    const path = `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`;
    const ok = await tm.api('POST', path, { To: '+15551230000', From: '+15005550006', Body: 'x' });
    expect(ok.status).toBe(201);
    expect(ok.body.status).toBe('queued');
    expect((await tm.api('POST', path, { To: '+15551230000', From: '+15551112222', Body: 'x' })).body.code).toBe(21606);
    const list = await tm.api('GET', path);
    expect(list.status).toBe(403);
    expect(list.body.code).toBe(20008);
    await tm.close();
  });
});
