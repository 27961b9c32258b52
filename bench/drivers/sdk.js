/**
 * The real twilio SDK as a load generator, in its own process (proxy mode needs HTTP_PROXY and
 * NODE_EXTRA_CA_CERTS set before the process starts, which is how users run it).
 *
 * BENCH_SDK = JSON {
 *   runs: [{ name, mode: 'sequential'|'concurrent', ops, concurrency? }],   creates through `client`
 *   paired?: { ops, baseUrls: { direct, recorded } }                         alternating creates
 *   baseUrl?: string                                                         base-URL mode; else env (proxy mode)
 * }
 * Credentials come from TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN. Prints one JSON line of results.
 */
'use strict';
const twilio = require('twilio');
const { percentile } = require('../lib/load');
const { FROM, TO } = require('../lib/twilio-shapes');

const spec = JSON.parse(process.env.BENCH_SDK);
const message = { to: TO, from: FROM, body: 'Your code is 123456' };

function client(baseUrl) {
  const c = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
  if (baseUrl) c.api.baseUrl = baseUrl;
  return c;
}

function stats(latencies, seconds) {
  const xs = Float64Array.from(latencies).sort();
  return { ops: latencies.length, seconds, opsPerSec: latencies.length / seconds, p50: percentile(xs, 50), p99: percentile(xs, 99) };
}

async function timed(c) {
  const t0 = performance.now();
  const m = await c.messages.create(message);
  if (!m.sid) throw new Error('no sid in the answer');
  return performance.now() - t0;
}

async function run(c, r) {
  const latencies = [];
  const warm = Math.min(50, r.ops);
  for (let i = 0; i < warm; i++) await timed(c);
  const started = performance.now();
  if (r.mode === 'sequential') {
    for (let i = 0; i < r.ops; i++) latencies.push(await timed(c));
  } else {
    let next = 0;
    const worker = async () => {
      while (next++ < r.ops) latencies.push(await timed(c));
    };
    await Promise.all(Array.from({ length: r.concurrency }, worker));
  }
  return stats(latencies, (performance.now() - started) / 1000);
}

/** Alternates a direct and a recorded create, so drift on a noisy machine hits both alike. */
async function paired(p) {
  const direct = client(p.baseUrls.direct);
  const recorded = client(p.baseUrls.recorded);
  for (let i = 0; i < 30; i++) {
    await timed(direct);
    await timed(recorded);
  }
  const a = [];
  const b = [];
  const diffs = [];
  for (let i = 0; i < p.ops; i++) {
    // Alternate which goes first, so neither always follows the other.
    let d;
    let r;
    if (i % 2 === 0) {
      d = await timed(direct);
      r = await timed(recorded);
    } else {
      r = await timed(recorded);
      d = await timed(direct);
    }
    a.push(d);
    b.push(r);
    diffs.push(r - d);
  }
  const sa = Float64Array.from(a).sort();
  const sb = Float64Array.from(b).sort();
  const sd = Float64Array.from(diffs).sort();
  return {
    direct: { p50: percentile(sa, 50), p99: percentile(sa, 99) },
    recorded: { p50: percentile(sb, 50), p99: percentile(sb, 99) },
    addedP50: percentile(sd, 50),
    ops: p.ops,
  };
}

(async () => {
  const out = {};
  if (spec.runs) {
    const c = client(spec.baseUrl);
    for (const r of spec.runs) out[r.name] = await run(c, r);
  }
  if (spec.paired) out.paired = await paired(spec.paired);
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((err) => {
  process.stderr.write(`sdk driver: ${err?.stack ?? err}\n`);
  process.exit(1);
});
