/**
 * Memory after many creates in one session (issue #14 item 3): mirra with the default LMDB store
 * takes BENCH_MEMORY_CREATES (50,000) messages.create over 32 connections, flat out, twice; after
 * each batch (and its 2 s timelines) RSS is read with its split — private (heap, malloc) and
 * file-backed (LMDB's map of the stored messages, Node's code), which the kernel can drop — and
 * V8's own figures, then again after a forced full GC (the mirror runs with --expose-gc, which
 * changes nothing else). The same with a frozen clock (every message's timeline waits in the
 * scheduler), with V8's default young generation instead of the cap `mirra up` sets (a sizing
 * flag of the user's own turns the cap off), and with --ephemeral (the memory store: state is heap
 * by design).
 */
'use strict';
const autocannon = require('autocannon');
const { startServer } = require('../lib/child');
const { basic, CREATE_FORM, FROM } = require('../lib/twilio-shapes');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Long enough for the default timeline (2 s) of the last creates to run out. */
const TIMELINE_MS = 3000;

/** `n` creates over `connections` connections, as fast as answers come back; resolves with the wall time. */
function createMany(server, n, connections) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${server.url}/2010-04-01/Accounts/${server.accountSid}/Messages.json`,
        method: 'POST',
        headers: { authorization: basic(server.accountSid, server.authToken), 'content-type': 'application/x-www-form-urlencoded' },
        body: CREATE_FORM,
        connections,
        amount: n,
        timeout: 30,
      },
      (err, res) => {
        if (err) return reject(err);
        const bad = res.non2xx + res.errors + res.timeouts;
        if (bad > 0) return reject(new Error(`${bad} of ${n} creates failed`));
        resolve(performance.now() - started);
      },
    );
  });
}

/** A memory reading of `server`: RSS and its split, V8's heap, then the same after a full GC. */
async function reading(server) {
  const before = await server.memory();
  const after = await server.memory({ gc: true });
  return { before, after };
}

/** One mirror, `batches` batches of `creates`. */
async function measure(name, options, cfg, log, { execArgv = [], batches = 2 } = {}) {
  const server = await startServer('mirra', options, { execArgv: ['--expose-gc', ...execArgv] });
  try {
    await sleep(1000);
    const rest = await server.memory({ gc: true });
    const steps = [];
    for (let b = 1; b <= batches; b++) {
      const sampling = server.sampleRss();
      const cpu0 = await server.cpu();
      const ms = await createMany(server, cfg.memoryCreates, cfg.connections);
      const cpuUs = (await server.cpu()) - cpu0;
      await sleep(TIMELINE_MS);
      const peakRss = sampling();
      const mem = await reading(server);
      steps.push({ creates: b * cfg.memoryCreates, ms, cpuUsPerCreate: cpuUs / cfg.memoryCreates, peakRss, ...mem });
      const mb = (x) => `${(x / 2 ** 20).toFixed(0)} MB`;
      log(`  ${name}: ${(b * cfg.memoryCreates).toLocaleString('en-US')} creates — RSS ${mb(mem.before.rss)} (private ${mb(mem.before.anon)}, file-backed ${mb(mem.before.file)}; heap ${mb(mem.before.heapUsed)} used of ${mb(mem.before.heapTotal)}), peak ${mb(peakRss)}; after a full GC ${mb(mem.after.rss)}, heap ${mb(mem.after.heapUsed)}`);
    }
    return { rest, steps };
  } finally {
    await server.stop();
  }
}

/** Runs the suite; `log` prints progress. */
async function run(cfg, log) {
  log(`  ${cfg.memoryCreates.toLocaleString('en-US')} creates per batch, ${cfg.connections} connections, flat out`);
  const frozenSeed = { name: 'bench-frozen', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } };
  return {
    creates: cfg.memoryCreates,
    lmdb: await measure('LMDB', { proxy: false }, cfg, log),
    frozen: await measure('LMDB, frozen clock', { proxy: false, seed: frozenSeed }, cfg, log, { batches: 1 }),
    uncapped: await measure("LMDB, V8's default young generation", { proxy: false }, cfg, log, { execArgv: ['--semi-space-growth-factor=2'], batches: 1 }),
    ephemeral: await measure('--ephemeral', { proxy: false, ephemeral: true }, cfg, log, { batches: 1 }),
  };
}

module.exports = { run };
