/**
 * Start-up: `mirra up` (bin/mirra.js, as users run it) from spawn to the first 200 of
 * /_mirra/health, cold (a fresh data dir: CA, instance key and LMDB created) and warm (the same dir
 * again), plus its RSS at rest. A bare `node -e ''` start is measured alongside for scale.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { rssOf } = require('../lib/child');
const { percentile } = require('../lib/load');

const BIN = join(__dirname, '..', '..', 'bin', 'mirra.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One `mirra up`: ms to healthy, RSS a second later; then SIGTERM and wait for the exit. */
function upOnce(dataDir, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // --ca-dir in the data dir: a cold start makes its CA, as a first start on a machine does.
    const child = spawn(process.execPath, [BIN, 'up', '--port', '0', '--data-dir', dataDir, '--ca-dir', join(dataDir, 'ca')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mirra up not healthy within ${timeoutMs} ms`));
    }, timeoutMs);
    let out = '';
    let polling = false;
    child.stdout.on('data', async (d) => {
      out += d;
      const m = /mirra is up at (http:\/\/[^\s]+?)\s/.exec(out);
      if (!m || polling) return;
      polling = true;
      for (;;) {
        try {
          const res = await fetch(`${m[1]}/_mirra/health`);
          await res.text();
          if (res.status === 200) break;
        } catch {
          /* not listening yet */
        }
        await sleep(2);
      }
      const ms = performance.now() - t0;
      await sleep(1000);
      const rss = rssOf(child.pid);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve({ ms, rss });
      });
      child.kill('SIGTERM');
    });
    child.on('error', reject);
  });
}

async function run(cfg, log) {
  const node = [];
  for (let i = 0; i < cfg.startupRuns; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '']);
    node.push(performance.now() - t0);
  }
  log(`  ${cfg.startupRuns} cold and ${cfg.startupRuns} warm starts of \`mirra up\``);
  const cold = [];
  const warm = [];
  const rss = [];
  for (let i = 0; i < cfg.startupRuns; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'mirra-bench-up-'));
    try {
      const c = await upOnce(dir);
      cold.push(c.ms);
      const w = await upOnce(dir);
      warm.push(w.ms);
      rss.push(w.rss);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const med = (xs) => percentile(Float64Array.from(xs).sort(), 50);
  return { coldMs: med(cold), warmMs: med(warm), coldAll: cold, warmAll: warm, restRss: med(rss), nodeMs: med(node) };
}

module.exports = { run };
