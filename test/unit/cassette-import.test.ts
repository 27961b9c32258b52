/**
 * The import's parsers and compiler on the cases the tools' own samples (test/integration/
 * cassette-import.test.ts) do not produce: nock before 14 (raw headers as a flat list, binary hex
 * bodies), a HAR entry that got no answer, time order from Date headers, a Bearer token, and
 * origins told to stand for Twilio.
 */
import { deflateSync } from 'node:zlib';
import { parseNock } from '../../src/cassette/import/nock';
import { parseHar } from '../../src/cassette/import/polly';
import { importRecordings } from '../../src/cassette/import/to-raw';

const AC = 'AC' + 'b2'.repeat(16);
const MSGS = `/2010-04-01/Accounts/${AC}/Messages.json`;

describe('import parsers', () => {
  it('reads nock < 14 definitions: raw headers as a flat list, a binary (hex) deflated body', () => {
    const body = deflateSync(JSON.stringify({ sid: 'SM' + '0'.repeat(32), status: 'sent' }));
    const rec = parseNock(
      JSON.stringify([
        { scope: 'https://api.twilio.com:443', method: 'GET', path: MSGS.replace('.json', '/SM' + '0'.repeat(32) + '.json'), body: '', status: 200, response: body.toString('hex'), responseIsBinary: true, rawHeaders: ['Content-Type', 'application/json', 'Content-Encoding', 'deflate', 'Date', 'Tue, 02 Jun 2026 10:00:00 GMT'] },
      ]),
      'old.json',
    );
    expect(rec.exchanges[0].url).toBe(`https://api.twilio.com:443${MSGS.replace('.json', '/SM' + '0'.repeat(32) + '.json')}`);
    expect(JSON.parse(rec.exchanges[0].response!.body)).toEqual({ sid: 'SM' + '0'.repeat(32), status: 'sent' });
  });

  it('reads a HAR entry with status 0 as a request that got no answer', () => {
    const har = { log: { entries: [{ startedDateTime: '2026-06-02T10:00:00.000Z', time: 5, request: { method: 'POST', url: `https://api.twilio.com${MSGS}`, headers: [], postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'To', value: '+1555' }] } }, response: { status: 0, headers: [], content: {}, _fault: 'timeout' } }] } };
    const rec = parseHar(JSON.stringify(har), 'x.har');
    const { cassette } = importRecordings([rec], { name: 'x' });
    expect(cassette.interactions[0]).toMatchObject({ fault: 'timeout', request: { form: [['To', '+1555']] } });
    expect(cassette.interactions[0].response).toBeUndefined();
  });
});

describe('importRecordings', () => {
  const exchange = (url: string, extra: Record<string, unknown> = {}) => ({
    source: 't',
    method: 'GET',
    url,
    requestHeaders: [] as [string, string][],
    requestBody: '',
    response: { status: 200, headers: [['content-type', 'application/json']] as [string, string][], body: '{"ok":true}' },
    ...extra,
  });

  it('orders by time (the Date header when the tool keeps none), ties in file order', () => {
    const at = (d: string): [string, string][] => [['content-type', 'application/json'], ['date', d]];
    const { cassette } = importRecordings(
      [
        {
          unreadable: 0,
          exchanges: [
            exchange(`https://api.twilio.com${MSGS}?n=2`, { response: { status: 200, headers: at('Tue, 02 Jun 2026 10:03:00 GMT'), body: '{}' } }),
            exchange(`https://api.twilio.com${MSGS}?n=1`, { response: { status: 200, headers: at('Tue, 02 Jun 2026 10:00:00 GMT'), body: '{}' } }),
            exchange(`https://api.twilio.com${MSGS}?n=3`, { response: { status: 200, headers: at('Tue, 02 Jun 2026 10:03:00 GMT'), body: '{}' } }),
          ],
        },
      ],
      { name: 'x' },
    );
    expect(cassette.interactions.map((i) => [i.request.query[0][1], i.offsetMs])).toEqual([
      ['1', 0],
      ['2', 180_000],
      ['3', 180_000],
    ]);
  });

  it('takes an origin given as upstream for Twilio (product by path) and skips the rest', () => {
    const { cassette, report } = importRecordings(
      [{ unreadable: 0, exchanges: [exchange(`http://127.0.0.1:8080/v2/Services/VA${'0'.repeat(32)}`), exchange('http://127.0.0.1:9090/health'), exchange('https://api.example.com/x')] }],
      { name: 'x', upstreams: ['http://127.0.0.1:8080/'] },
    );
    expect(cassette.interactions.map((i) => `${i.request.product} ${i.request.path}`)).toEqual(['verify /v2/Services/{VA#1}']);
    expect(report.skipped.notTwilio).toBe(2);
    expect(report.otherHosts).toEqual(['127.0.0.1', 'api.example.com']);
  });

  it('removes a Bearer token and a secret the caller names, wherever they occur', () => {
    const bearer = 'eyJhbGciOi.bearer-token-value';
    const named = 'named-secret-1234';
    const { cassette, report } = importRecordings(
      [
        {
          unreadable: 0,
          exchanges: [
            exchange(`https://api.twilio.com${MSGS}`, {
              requestHeaders: [['Authorization', `Bearer ${bearer}`]],
              response: { status: 200, headers: [['content-type', 'application/json']], body: JSON.stringify({ note: `${bearer} and ${named}` }) },
            }),
          ],
        },
      ],
      { name: 'x', secrets: [named] },
    );
    expect(JSON.stringify(cassette)).not.toMatch(/bearer-token-value|named-secret/);
    expect(report.dropped).toMatchObject({ authorizationHeaders: 1, secretValues: 2 });
  });
});
