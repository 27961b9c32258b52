#!/usr/bin/env node
/**
 * Replay benchmark (issue #5): lookup time per request and replay throughput with cassettes of
 * 100, 10,000 and 100,000 interactions, built in code. Run after `npm run build`:
 *
 *   node bench/replay-lookup.js [--sizes 100,10000,100000] [--requests 20000] [--store memory|lmdb]
 *
 * Lookup: `findEntry` alone (the pure matcher) for the hit path, a miss that falls through (no
 * explanation) and a --strict miss (nearest entries explained). Throughput: whole requests through
 * a mirror (`app.inject`, no sockets, and real HTTP with 32 keep-alive clients), each one matched,
 * materialised, applied to state and answered. The workload replays the cassette in recorded
 * order: a send (201 with a full message), a fetch of it, a filtered list.
 */
'use strict';
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { buildIndex, findEntry, Ledger } = require('../dist/cassette/match');
const { MemoryAliasMap } = require('../dist/cassette/materialize');
const { createMirror } = require('../dist/mirror/create-mirror');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const SIZES = (args.sizes ?? '100,10000,100000').split(',').map(Number);
const MAX_REQUESTS = Number(args.requests ?? 20000);
const STORE = args.store ?? 'memory';
/** `lookup`, `throughput` or both (default). */
const ONLY = args.only;
/**
 * `recorded` (default): the cassette's callbacks (none here) are the timeline, so the numbers are
 * the replay's own cost; `synthesised`: every replayed send also runs the emulator's timeline.
 */
const CALLBACKS = args.callbacks ?? 'recorded';
const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';
const FROM = '+15555550123';

function message(alias, i, status) {
  const uri = `/2010-04-01/Accounts/{AccountSid}/Messages/${alias}`;
  const date = '{date:rfc2822:+0}';
  return {
    body: `message ${i}`, num_segments: '1', direction: 'outbound-api', from: FROM, date_updated: date, price: null,
    error_message: null, uri: `${uri}.json`, account_sid: '{AccountSid}', num_media: '0', to: `+1555${String(i % 10_000_000).padStart(7, '0')}`,
    date_created: date, status, sid: alias, date_sent: null, messaging_service_sid: null, error_code: null, price_unit: 'USD',
    api_version: '2010-04-01', subresource_uris: { media: `${uri}/Media.json` },
  };
}

/** n interactions: send k, fetch k, list by recipient k, repeating. */
function buildCassette(n) {
  const interactions = [];
  const headers = { 'content-type': 'application/json; charset=utf-8' };
  for (let seq = 1, k = 1; seq <= n; k++) {
    const alias = `{SM#${k}}`;
    const to = `+1555${String(k % 10_000_000).padStart(7, '0')}`;
    const steps = [
      { method: 'POST', path: MSGS, query: [], form: [['Body', `message ${k}`], ['From', FROM], ['To', to]], status: 201, body: message(alias, k, 'queued') },
      { method: 'GET', path: `/2010-04-01/Accounts/{AccountSid}/Messages/${alias}.json`, query: [], form: [], status: 200, body: message(alias, k, 'sent') },
      {
        method: 'GET', path: MSGS, query: [['PageSize', '1'], ['To', to]], form: [], status: 200,
        body: { first_page_uri: `${MSGS}?To=${encodeURIComponent(to)}&PageSize=1&Page=0`, end: 0, previous_page_uri: null, messages: [message(alias, k, 'sent')], uri: `${MSGS}?To=${encodeURIComponent(to)}&PageSize=1&Page=0`, page_size: 1, start: 0, next_page_uri: null, page: 0 },
      },
    ];
    for (const s of steps) {
      if (seq > n) break;
      interactions.push({ seq, offsetMs: 0, request: { method: s.method, product: 'api', path: s.path, query: s.query, form: s.form }, response: { status: s.status, headers, body: s.body }, callbacks: [] });
      seq++;
    }
  }
  return { version: 1, name: `bench-${n}`, callbacks: CALLBACKS, interactions };
}

