/**
 * VCR (Ruby) and vcrpy cassettes of the import scenario, written by hand in each tool's documented
 * YAML form (Ruby VCR's `http_interactions` with `recorded_at` and `base64_string` bodies, as in
 * TwilioDevEd's call-tracking-rails fixtures; vcrpy's `interactions` with `!!binary` bodies and
 * `version: 1`, as vcr/serialize.py writes them) — no Ruby or Python here to record them for real.
 * Both hold a request whose URI carries the credentials (old twilio-ruby did that) and one to a
 * service that is not Twilio.
 */
import { gzipSync } from 'node:zlib';
import { AC, BASIC, FROM, KEY_SECRET, TO, TOKEN } from './import-scenario';

const SM = 'SM' + '0'.repeat(31) + '1';
const SK = 'SK' + '0'.repeat(31) + '2';
const DATE = 'Tue, 02 Jun 2026 10:00:00 +0000';
const HTTP_DATE = 'Tue, 02 Jun 2026 10:00:00 GMT';

const created = { sid: SM, account_sid: AC, to: TO, from: FROM, body: `your token ${TOKEN} leaked`, status: 'queued', date_created: DATE, date_updated: DATE, date_sent: null, error_code: null, uri: `/2010-04-01/Accounts/${AC}/Messages/${SM}.json` };
const fetched = { ...created, status: 'delivered', date_sent: DATE };
const key = { sid: SK, friendly_name: 'ci', date_created: DATE, date_updated: DATE, secret: KEY_SECRET };
const createForm = new URLSearchParams({ Body: `your token ${TOKEN} leaked`, From: FROM, StatusCallback: 'http://127.0.0.1:45678/status', To: TO }).toString();

/** A YAML single-quoted scalar. */
const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** Base64 wrapped at 60 characters, as Ruby's `pack('m')` writes it. */
const wrapped = (b: Buffer, indent: string) => (b.toString('base64').match(/.{1,60}/g) ?? []).map((l) => indent + l).join('\n');

function rubyHeaders(indent: string, headers: Record<string, string>): string {
  return Object.entries(headers).map(([k, v]) => `${indent}${k}:\n${indent}- ${v.includes(':') || v.includes('*') ? quoted(v) : v}`).join('\n');
}

/** A Ruby VCR cassette (`recorded_with: VCR 6.2.0`). */
export function vcrCassette(): string {
  const reqHeaders = (extra: Record<string, string> = {}) =>
    rubyHeaders('      ', { 'User-Agent': 'twilio-ruby/7.3.0 (linux x86_64) Ruby/3.3.0', 'Accept-Charset': 'utf-8', Accept: 'application/json', Authorization: BASIC, 'Accept-Encoding': 'gzip;q=1.0,deflate;q=0.6,identity;q=0.3', ...extra });
  const resHeaders = (extra: Record<string, string> = {}) => rubyHeaders('      ', { Date: HTTP_DATE, 'Content-Type': 'application/json; charset=utf-8', 'Set-Cookie': 'twilio-session=abc123; Path=/', ...extra });
  return `---
http_interactions:
- request:
    method: post
    uri: https://api.twilio.com/2010-04-01/Accounts/${AC}/Messages.json
    body:
      encoding: UTF-8
      string: ${createForm}
    headers:
${reqHeaders({ 'Content-Type': 'application/x-www-form-urlencoded' })}
  response:
    status:
      code: 201
      message: Created
    headers:
${resHeaders()}
    body:
      encoding: UTF-8
      string: ${quoted(JSON.stringify(created))}
    http_version:
  recorded_at: Tue, 02 Jun 2026 10:00:00 GMT
- request:
    method: get
    uri: https://${AC}:${TOKEN}@api.twilio.com/2010-04-01/Accounts/${AC}/Messages/${SM}.json
    body:
      encoding: US-ASCII
      string: ''
    headers:
${rubyHeaders('      ', { 'User-Agent': 'twilio-ruby/3.15.2 (ruby/x86_64-linux 2.1.5-p273)', Accept: 'application/json', 'Accept-Encoding': 'gzip;q=1.0,deflate;q=0.6,identity;q=0.3' })}
  response:
    status:
      code: 200
      message: OK
    headers:
${resHeaders({ 'Content-Encoding': 'gzip' })}
    body:
      encoding: ASCII-8BIT
      base64_string: |
${wrapped(gzipSync(JSON.stringify(fetched)), '        ')}
    http_version:
  recorded_at: Tue, 02 Jun 2026 10:00:01 GMT
- request:
    method: post
    uri: https://api.twilio.com/2010-04-01/Accounts/${AC}/Keys.json
    body:
      encoding: UTF-8
      string: FriendlyName=ci
    headers:
${reqHeaders({ 'Content-Type': 'application/x-www-form-urlencoded' })}
  response:
    status:
      code: 201
      message: Created
    headers:
${resHeaders()}
    body:
      encoding: UTF-8
      string: ${quoted(JSON.stringify(key))}
    http_version:
  recorded_at: Tue, 02 Jun 2026 10:00:02 GMT
- request:
    method: get
    uri: https://hooks.example.com/health
    body:
      encoding: US-ASCII
      string: ''
    headers:
      Accept:
      - "*/*"
  response:
    status:
      code: 200
      message: OK
    headers:
      Content-Type:
      - application/json
    body:
      encoding: UTF-8
      string: '{"ok":true}'
    http_version:
  recorded_at: Tue, 02 Jun 2026 10:00:03 GMT
recorded_with: VCR 6.2.0
`;
}

