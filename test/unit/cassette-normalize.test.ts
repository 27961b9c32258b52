/**
 * The pure parts of recording: request normalisation (shared with replay), tokenisation of
 * volatile values, date tokens and redaction.
 */
import { dateToken, formatDate, parseDate, quantise, tokenizeDate, TIME_QUANTUM_MS } from '../../src/cassette/dates';
import { baseUrlPath, canonicalLoopback, normalizeRequest, productOf, withoutImpliedPrefix } from '../../src/cassette/normalize';
import { isSecretName, REDACTED, Redactor } from '../../src/cassette/redact';
import { Tokenizer } from '../../src/cassette/tokenize';

const AC = 'AC' + '0123456789abcdef'.repeat(2);
const SM1 = 'SM' + 'a'.repeat(32);
const SM2 = 'SM' + 'b'.repeat(32);
const START = Date.UTC(2026, 3, 14, 12, 0, 10);

describe('normalizeRequest', () => {
  it('tells the product from a Twilio host, regional hosts included, else from the path', () => {
    expect(productOf('api.twilio.com', '/2010-04-01/Accounts.json')).toBe('api');
    expect(productOf('verify.twilio.com:443', '/v2/Services')).toBe('verify');
    expect(productOf('api.dublin.ie1.twilio.com', '/2010-04-01/Accounts.json')).toBe('api');
    expect(productOf('127.0.0.1:4010', '/v2/Services/VA1/Verifications')).toBe('verify');
    expect(productOf('127.0.0.1:4010', '/v1/Services')).toBe('messaging');
    expect(productOf('localhost', '/2010-04-01/Accounts/AC1/Messages.json')).toBe('api');
    expect(productOf(undefined, '/v2/PhoneNumbers/+1555')).toBe('lookups');
  });

  it('reads a base-URL `/<domain>` prefix as the product, and records the path without it', () => {
    expect(productOf('127.0.0.1:4010', '/conversations/v1/Conversations')).toBe('conversations');
    expect(productOf('127.0.0.1:4010', '/flex-api/v1/Configuration')).toBe('flex-api');
    expect(productOf('127.0.0.1:4010', '/api/2010-04-01/Accounts.json')).toBe('api');
    const r = normalizeRequest({ method: 'GET', host: '127.0.0.1:4010', url: '/conversations/v1/Conversations/CH1?PageSize=2' });
    expect(r).toMatchObject({ product: 'conversations', path: '/v1/Conversations/CH1', query: [['PageSize', '2']] });
    // On a Twilio host a path is never a prefix; and a first segment before no version is no prefix.
    expect(normalizeRequest({ method: 'GET', host: 'preview.twilio.com', url: '/wireless/Commands' })).toMatchObject({ product: 'preview', path: '/wireless/Commands' });
    expect(productOf('127.0.0.1:4010', '/favicon.ico')).toBe('api');
  });

  it('drops a prefix the rest of the path implies, and adds one the path does not imply', () => {
    expect(withoutImpliedPrefix('/verify/v2/Services?PageSize=1')).toBe('/v2/Services?PageSize=1');
    expect(withoutImpliedPrefix('/api/2010-04-01/Accounts.json')).toBe('/2010-04-01/Accounts.json');
    expect(withoutImpliedPrefix('/messaging/v1/Services')).toBe('/v1/Services');
    expect(withoutImpliedPrefix('/chat/v1/Services')).toBe('/chat/v1/Services');
    expect(withoutImpliedPrefix('/pricing/v1/PhoneNumbers/Countries')).toBe('/pricing/v1/PhoneNumbers/Countries');
    expect(withoutImpliedPrefix('/2010-04-01/Accounts.json')).toBe('/2010-04-01/Accounts.json');
    expect(baseUrlPath('conversations', '/v1/Conversations')).toBe('/conversations/v1/Conversations');
    expect(baseUrlPath('verify', '/v2/Services')).toBe('/v2/Services');
    expect(baseUrlPath('api', '/x?Page=1')).toBe('/x?Page=1');
  });

  it('decodes `+` and %20 alike, sorts pairs by key then value, keeps repeats', () => {
    const a = normalizeRequest({
      method: 'post',
      host: 'api.twilio.com',
      url: `/2010-04-01/Accounts/${AC}/Messages.json?b=2&a=1`,
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
      body: 'To=%2B15551230000&Body=hi%20%C3%BC+there&MediaUrl=https%3A%2F%2Fb&MediaUrl=https%3A%2F%2Fa',
    });
    expect(a).toEqual({
      method: 'POST',
      product: 'api',
      path: `/2010-04-01/Accounts/${AC}/Messages.json`,
      query: [['a', '1'], ['b', '2']],
      form: [['Body', 'hi ü there'], ['MediaUrl', 'https://a'], ['MediaUrl', 'https://b'], ['To', '+15551230000']],
    });
    const b = normalizeRequest({ method: 'POST', host: 'api.twilio.com', url: a.path + '?a=1&b=2', contentType: 'application/x-www-form-urlencoded', body: 'Body=hi+%C3%BC%20there&To=%2B15551230000&MediaUrl=https://a&MediaUrl=https://b' });
    expect(b).toEqual(a);
  });

  it('counts a body that is not a form as no params, and reads the query of an absolute-form target', () => {
    const r = normalizeRequest({ method: 'GET', url: 'http://api.twilio.com/2010-04-01/Accounts.json?DateSent%3E=2024-01-02', contentType: 'application/json', body: '{"To":"+1"}' });
    expect(r).toMatchObject({ path: '/2010-04-01/Accounts.json', query: [['DateSent>', '2024-01-02']], form: [] });
  });

  it('masks the port of loopback URLs only', () => {
    expect(canonicalLoopback('http://127.0.0.1:54321/status?x=1')).toBe('http://127.0.0.1:{port}/status?x=1');
    expect(canonicalLoopback('http://localhost:3000')).toBe('http://localhost:{port}');
    expect(canonicalLoopback('https://example.com:8443/status')).toBe('https://example.com:8443/status');
  });
});

