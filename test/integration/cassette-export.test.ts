/**
 * Issue #13 item 4: `mirra cassettes export --to har`. A cassette recorded with `mirra record`
 * (Messages create/fetch/list, a Verify verification, a 404) exports as a document that validates
 * against the HAR 1.2 structure, with Twilio URLs, form params as postData, the kept headers, the
 * body as text, no tokens left, times from the start instant; and importing that HAR back with
 * `--from polly` gives the same interactions. A fault and a Verify-only cassette (its account named
 * only in bodies) go round as well.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { readCassetteFile } from '../../src/cassette/codec';
import { cassetteToHar } from '../../src/cassette/export-har';
import { parseHar } from '../../src/cassette/import/polly';
import { importRecordings } from '../../src/cassette/import/to-raw';
import { startRecorder } from '../../src/mirror/start-recorder';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { pointAt, startTestMirror, tempDir } from '../helpers/mirror';
import { cassetteOf } from '../helpers/replay-cassette';

const BIN = join(REPO_ROOT, 'bin', 'mirra.js');
const FROM = '+15555550123';
const TO = '+15551230000';
const VA = 'VA00000000000000000000000000000001';

const nameValues = { type: 'array', items: { type: 'object', required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } } };

/** The HAR 1.2 structure (required fields and their types; `_custom` fields allowed, as the spec does). */
const HAR_SCHEMA = {
  type: 'object',
  required: ['log'],
  properties: {
    log: {
      type: 'object',
      required: ['version', 'creator', 'entries'],
      properties: {
        version: { const: '1.2' },
        creator: { type: 'object', required: ['name', 'version'], properties: { name: { type: 'string' }, version: { type: 'string' } } },
        pages: {
          type: 'array',
          items: { type: 'object', required: ['startedDateTime', 'id', 'title', 'pageTimings'], properties: { startedDateTime: { type: 'string', format: 'date-time' }, id: { type: 'string' }, title: { type: 'string' }, pageTimings: { type: 'object' } } },
        },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['startedDateTime', 'time', 'request', 'response', 'cache', 'timings'],
            properties: {
              pageref: { type: 'string' },
              startedDateTime: { type: 'string', format: 'date-time' },
              time: { type: 'number', minimum: 0 },
              request: {
                type: 'object',
                required: ['method', 'url', 'httpVersion', 'cookies', 'headers', 'queryString', 'headersSize', 'bodySize'],
                properties: {
                  method: { type: 'string' },
                  url: { type: 'string', format: 'uri' },
                  httpVersion: { type: 'string' },
                  cookies: { type: 'array' },
                  headers: nameValues,
                  queryString: nameValues,
                  postData: { type: 'object', required: ['mimeType'], properties: { mimeType: { type: 'string' }, params: { type: 'array' }, text: { type: 'string' } } },
                  headersSize: { type: 'integer' },
                  bodySize: { type: 'integer' },
                },
              },
              response: {
                type: 'object',
                required: ['status', 'statusText', 'httpVersion', 'cookies', 'headers', 'content', 'redirectURL', 'headersSize', 'bodySize'],
                properties: {
                  status: { type: 'integer' },
                  statusText: { type: 'string' },
                  httpVersion: { type: 'string' },
                  cookies: { type: 'array' },
                  headers: nameValues,
                  content: { type: 'object', required: ['size', 'mimeType'], properties: { size: { type: 'integer' }, mimeType: { type: 'string' }, text: { type: 'string' } } },
                  redirectURL: { type: 'string' },
                  headersSize: { type: 'integer' },
                  bodySize: { type: 'integer' },
                },
              },
              cache: { type: 'object' },
              timings: {
                type: 'object',
                required: ['send', 'wait', 'receive'],
                properties: { send: { type: 'number', minimum: -1 }, wait: { type: 'number', minimum: -1 }, receive: { type: 'number', minimum: -1 } },
              },
            },
          },
        },
      },
    },
  },
};

const validateHar = addFormats(new Ajv({ allErrors: true })).compile(HAR_SCHEMA);

