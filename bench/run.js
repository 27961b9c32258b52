#!/usr/bin/env node
/**
 * `npm run bench`: every benchmark of issue #6, one after the other in one process tree (servers in
 * child processes), then bench/RESULTS.md with the machine, the date, a table per benchmark and
 * where each target stands. Settings: see bench/lib/config.js and docs/benchmarks.md.
 *
 *   BENCH_SECONDS=10 BENCH_ONLY=emulate,proxy node bench/run.js
 *   node bench/run.js --render     # RESULTS.md again from bench/results.json
 */
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { config, machine } = require('./lib/config');
const { renderResults } = require('./lib/report');

const SUITES = [
  ['emulate', 'Emulation over plain HTTP (ceiling, LMDB, ephemeral)'],
  ['proxy', 'Proxy mode (CONNECT + TLS)'],
  ['sdk', 'twilio SDK creates'],
  ['replay', 'Replay from cassettes'],
  ['memory', 'Memory after many creates in one session'],
  ['record', 'Record overhead'],
  ['startup', 'Start-up and RSS of `mirra up`'],
];

const log = (line) => process.stdout.write(line + '\n');

/**
 * Lets the machine settle between suites: earlier suites leave hundreds of MB of LMDB pages for the
 * kernel to write back (they commit without fsync) and processes shutting down; a suite measured
 * during that write-back (start-up, above all) measures the disk, not mirra.
 */
async function quiet() {
  require('node:child_process').spawnSync('sync');
  await new Promise((r) => setTimeout(r, 2000));
}

/** `node bench/run.js --render`: rewrites RESULTS.md from bench/results.json (e.g. after editing PROFILING.md). */
function renderOnly() {
  const raw = JSON.parse(require('node:fs').readFileSync(join(__dirname, 'results.json'), 'utf8'));
  writeFileSync(config.resultsFile, renderResults({ ...raw, startedAt: new Date(raw.startedAt) }));
  log(`wrote ${config.resultsFile} from bench/results.json`);
}

(async () => {
  if (process.argv.includes('--render')) return renderOnly();
  const startedAt = new Date();
  const results = {};
  const timings = {};
  log(`mirra bench — ${machine().cpu}, ${machine().cores} cores, node ${process.version}; ${config.seconds} s per load run`);
  for (const [name, title] of SUITES) {
    if (config.only.length > 0 && !config.only.includes(name)) continue;
    log(`\n${title}`);
    await quiet();
    const t0 = performance.now();
    try {
      results[name] = await require(`./suites/${name}`).run(config, log);
    } catch (err) {
      results[name] = { error: String(err?.stack ?? err) };
      log(`  FAILED: ${err?.message ?? err}`);
    }
    timings[name] = (performance.now() - t0) / 1000;
    log(`  (${timings[name].toFixed(0)} s)`);
  }
  const md = renderResults({ machine: machine(), startedAt, config, results, timings });
  writeFileSync(config.resultsFile, md);
  writeFileSync(join(__dirname, 'results.json'), JSON.stringify({ machine: machine(), startedAt, config, results, timings }, null, 2) + '\n');
  log(`\nwrote ${config.resultsFile}`);
  process.stdout.write('\n' + md.split('\n## ')[1].replace(/^/, '## ') + '\n');
})().catch((err) => {
  process.stderr.write(`bench: ${err?.stack ?? err}\n`);
  process.exit(1);
});