describe('dates', () => {
  it('recognises Twilio formats (RawDlrDoneDate only under its own name) and writes them back', () => {
    const ms = Date.UTC(2015, 6, 30, 20, 12, 31);
    expect(parseDate('Thu, 30 Jul 2015 20:12:31 +0000')).toEqual({ format: 'rfc2822', ms, resolutionMs: 1000 });
    expect(parseDate('2015-07-30T20:12:31Z')).toMatchObject({ format: 'iso', ms });
    expect(parseDate('2015-07-30T20:12:31.433Z')).toMatchObject({ format: 'isoms', ms: ms + 433 });
    expect(parseDate('1507302012')).toBeUndefined();
    expect(parseDate('1507302012', 'RawDlrDoneDate')).toMatchObject({ format: 'dlr', ms: ms - 31_000 });
    for (const f of ['rfc2822', 'iso', 'isoms', 'dlr'] as const) expect(parseDate(formatDate(f, ms), 'RawDlrDoneDate')?.format).toBe(f);
  });

  it('tokenises dates near the recording as quantised offsets; old dates stay literal', () => {
    expect(TIME_QUANTUM_MS).toBe(60_000);
    expect(quantise(-1)).toBe(0);
    expect(dateToken('iso', -120_000)).toBe('{date:iso:-120000}');
    // "now" as Twilio writes it: truncated to the second, up to a second before the request.
    expect(tokenizeDate(formatDate('rfc2822', START - 900), START, START + 5000)).toBe('{date:rfc2822:+0}');
    expect(tokenizeDate(formatDate('iso', START + 10 * 60_000 + 400), START, START + 5000)).toBe('{date:iso:+600000}');
    // A DLR date truncated to the minute: placed mid-minute, so it never tips to -1 min.
    expect(tokenizeDate(formatDate('dlr', START + 2000), START, START + 5000, 'RawDlrDoneDate')).toBe('{date:dlr:+0}');
    expect(tokenizeDate('Mon, 01 Aug 2022 10:00:00 +0000', START, START + 5000)).toBeUndefined();
  });

  it('gives a DLR date sent 10 s into a recording the same token wherever the recording started in its minute', () => {
    const tokens = new Set<string | undefined>();
    for (let second = 0; second < 60; second++) {
      const start = Date.UTC(2026, 5, 2, 10, 0, second, 250);
      const sent = start + 10_000;
      tokens.add(tokenizeDate(formatDate('dlr', sent), start, start + 20_000, 'RawDlrDoneDate', sent + 40));
    }
    expect([...tokens]).toEqual(['{date:dlr:+0}']);
    // Without the moment it was sent, the minute it names tips the rounding (why `atMs` exists).
    const start = Date.UTC(2026, 5, 2, 10, 0, 55);
    expect(tokenizeDate(formatDate('dlr', start + 10_000), start, start + 20_000, 'RawDlrDoneDate')).toBe('{date:dlr:+60000}');
    // A DLR date far from when it was sent is placed by itself.
    expect(tokenizeDate(formatDate('dlr', start + 10 * 60_000), start, start + 20_000, 'RawDlrDoneDate', start + 10_000)).toBe('{date:dlr:+600000}');
  });
});