describe('mirra cassettes export --to har', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('mirra-export-');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes HAR 1.2 that viewers read, and importing it back gives the same interactions', async () => {
    const cassettesDir = join(dir, 'cassettes');
    const up = await startTestMirror({ seed: 'twilio:verify-flow' });
    const rec = await startRecorder({ cassette: 'signup', upstream: up.url, port: 0, proxy: false, dataDir: join(dir, 'data'), cassettesDir });
    try {
      const client = pointAt(twilio(up.accountSid, up.authToken), rec.url);
      const m = await client.messages.create({ to: TO, from: FROM, body: 'hello', statusCallback: 'http://127.0.0.1:9/status' });
      await client.messages(m.sid).fetch();
      await client.messages.list({ limit: 5 });
      await client.verify.v2.services(VA).verifications.create({ to: TO, channel: 'sms' });
      await client.messages('SM' + 'f'.repeat(32)).fetch().catch(() => undefined);
    } finally {
      await rec.stop();
      await up.close();
    }
    const original = readCassetteFile(join(cassettesDir, 'signup.cassette.json'));
    expect(original.interactions).toHaveLength(5);

    const harFile = join(dir, 'signup.har');
    const res = await runCommand(process.execPath, [BIN, 'cassettes', 'export', '--to', 'har', 'signup', '--cassettes-dir', cassettesDir, '--out', harFile], {});
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const text = readFileSync(harFile, 'utf8');
    const har = JSON.parse(text);
    expect(validateHar(har) ? [] : validateHar.errors).toEqual([]);

    // Values as Twilio would show them: no cassette token is left.
    expect(text).not.toMatch(/\{AccountSid\}|\{[A-Z]{2}#\d+\}|\{date:/);
    const [create, fetch, list, verify, missing] = har.log.entries;
    expect(har.log.pages[0].startedDateTime).toBe('2000-01-01T00:00:00.000Z');
    expect(create.startedDateTime).toBe(new Date(Date.parse('2000-01-01T00:00:00.000Z') + original.interactions[0].offsetMs).toISOString());
    expect(create.request).toMatchObject({ method: 'POST', url: `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages.json` });
    expect(create.request.postData.params).toEqual(expect.arrayContaining([{ name: 'To', value: TO }, { name: 'Body', value: 'hello' }, { name: 'StatusCallback', value: 'http://127.0.0.1:{port}/status' }]));
    expect(create.response).toMatchObject({ status: 201, statusText: 'Created', content: { mimeType: expect.stringMatching(/^application\/json/) } });
    const body = JSON.parse(create.response.content.text);
    expect(body.sid).toBe('SM' + '0'.repeat(31) + '1');
    expect(body.date_created).toMatch(/^Sat, 01 Jan 2000 00:0\d:\d\d \+0000$/);
    expect(fetch.request.url).toBe(`https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages/SM${'0'.repeat(31)}1.json`);
    expect(list.request.queryString).toEqual([{ name: 'PageSize', value: '5' }]);
    expect(list.request.url).toMatch(/\/Messages\.json\?PageSize=5$/);
    expect(verify.request.url).toBe(`https://verify.twilio.com/v2/Services/VA${'0'.repeat(31)}1/Verifications`);
    expect(missing.response.status).toBe(404);
    expect(har.log.entries.every((e: { request: { headers: { name: string }[] } }) => e.request.headers.every((h) => !/authorization|cookie/i.test(h.name)))).toBe(true);

    const back = await runCommand(process.execPath, [BIN, 'cassettes', 'import', '--from', 'polly', harFile, '--name', 'back', '--cassettes-dir', cassettesDir], {});
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(readCassetteFile(join(cassettesDir, 'back.cassette.json')).interactions).toEqual(original.interactions);
  }, 30_000);

  it('goes round with a fault, dates after the start, and an account named only in bodies', () => {
    const cassette = cassetteOf('verify-only', [
      { method: 'POST', path: '/v2/Services/{VA#1}/Verifications', status: 201, offsetMs: 60_000, form: { To: TO, Channel: 'sms' }, body: { sid: '{VE#1}', account_sid: '{AccountSid}', date_created: '{date:iso:+60000}', send_code_attempts: [{ time: '{date:isoms:+120000}' }] } },
      { method: 'POST', path: '/v2/Services/{VA#1}/VerificationCheck', fault: 'timeout', offsetMs: 180_000, form: { To: TO, Code: '123456' } },
      { method: 'GET', path: '/v2/Services/{VA#1}/Verifications/{VE#1}', fault: 'reset', offsetMs: 180_000 },
    ]);
    const har = cassetteToHar(cassette, { startedAt: Date.parse('2026-06-02T10:00:00Z'), version: 'test' });
    expect(validateHar(har) ? [] : validateHar.errors).toEqual([]);
    expect(har.log.entries[1].response).toMatchObject({ status: 0, _fault: 'timeout', _error: 'net::ERR_TIMED_OUT' });
    const { cassette: back } = importRecordings([parseHar(JSON.stringify(har), 'x.har')], { name: 'verify-only' });
    expect(back.interactions).toEqual(cassette.interactions);
  });
});
