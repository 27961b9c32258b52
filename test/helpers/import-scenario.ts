/**
 * For the import tests: a stand-in for Twilio on 127.0.0.1 (Twilio-shaped JSON, gzip when asked,
 * an API key's `secret` in its create answer), a stand-in for some other service, and one scenario
 * an app runs against them — sent through each recording tool for real, in a child process (each
 * tool patches Node's http globally), so every sample is in that tool's own format.
 *
 * How each tool is made to record "Twilio" while talking to the stand-in:
 * - Polly (node-http adapter): the request goes to 127.0.0.1 with `Host: api.twilio.com`; the HAR
 *   keeps the Host header, which the importer reads.
 * - nock (recorder, back): the URL names `api.twilio.com:PORT` and a `lookup` resolves it to
 *   127.0.0.1, so nock's `scope` names the Twilio host.
 * - talkback: a proxy in front of the stand-in; it never keeps the Host header, so its tapes name
 *   the stand-in's origin (`meta.host`), given to the importer as `--upstream`.
 */
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { listenLocal, type Listening } from './listen';

export const AC = 'AC' + 'a1'.repeat(16);
export const TOKEN = 'tok' + '5e'.repeat(14) + 'en';
export const KEY_SECRET = 'ks' + '7f'.repeat(15);
export const FROM = '+15555550123';
export const TO = '+15551230000';

/** The Basic credentials of the app (the secret that must never reach a cassette). */
export const BASIC = 'Basic ' + Buffer.from(`${AC}:${TOKEN}`).toString('base64');

/** Starts the Twilio stand-in: Messages create/fetch, Keys create; anything else 404 in Twilio's shape. */
export function startTwilioStandIn(): Promise<Listening> {
  let n = 0;
  const messages = new Map<string, Record<string, unknown>>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const form = new URLSearchParams(body);
      const account = /\/Accounts\/(AC[0-9a-f]{32})/.exec(url.pathname)?.[1] ?? AC;
      const date = new Date().toUTCString().replace('GMT', '+0000');
      const send = (status: number, value: unknown) => {
        const json = JSON.stringify(value);
        const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'set-cookie': 'twilio-session=abc123; Path=/', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
        res.end(gzip ? gzipSync(json) : json);
      };
      if (req.method === 'POST' && url.pathname.endsWith('/Messages.json')) {
        const sid = 'SM' + (++n).toString(16).padStart(32, '0');
        const msg = {
          sid, account_sid: account, to: form.get('To'), from: form.get('From'), body: form.get('Body'), status: 'queued',
          date_created: date, date_updated: date, date_sent: null, error_code: null, uri: `/2010-04-01/Accounts/${account}/Messages/${sid}.json`,
        };
        messages.set(sid, msg);
        return send(201, msg);
      }
      const fetchMsg = /\/Messages\/(SM[0-9a-f]{32})\.json$/.exec(url.pathname);
      if (req.method === 'GET' && fetchMsg && messages.has(fetchMsg[1])) return send(200, { ...messages.get(fetchMsg[1]), status: 'delivered', date_sent: date });
      if (req.method === 'POST' && url.pathname.endsWith('/Keys.json')) {
        return send(201, { sid: 'SK' + (++n).toString(16).padStart(32, '0'), friendly_name: form.get('FriendlyName'), date_created: date, date_updated: date, secret: KEY_SECRET });
      }
      send(404, { code: 20404, message: 'The requested resource was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 });
    });
  });
  return listenLocal(server);
}

/** Starts a stand-in for a service that is not Twilio (its traffic must be skipped). */
export function startOtherService(): Promise<Listening> {
  return listenLocal(http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')));
}

/**
 * The app's scenario as a script body, given `send(method, path, form?, headers?)` for Twilio and
 * `other(path)` for the other service: create a message (its body carries the auth token, as a
 * careless app's might), fetch it (gzip), create an API key, call the other service.
 */
export const SCENARIO = `
  const created = await send('POST', '/2010-04-01/Accounts/${AC}/Messages.json',
    { To: '${TO}', From: '${FROM}', Body: 'your token ${TOKEN} leaked', StatusCallback: 'http://127.0.0.1:' + CALLBACK_PORT + '/status' });
  await send('GET', '/2010-04-01/Accounts/${AC}/Messages/' + created.sid + '.json', undefined, { 'accept-encoding': 'gzip' });
  await send('POST', '/2010-04-01/Accounts/${AC}/Keys.json', { FriendlyName: 'ci' });
  await other('/health');
`;

/** A tiny http client for the tool scripts: JSON answers, gzip undone, Content-Length always set. */
export const CLIENT = `
  const http = require('http');
  const zlib = require('zlib');
  const CALLBACK_PORT = 45678;
  const lookup = (h, o, cb) => (o && o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4));
  function request(opts, form) {
    const body = form ? new URLSearchParams(form).toString() : '';
    const headers = { authorization: '${BASIC}', ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), 'content-length': Buffer.byteLength(body), ...opts.headers };
    return new Promise((resolve, reject) => {
      const r = http.request({ ...opts, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let buf = Buffer.concat(chunks);
          if (res.headers['content-encoding'] === 'gzip') buf = zlib.gunzipSync(buf);
          const text = buf.toString('utf8');
          try { resolve(JSON.parse(text)); } catch { resolve(text); }
        });
      });
      r.on('error', reject);
      r.end(body);
    });
  }
`;
