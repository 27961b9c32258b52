/**
 * Load generators. `hammer` drives a server with autocannon (keep-alive connections, one request in
 * flight each, as fast as answers come back) and records every latency exactly (autocannon's own
 * histogram rounds to whole milliseconds). `closedLoop` does the same with undici, whose
 * dispatcher can be a ProxyAgent: that is how proxy mode (CONNECT + TLS) is loaded, and the same
 * client over plain HTTP gives the like-for-like comparison.
 */
'use strict';
const autocannon = require('autocannon');
const { Pool, request } = require('undici');

/** Percentile `p` (0..100) of sorted `xs`. */
function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const i = Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1));
  return xs[i];
}

/** Summary of latencies (ms) and a request count over `seconds`. */
function summarise(latencies, ok, errors, seconds) {
  const xs = Float64Array.from(latencies).sort();
  return {
    requests: ok,
    errors,
    seconds,
    rps: ok / seconds,
    p50: percentile(xs, 50),
    p90: percentile(xs, 90),
    p99: percentile(xs, 99),
    max: xs.length ? xs[xs.length - 1] : NaN,
  };
}

function cannon(opts, seconds, onResponse) {
  return new Promise((resolve, reject) => {
    const inst = autocannon({ ...opts, duration: seconds }, (err, res) => (err ? reject(err) : resolve(res)));
    if (onResponse) inst.on('response', onResponse);
  });
}

/**
 * Loads `url` with `connections` keep-alive connections for `seconds` after `warmup` seconds, as
 * fast as answers come back.
 * `request` is autocannon's request shape (method, headers, body) or `requests` for a sequence.
 * Only 2xx answers count; anything else is an error (and reported).
 */
