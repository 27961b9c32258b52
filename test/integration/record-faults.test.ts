/**
 * Upstream errors while recording: Twilio's 4xx with its error body, a 5xx, a connection reset, a
 * slow (and gzip-compressed) answer and one that never comes are all answered to the app (the
 * real SDK, base-URL mode) and recorded — faults as `fault`, answered like a gateway would.
 */
import http from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import twilio from 'twilio';
import { loadCassette } from '../../src/cassette/codec';
import { startRecorder, type RunningRecorder } from '../../src/mirror/start-recorder';
import { pointAt, tempDir } from '../helpers/mirror';
import { listenLocal } from '../helpers/listen';

const AC = 'AC' + 'a'.repeat(32);
const TOKEN = 'f'.repeat(32);
const sid = (c: string) => 'SM' + c.repeat(32);
const message = (s: string, status: string) => ({ sid: s, account_sid: AC, status, date_created: null, uri: `/2010-04-01/Accounts/${AC}/Messages/${s}.json` });

/** A stand-in upstream whose answers are faults of every kind. */
function startFaultyUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = req.url ?? '';
      if (req.method === 'POST') return json(400, { code: 21211, message: "The 'To' number +1asd is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 });
      if (url.includes(sid('5'))) return json(500, { code: 20500, message: 'Internal Server Error', more_info: 'https://www.twilio.com/docs/errors/20500', status: 500 });
      if (url.includes(sid('0'))) return req.socket.destroy();
      if (url.includes(sid('d'))) {
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          res.end(gzipSync(JSON.stringify(message(sid('d'), 'delivered'))));
        }, 300);
        return;
      }
      // sid('e'): never answers (the recorder's timeout applies)
    });
  });
  return listenLocal(server);
}

describe('recording upstream errors', () => {
  let upstream: { url: string; close(): Promise<void> };
  let rec: RunningRecorder;
  let cassettesDir: string;
  const outcomes: unknown[] = [];

  beforeAll(async () => {
    upstream = await startFaultyUpstream();
    const dir = tempDir('mirra-faults-');
    cassettesDir = join(dir, 'cassettes');
    rec = await startRecorder({ cassette: 'faults', upstream: upstream.url, port: 0, proxy: false, dataDir: join(dir, 'data'), cassettesDir, upstreamTimeoutMs: 500 });
    const client = pointAt(twilio(AC, TOKEN), rec.url);
    const attempt = async (fn: () => Promise<{ status?: string }>) => {
      try {
        return { ok: (await fn()).status };
      } catch (e) {
        const err = e as { status: number; code: number };
        return { status: err.status, code: err.code };
      }
    };
    outcomes.push(await attempt(() => client.messages.create({ to: '+1asd', from: '+15005550006', body: 'x' })));
    for (const c of ['5', '0', 'd', 'e']) outcomes.push(await attempt(() => client.messages(sid(c)).fetch()));
    await rec.stop();
  }, 20_000);

  afterAll(async () => {
    await rec.stop();
    await upstream.close();
  });

  it('answers the app: 4xx and 5xx as sent, a reset as 502 and a timeout as 504 (Twilio-shaped), a slow answer in full', () => {
    expect(outcomes).toEqual([
      { status: 400, code: 21211 },
      { status: 500, code: 20500 },
      { status: 502, code: 20500 },
      { ok: 'delivered' },
      { status: 504, code: 20500 },
    ]);
  });

  it('records each of them: error bodies verbatim, faults as `fault`, the gzip body decoded', () => {
    const c = loadCassette(cassettesDir, 'faults');
    expect(c.interactions.map((i) => [i.request.method, i.response?.status ?? i.fault])).toEqual([
      ['POST', 400],
      ['GET', 500],
      ['GET', 'reset'],
      ['GET', 200],
      ['GET', 'timeout'],
    ]);
    expect(c.interactions[0].response!.body).toEqual({ code: 21211, message: "The 'To' number +1asd is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 });
    expect(c.interactions[1].response!.body).toMatchObject({ code: 20500, status: 500 });
    expect(c.interactions[2].response).toBeUndefined();
    expect(c.interactions[3].response).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { sid: '{SM#3}', account_sid: '{AccountSid}', status: 'delivered', date_created: null, uri: '/2010-04-01/Accounts/{AccountSid}/Messages/{SM#3}.json' },
    });
    expect(rec.recorder.counts).toMatchObject({ interactions: 5, faults: 2 });
  });
});