function pyHeaders(indent: string, headers: Record<string, string>): string {
  return Object.entries(headers)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${indent}${k}:\n${indent}- ${/^[\w./;=, -]+$/.test(v) && !/^\d+$/.test(v) ? v : quoted(v)}`)
    .join('\n');
}

/** A vcrpy cassette (`version: 1`; keys sorted, as PyYAML dumps them). */
export function vcrpyCassette(): string {
  const reqHeaders = (extra: Record<string, string> = {}) =>
    pyHeaders('      ', { Accept: '*/*', 'Accept-Encoding': 'gzip, deflate', Authorization: BASIC, Connection: 'keep-alive', 'User-Agent': 'twilio-python/9.3.0 (Linux x86_64) Python/3.12.3', ...extra });
  const resHeaders = (extra: Record<string, string> = {}) => pyHeaders('      ', { 'Content-Type': 'application/json; charset=utf-8', Date: HTTP_DATE, 'Set-Cookie': 'twilio-session=abc123; Path=/', ...extra });
  return `interactions:
- request:
    body: ${createForm}
    headers:
${reqHeaders({ 'Content-Length': String(createForm.length), 'Content-Type': 'application/x-www-form-urlencoded' })}
    method: POST
    uri: https://api.twilio.com/2010-04-01/Accounts/${AC}/Messages.json
  response:
    body:
      string: ${quoted(JSON.stringify(created))}
    headers:
${resHeaders()}
    status:
      code: 201
      message: Created
- request:
    body: null
    headers:
${reqHeaders()}
    method: GET
    uri: https://api.twilio.com/2010-04-01/Accounts/${AC}/Messages/${SM}.json
  response:
    body:
      string: !!binary |
${wrapped(gzipSync(JSON.stringify(fetched)), '        ')}
    headers:
${resHeaders({ 'Content-Encoding': 'gzip' })}
    status:
      code: 200
      message: OK
- request:
    body: FriendlyName=ci
    headers:
${reqHeaders({ 'Content-Length': '15', 'Content-Type': 'application/x-www-form-urlencoded' })}
    method: POST
    uri: https://api.twilio.com/2010-04-01/Accounts/${AC}/Keys.json
  response:
    body:
      string: ${quoted(JSON.stringify(key))}
    headers:
${resHeaders()}
    status:
      code: 201
      message: Created
- request:
    body: null
    headers:
      Accept:
      - '*/*'
    method: GET
    uri: https://hooks.example.com/health
  response:
    body:
      string: '{"ok":true}'
    headers:
      Content-Type:
      - application/json
    status:
      code: 200
      message: OK
version: 1
`;
}
