/**
 * Replay from cassettes of 100 to 1,000,000 interactions. Ours: mirra (its own process, `--strict`,
 * in-memory state) replaying the cassette — started twice on it, the second start reusing the
 * on-disk index the first built — loaded by autocannon with list requests the cassette answers,
 * spread over the whole cassette: req/s must not depend on the cassette's size.
 * Then the replay engineer's bench/replay-lookup.js (the pure matcher's lookup cost per size, and
 * whole replayed requests), whose lines are folded in.
 */
'use strict';
const { spawn } = require('node:child_process');
const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startServer } = require('../lib/child');
const { writeCassetteFile, listPaths } = require('../lib/cassette');
const { interleave } = require('../lib/load');
const { basic } = require('../lib/twilio-shapes');

const LOOKUP = join(__dirname, '..', 'replay-lookup.js');

/** What `GET /_mirra/replay` says of where the cassette is served from (memory, or its on-disk index). */
async function indexOf(server) {
  try {
    const res = await fetch(`${server.url}/_mirra/replay`);
    return (await res.json()).index ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Each cassette is written (streamed: a million interactions are ~0.9 GB of JSON) and a mirror
 * started on it twice with the same data dir: the first start parses it (or, from 8 MiB, indexes
 * it on disk), the second reuses what the first built. The second mirrors are then loaded.
 */
async function ours(cfg, log) {
  const dir = mkdtempSync(join(tmpdir(), 'mirra-bench-replay-'));
  const servers = [];
  const opts = (size) => ({ proxy: false, ephemeral: true, cassette: join(dir, `bench-${size}.cassette.json`), strict: true, dataDir: join(dir, `data-${size}`) });
  try {
    for (const size of cfg.replaySizes) {
      const t0 = performance.now();
      const bytes = writeCassetteFile(opts(size).cassette, size);
      const genMs = performance.now() - t0;
      const first = await startServer('mirra', opts(size), { readyTimeoutMs: 900_000 });
      const built = { startMs: first.startMs, peakRss: first.startPeakRss, index: await indexOf(first) };
      await first.stop();
      const server = await startServer('mirra', opts(size), { readyTimeoutMs: 900_000 });
      const index = await indexOf(server);
      servers.push({ size, bytes, genMs, built, server, index, startRss: server.rss() });
      log(`  ${size.toLocaleString('en-US')} interactions (${(bytes / 2 ** 20).toFixed(0)} MB, written in ${Math.round(genMs)} ms): first start ${Math.round(built.startMs)} ms (${built.index}, peak RSS ${(built.peakRss / 2 ** 20).toFixed(0)} MB), second ${Math.round(server.startMs)} ms (${index})`);
    }
    log(`  list requests, ${cfg.seconds} s per cassette, in ${cfg.slices} slices taken in turn`);
    const runs = await interleave(
      servers.map(({ size, server }) => ({
        name: String(size),
        load: {
          url: server.url,
          requests: listPaths(size, server.accountSid).map((path) => ({ method: 'GET', path })),
          headers: { authorization: basic(server.accountSid, server.authToken) },
          connections: cfg.connections,
          server,
        },
      })),
      { seconds: cfg.seconds, slices: cfg.slices, warmup: cfg.warmupSeconds },
    );
    return servers.map(({ size, bytes, genMs, built, server, index, startRss }) => ({
      size,
      bytes,
      genMs,
      firstStartMs: built.startMs,
      firstStartPeakRss: built.peakRss,
      firstIndex: built.index,
      startMs: server.startMs,
      index,
      startRss,
      rss: server.rss(),
      rssSplit: server.rssSplit(),
      run: runs[String(size)],
    }));
  } finally {
    await Promise.all(servers.map(({ server }) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses bench/replay-lookup.js's per-size lines, field by field (its wording may grow). */
function parseLookup(text) {
  const num = (s) => (s === undefined ? NaN : Number(s.replace(/,/g, '')));
  const field = (line, re) => num(re.exec(line)?.[1]);
  return text
    .split('\n')
    .filter((line) => /^\s*[\d,]+ interactions:/.test(line))
    .map((line) => ({
      size: field(line, /^\s*([\d,]+) interactions:/),
      buildMs: field(line, /index ([\d,.]+) ms/),
      hitUs: field(line, /lookup hit ([\d,.]+) µs/),
      missUs: field(line, /miss \(fall-through\) ([\d,.]+) µs/),
      strictUs: field(line, /strict miss explained ([\d,.]+) µs/),
      startMs: field(line, /mirror start ([\d,.]+) ms/),
      injectRps: field(line, /([\d,.]+) req\/s \(inject\)/),
      httpRps: field(line, /([\d,.]+) req\/s \(HTTP/),
      emulatorRps: field(line, /emulator baseline ([\d,.]+)/),
      requests: field(line, /over ([\d,.]+) requests/),
    }));
}

/** bench/replay-lookup.js builds its cassettes in memory: sizes above this are measured by `ours` alone. */
const LOOKUP_MAX_SIZE = 100_000;

function lookup(cfg, log, timeoutMs) {
  if (!existsSync(LOOKUP)) return Promise.resolve({ lookupError: 'bench/replay-lookup.js is not there yet' });
  if (process.env.BENCH_REPLAY_LOOKUP === '0') return Promise.resolve({ lookupError: 'skipped (BENCH_REPLAY_LOOKUP=0)' });
  const sizes = cfg.replaySizes.filter((n) => n <= LOOKUP_MAX_SIZE);
  log(`  bench/replay-lookup.js --sizes ${sizes.join(',')} --requests ${cfg.replayRequests}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LOOKUP, '--sizes', sizes.join(','), '--requests', String(cfg.replayRequests)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const rows = parseLookup(out);
      const why = signal === 'SIGKILL' ? `stopped after ${timeoutMs / 1000} s` : code !== 0 ? `exited ${code}: ${err.trim().split('\n').slice(-1)[0]}` : rows.length === 0 ? 'its output format changed; nothing parsed' : null;
      resolve({ lookup: rows, ...(why ? { lookupError: `${why} (${rows.length} of ${sizes.length} sizes measured)` } : {}) });
    });
  });
}

async function run(cfg, log) {
  const autocannon = await ours(cfg, log);
  const small = autocannon.find((r) => r.size === Math.min(...cfg.replaySizes));
  const large = autocannon.find((r) => r.size === Math.max(...cfg.replaySizes));
  const flat = small && large && small !== large
    ? { smallSize: small.size, largeSize: large.size, small: small.run.rps, large: large.run.rps, ratio: large.run.rps / small.run.rps, cpuRatio: small.run.cpuUsPerRequest / large.run.cpuUsPerRequest }
    : null;
  const theirs = await lookup(cfg, log, Number(process.env.BENCH_REPLAY_LOOKUP_TIMEOUT_S ?? 90) * 1000);
  return { autocannon, flat, ...theirs };
}

module.exports = { run, parseLookup };