const fmt = (n, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function benchLookup(cassette) {
  const t0 = process.hrtime.bigint();
  const index = buildIndex(cassette);
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const ledger = new Ledger();
  const aliases = new MemoryAliasMap();
  const k = cassette.interactions.length;
  // Every interaction's request, in order, as the replay sees it (aliases bound as served).
  const reqs = cassette.interactions.map((i) => i.request);
  let t = process.hrtime.bigint();
  for (const r of reqs) {
    const res = findEntry(index, r, ledger, aliases, { explain: false });
    if (!res.hit) throw new Error(`expected a hit for #${res.miss.identity.path}`);
    ledger.markUsed(res.hit.entry.seq);
  }
  const hitUs = Number(process.hrtime.bigint() - t) / 1e3 / k;
  const missReq = { method: 'POST', product: 'api', path: MSGS, query: [], form: [['Body', 'nope'], ['From', FROM], ['To', '+15550000000']] };
  const misses = Math.min(200, k);
  t = process.hrtime.bigint();
  for (let i = 0; i < misses * 10; i++) findEntry(index, missReq, ledger, aliases, { explain: false });
  const missUs = Number(process.hrtime.bigint() - t) / 1e3 / (misses * 10);
  t = process.hrtime.bigint();
  let text = '';
  for (let i = 0; i < misses; i++) text = findEntry(index, missReq, new Ledger(), aliases).miss.text;
  const strictUs = Number(process.hrtime.bigint() - t) / 1e3 / misses;
  return { buildMs, hitUs, missUs, strictUs, sample: text.split('\n')[1] };
}

/** The requests of the workload, resolving `{SM#k}` to the SIDs the replay minted. */
function* workload(cassette, accountSid, minted, limit) {
  let n = 0;
  for (const i of cassette.interactions) {
    if (n++ >= limit) return;
    const path = i.request.path.replace('{AccountSid}', accountSid).replace(/\{SM#(\d+)\}/, (_m, k) => minted.get(Number(k)));
    const query = i.request.query.length ? '?' + new URLSearchParams(i.request.query).toString() : '';
    const body = i.request.form.length ? new URLSearchParams(i.request.form).toString() : undefined;
    yield { method: i.request.method, url: path + query, body, alias: i.response.body.sid };
  }
}

async function benchThroughput(cassette) {
  const dir = mkdtempSync(join(tmpdir(), 'mirra-bench-'));
  const file = join(dir, 'bench.cassette.json');
  writeFileSync(file, JSON.stringify(cassette));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let t = process.hrtime.bigint();
  const mirror = await createMirror({ ephemeral: STORE === 'memory', dataDir: join(dir, 'data'), proxy: false, port: 0, cassette: file, strict: true, seed: { name: 'bench', numbers: [{ phoneNumber: FROM }] } });
  const loadMs = Number(process.hrtime.bigint() - t) / 1e6;
  global.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
  const env = mirror.env();
  const auth = 'Basic ' + Buffer.from(`${env.TWILIO_ACCOUNT_SID}:${env.TWILIO_AUTH_TOKEN}`).toString('base64');
  const limit = Math.min(MAX_REQUESTS, cassette.interactions.length);
  const minted = new Map();
  const learn = (alias, text) => {
    const m = /^\{SM#(\d+)\}$/.exec(alias ?? '');
    if (m && !minted.has(Number(m[1]))) minted.set(Number(m[1]), JSON.parse(text).sid);
  };
  // 1. inject: the pipeline without sockets.
  t = process.hrtime.bigint();
  let count = 0;
  for (const r of workload(cassette, env.TWILIO_ACCOUNT_SID, minted, limit)) {
    const res = await mirror.inject({ method: r.method, host: '127.0.0.1', path: r.url, body: r.body ?? '', headers: { authorization: auth, ...(r.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) } });
    const text = res.body.toString('utf8');
    if (res.statusCode >= 300) throw new Error(`${r.method} ${r.url}: ${res.statusCode} ${text}`);
    learn(r.alias, text);
    count++;
  }
  const injectRps = count / (Number(process.hrtime.bigint() - t) / 1e9);
  await mirror.close();

  // 2. Real HTTP, 32 keep-alive clients, on a fresh mirror (a fresh ledger) with the same cassette.
  const mirror2 = await createMirror({ ephemeral: STORE === 'memory', dataDir: join(dir, 'data2'), proxy: false, port: 0, host: '127.0.0.1', cassette: file, strict: true, seed: { name: 'bench', numbers: [{ phoneNumber: FROM }] } });
  const url = await mirror2.listen();
  const env2 = mirror2.env();
  let auth2 = 'Basic ' + Buffer.from(`${env2.TWILIO_ACCOUNT_SID}:${env2.TWILIO_AUTH_TOKEN}`).toString('base64');
  const minted2 = new Map();
  // Sends first (in order), then fetches and lists concurrently: a fetch needs its send's SID.
  const all = cassette.interactions.slice(0, limit);
  const sends = all.filter((i) => i.request.method === 'POST');
  const reads = all.filter((i) => i.request.method === 'GET');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const target = new URL(url);
  const send = (r) =>
    new Promise((resolve, reject) => {
      const headers = { authorization: auth2, ...(r.body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(r.body) } : {}) };
      const req = http.request({ host: target.hostname, port: target.port, method: r.method, path: r.url, agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => (res.statusCode >= 300 ? reject(new Error(`${r.method} ${r.url}: ${res.statusCode} ${text}`)) : resolve(text)));
      });
      req.on('error', reject);
      req.end(r.body);
    });
  const run = async (items) => {
    const reqs = [...workload({ interactions: items }, env2.TWILIO_ACCOUNT_SID, minted2, Infinity)];
    let next = 0;
    const worker = async () => {
      while (next < reqs.length) {
        const r = reqs[next++];
        const text = await send(r);
        const m = /^\{SM#(\d+)\}$/.exec(r.alias ?? '');
        if (r.method === 'POST' && m) minted2.set(Number(m[1]), JSON.parse(text).sid);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
  };
  t = process.hrtime.bigint();
  await run(sends); // POSTs of different bodies are independent: concurrency is fine
  await run(reads);
  const httpRps = all.length / (Number(process.hrtime.bigint() - t) / 1e9);
  await mirror2.close();
  // Baseline at the same moment: a mirror without a cassette, its cheapest route, same client.
  const plain = await createMirror({ ephemeral: true, proxy: false, port: 0, host: '127.0.0.1', seed: { name: 'bench', numbers: [{ phoneNumber: FROM }] } });
  const plainUrl = new URL(await plain.listen());
  const envP = plain.env();
  target.port = plainUrl.port;
  auth2 = 'Basic ' + Buffer.from(`${envP.TWILIO_ACCOUNT_SID}:${envP.TWILIO_AUTH_TOKEN}`).toString('base64');
  const baseReq = { method: 'GET', url: `/2010-04-01/Accounts/${envP.TWILIO_ACCOUNT_SID}/IncomingPhoneNumbers.json` };
  let left = Math.min(3000, limit);
  const total = left;
  t = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 32 }, async () => { while (left-- > 0) await send(baseReq); }));
  const baselineRps = total / (Number(process.hrtime.bigint() - t) / 1e9);
  await plain.close();
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
  return { loadMs, heapMb, injectRps, httpRps, baselineRps, requests: limit };
}

(async () => {
  console.log(`mirra replay benchmark — node ${process.version}, store: ${STORE}, up to ${MAX_REQUESTS} requests replayed per size\n`);
  // Warm the JIT on a small cassette first, so the smallest size is not measured cold.
  benchLookup(buildCassette(3000));
  if (ONLY !== 'lookup') await benchThroughput(buildCassette(600));
  const rows = [];
  for (const n of SIZES) {
    const cassette = buildCassette(n);
    const l = ONLY === 'throughput' ? { buildMs: NaN, hitUs: NaN, missUs: NaN, strictUs: NaN, sample: '' } : benchLookup(cassette);
    const tp = ONLY === 'lookup' ? { loadMs: NaN, heapMb: NaN, injectRps: NaN, httpRps: NaN, baselineRps: NaN, requests: 0 } : await benchThroughput(cassette);
    rows.push({ n, ...l, ...tp });
    console.log(
      `${fmt(n, 0).padStart(7)} interactions: index ${fmt(l.buildMs)} ms | lookup hit ${fmt(l.hitUs, 2)} µs, miss (fall-through) ${fmt(l.missUs, 2)} µs, ` +
        `strict miss explained ${fmt(l.strictUs, 0)} µs | mirror start ${fmt(tp.loadMs, 0)} ms (+${fmt(tp.heapMb, 0)} MB heap) | ` +
        `replay ${fmt(tp.injectRps, 0)} req/s (inject), ${fmt(tp.httpRps, 0)} req/s (HTTP, 32 clients; emulator baseline ${fmt(tp.baselineRps, 0)}) over ${fmt(tp.requests, 0)} requests`,
    );
  }
  console.log(`\nstrict miss text, e.g.: ${rows[rows.length - 1].sample}`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