async function hammer({ url, method = 'GET', headers = {}, body, requests, connections, seconds, warmup, server, onStart, onEnd }) {
  const base = { url, method, headers, body, requests, connections, pipelining: 1, timeout: 10 };
  if (warmup > 0) await cannon(base, warmup);
  const cpuBefore = server ? await server.cpu() : NaN;
  const latencies = [];
  let ok = 0;
  let bad = 0;
  onStart?.();
  const started = performance.now();
  const res = await cannon(base, seconds, (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) {
      ok++;
      latencies.push(ms);
    } else bad++;
  });
  const elapsed = (performance.now() - started) / 1000;
  onEnd?.();
  const cpuUs = server ? (await server.cpu()) - cpuBefore : NaN;
  const result = { ...summarise(latencies, ok, bad + res.errors + res.timeouts, elapsed), cpuUsPerRequest: cpuUs / ok, serverCpu: cpuUs / 1e6 / elapsed };
  Object.defineProperty(result, 'raw', { value: { latencies, ok, bad: bad + res.errors + res.timeouts, elapsed, cpuUs } }); // not serialised
  return result;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs several loads side by side (`load`: autocannon options; `loop`: closedLoop options): `seconds` each, cut into `slices` slices taken in turn
 * (A B C A B C ...), so a noisy neighbour on the machine hits every run alike and their ratios
 * hold. Each run warms up once before its first slice, and may ask for a pause after each of its
 * slices (a mirror's scheduled work running out) so it never steals time from the next run, and
 * for a lead-in before each slice (`leadInSeconds`: the same load, unmeasured) so the slice starts
 * in steady state: work that earlier requests scheduled (a flowing clock's timelines) runs during
 * it as under continuous load, balancing its own scheduled work that runs after it.
 * Resolves with one summary per run, by name.
 */
async function interleave(runs, { seconds, slices, warmup }) {
  const parts = new Map(runs.map((r) => [r.name, []]));
  const n = Math.max(1, Math.min(slices, Math.floor(seconds)));
  for (let i = 0; i < n; i++) {
    for (const r of runs) {
      const phase = { seconds: seconds / n, warmup: Math.max(i === 0 ? warmup : 0, r.leadInSeconds ?? 0) };
      const res = r.loop ? await closedLoop({ ...r.loop, ...phase }) : await hammer({ ...r.load, ...phase });
      parts.get(r.name).push(res.raw);
      if (r.pauseMs) await sleep(r.pauseMs);
    }
  }
  const out = {};
  for (const [name, raws] of parts) {
    const latencies = raws.flatMap((x) => x.latencies);
    const ok = raws.reduce((a, x) => a + x.ok, 0);
    const elapsed = raws.reduce((a, x) => a + x.elapsed, 0);
    const cpuUs = raws.reduce((a, x) => a + x.cpuUs, 0);
    const slicesRps = raws.map((x) => x.ok / x.elapsed);
    out[name] = {
      ...summarise(latencies, ok, raws.reduce((a, x) => a + x.bad, 0), elapsed),
      cpuUsPerRequest: cpuUs / ok,
      serverCpu: cpuUs / 1e6 / elapsed,
      slicesRps,
    };
  }
  return out;
}

/**
 * `concurrency` workers, each sending `make()`'s request through `dispatcher` and waiting for the
 * answer, for `seconds` after `warmup` seconds.
 */
async function closedLoop({ dispatcher, make, concurrency, seconds, warmup, server }) {
  const phase = async (secs, record) => {
    const until = performance.now() + secs * 1000;
    const worker = async () => {
      while (performance.now() < until) {
        const r = make();
        const t0 = performance.now();
        try {
          const res = await request(r.url, { method: r.method, headers: r.headers, body: r.body, dispatcher });
          await res.body.dump();
          if (res.statusCode >= 200 && res.statusCode < 300) record.ok(performance.now() - t0);
          else record.bad();
        } catch {
          record.bad();
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  const ignore = { ok() {}, bad() {} };
  if (warmup > 0) await phase(warmup, ignore);
  const latencies = [];
  let ok = 0;
  let bad = 0;
  const cpuBefore = server ? await server.cpu() : NaN;
  const started = performance.now();
  await phase(seconds, { ok: (ms) => (ok++, latencies.push(ms)), bad: () => bad++ });
  const elapsed = (performance.now() - started) / 1000;
  const cpuUs = server ? (await server.cpu()) - cpuBefore : NaN;
  const result = { ...summarise(latencies, ok, bad, elapsed), cpuUsPerRequest: cpuUs / ok, serverCpu: cpuUs / 1e6 / elapsed };
  Object.defineProperty(result, 'raw', { value: { latencies, ok, bad, elapsed, cpuUs } }); // not serialised
  return result;
}

/**
 * Open loop: `rate` requests per second, evenly spaced, over a pool of `connections` keep-alive
 * connections, whatever the answers' pace; each latency runs from the request's scheduled time, so
 * queueing shows (no coordinated omission). Latency below saturation, unlike the flat-out runs.
 * (autocannon's own rate limit sends each second's quota in a burst, which measures a burst.)
 */
async function paced({ url, method = 'GET', headers = {}, body, rate, seconds, connections, server, warmup = 0 }) {
  if (warmup > 0) await paced({ url, method, headers, body, rate, seconds: warmup, connections });
  const { origin, pathname, search } = new URL(url);
  const pool = new Pool(origin, { connections });
  const latencies = [];
  let ok = 0;
  let bad = 0;
  const total = Math.round(rate * seconds);
  const cpuBefore = server ? await server.cpu() : NaN;
  const started = performance.now();
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // From when it was due (a request sent late counts its wait), or when it left if that was
    // earlier (a wait under 1 ms is not slept): never a negative latency.
    const from = Math.min(due, performance.now());
    inflight.push(
      pool.request({ path: pathname + search, method, headers, body }).then(
        async (res) => {
          await res.body.dump();
          if (res.statusCode >= 200 && res.statusCode < 300) {
            ok++;
            latencies.push(performance.now() - from);
          } else bad++;
        },
        () => bad++,
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  const cpuUs = server ? (await server.cpu()) - cpuBefore : NaN;
  await pool.close();
  return { ...summarise(latencies, ok, bad, elapsed), cpuUsPerRequest: cpuUs / ok, serverCpu: cpuUs / 1e6 / elapsed };
}

module.exports = { hammer, interleave, closedLoop, paced, percentile, summarise };
