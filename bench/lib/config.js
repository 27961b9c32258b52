/**
 * Benchmark settings, from the environment so a CI box or a laptop can shorten or lengthen a run,
 * and the description of the machine the numbers come from.
 */
'use strict';
const os = require('node:os');
const { readFileSync } = require('node:fs');

const num = (name, fallback) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** Every knob of `npm run bench` (see docs/benchmarks.md). */
const config = {
  /** Measured seconds of each load run. */
  seconds: num('BENCH_SECONDS', 10),
  /** Unmeasured warm-up seconds before each load run (JIT, connection set-up). */
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 2),
  /** Side-by-side runs are cut into this many slices, taken in turn (see lib/load.js interleave). */
  slices: num('BENCH_SLICES', 3),
  /** Offered load (req/s, all connections) of the fixed-rate create run: latency below saturation. */
  rate: num('BENCH_RATE', 500),
  /** Concurrent keep-alive connections of each load run. */
  connections: num('BENCH_CONNECTIONS', 32),
  /** Operations of the sequential SDK run; the concurrent run does twice as many. */
  sdkOps: num('BENCH_SDK_OPS', 500),
  /** Concurrency of the concurrent SDK run. */
  sdkConcurrency: num('BENCH_SDK_CONCURRENCY', 16),
  /** Creates per path in the record-overhead run. */
  recordOps: num('BENCH_RECORD_OPS', 400),
  /** Cold and warm `mirra up` starts to time. */
  startupRuns: num('BENCH_STARTUP_RUNS', 5),
  /** Cassette sizes of the replay runs. */
  replaySizes: (process.env.BENCH_REPLAY_SIZES ?? '100,10000,100000,1000000').split(',').map(Number).filter((n) => n > 0),
  /** Creates per batch of the memory suite (two batches with the default store). */
  memoryCreates: num('BENCH_MEMORY_CREATES', 50_000),
  /** Requests the replay engineer's script replays per size (bench/replay-lookup.js --requests). */
  replayRequests: num('BENCH_REPLAY_REQUESTS', 5000),
  /** Only these suites (comma-separated names), or all. */
  only: (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  /** Where RESULTS.md goes (a bounded run elsewhere must not overwrite the committed one). */
  resultsFile: process.env.BENCH_RESULTS ?? require('node:path').join(__dirname, '..', 'RESULTS.md'),
};

/** CPU model, cores, memory, OS and Node version. */
function machine() {
  const cpus = os.cpus();
  let model = cpus[0]?.model ?? 'unknown';
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1].trim();
  } catch {
    /* not Linux: os.cpus() is all there is */
  }
  return {
    cpu: model,
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

module.exports = { config, machine };