describe('Tokenizer', () => {
  it('aliases SIDs by prefix in order of first appearance, inside strings and page tokens too', () => {
    const t = new Tokenizer({ accountSids: [AC], startMs: START, endMs: START });
    expect(t.string(`/2010-04-01/Accounts/${AC}/Messages/${SM2}.json`)).toBe('/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json');
    expect(t.string(SM1)).toBe('{SM#2}');
    expect(t.string(`PageToken=PA${SM1}&x=${SM2}`)).toBe('PageToken=PA{SM#2}&x={SM#1}');
    expect(t.string('PN' + '1'.repeat(32))).toBe('{PN#1}');
    expect(t.string('XSM' + 'a'.repeat(32))).toBe('XSM' + 'a'.repeat(32)); // not a SID on its own
    expect([...t.aliases.values()]).toEqual(['{SM#1}', '{SM#2}', '{PN#1}']);
  });

  it('masks pairs in key order so numbering does not depend on random SIDs, then sorts', () => {
    const t = new Tokenizer({ startMs: START, endMs: START });
    expect(t.pairs([['To', '+1'], ['MessagingServiceSid', 'MG' + 'f'.repeat(32)], ['From', 'MG' + '0'.repeat(32)]])).toEqual([
      ['From', '{MG#1}'],
      ['MessagingServiceSid', '{MG#2}'],
      ['To', '+1'],
    ]);
  });

  it('rewrites origins that stood in for Twilio to the product\'s public origin, deep in bodies', () => {
    const t = new Tokenizer({ startMs: START, endMs: START, localOrigins: ['http://127.0.0.1:4011', 'http://verify.twilio.com'] });
    const body = {
      url: 'http://127.0.0.1:4011/v2/Services/VA' + 'c'.repeat(32),
      meta: { next_page_url: 'http://127.0.0.1:4011/v1/Services?PageSize=50&Page=1', other: 'http://127.0.0.1:40110/x' },
      links: ['http://verify.twilio.com/v2/Services'],
      conversation: 'http://127.0.0.1:4011/conversations/v1/Conversations/CH' + 'd'.repeat(32) + '/Participants',
      date_created: formatDate('iso', START),
    };
    expect(t.value(body)).toEqual({
      url: 'https://verify.twilio.com/v2/Services/{VA#1}',
      meta: { next_page_url: 'https://messaging.twilio.com/v1/Services?PageSize=50&Page=1', other: 'http://127.0.0.1:{port}/x' },
      links: ['https://verify.twilio.com/v2/Services'],
      // A base URL's `/<domain>` prefix names the product's host.
      conversation: 'https://conversations.twilio.com/v1/Conversations/{CH#1}/Participants',
      date_created: '{date:iso:+0}',
    });
  });
});

describe('Redactor', () => {
  it('replaces secret-named params and fields, and scrubs known secrets anywhere', () => {
    const r = new Redactor();
    const creds = r.addBasicAuth('Basic ' + Buffer.from(`${AC}:s3cr3t-token-value`).toString('base64'));
    expect(creds).toEqual({ username: AC, password: 's3cr3t-token-value' });
    expect(isSecretName('AuthToken') && isSecretName('auth_token') && isSecretName('ApiKeySecret') && isSecretName('Password')).toBe(true);
    expect(isSecretName('PageToken') || isSecretName('Code')).toBe(false);
    expect(r.pairs([['Body', 'my token is s3cr3t-token-value!'], ['Password', 'x'], ['PageToken', 'PA1']])).toEqual([
      ['Body', `my token is ${REDACTED}!`],
      ['Password', REDACTED],
      ['PageToken', 'PA1'],
    ]);
    expect(r.value({ sid: AC, auth_token: 'anything', nested: [{ secret: 42, note: 'x s3cr3t-token-value' }], empty: null })).toEqual({
      sid: AC,
      auth_token: REDACTED,
      nested: [{ secret: REDACTED, note: `x ${REDACTED}` }],
      empty: null,
    });
  });

  it('keeps only the response headers clients read', () => {
    const r = new Redactor();
    expect(r.headers({ 'Content-Type': 'application/json', 'Set-Cookie': ['a=b'], 'Twilio-Request-Id': 'RQ1', 'Retry-After': '3' })).toEqual({
      'content-type': 'application/json',
      'retry-after': '3',
    });
  });
});
