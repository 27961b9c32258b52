/**
 * Emulation over plain HTTP, with autocannon: the ceiling (bare fastify, constant body) against
 * mirra's messages.create and messages.fetch, with the default LMDB store, with --ephemeral, and
 * with a frozen clock (the request alone, no timeline work). All servers run at once, each in its
 * own process, and are loaded in turn, slice by slice, so their ratios hold on a noisy machine.
 * RSS of each mirra is read at rest and sampled under load.
 */
'use strict';
const { startServer } = require('../lib/child');
const { interleave, paced } = require('../lib/load');
const { basic, CREATE_FORM, FROM } = require('../lib/twilio-shapes');

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Long enough for the default timeline (2 s) of the last slice's creates to run out. */
const TIMELINE_MS = 2500;

/** Creates one message over HTTP; returns its SID. */
async function createOne(url, auth) {
  const res = await fetch(`${url}/2010-04-01/Accounts/${auth.sid}/Messages.json`, { method: 'POST', headers: { ...FORM, authorization: auth.header }, body: CREATE_FORM });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(body)}`);
  return body.sid;
}

/** A server under test and what loading its two routes takes. */
async function target(name, server, isMirra) {
  const auth = isMirra ? { sid: server.accountSid, header: basic(server.accountSid, server.authToken) } : null;
  const sid = auth ? await createOne(server.url, auth) : 'SM' + 'b'.repeat(32);
  const account = auth?.sid ?? 'AC' + 'a'.repeat(32);
  const headers = auth ? { authorization: auth.header } : {};
  return {
    name,
    server,
    fetch: { url: `${server.url}/2010-04-01/Accounts/${account}/Messages/${sid}.json`, headers, server },
    create: { url: `${server.url}/2010-04-01/Accounts/${account}/Messages.json`, method: 'POST', headers: { ...headers, ...FORM }, body: CREATE_FORM, server },
  };
}

/** Runs the suite; `log` prints progress. */
async function run(cfg, log) {
  const started = [];
  try {
    const ceiling = await startServer('ceiling');
    started.push(ceiling);
    const lmdb = await startServer('mirra', { proxy: false });
    started.push(lmdb);
    const ephemeral = await startServer('mirra', { proxy: false, ephemeral: true });
    started.push(ephemeral);
    const frozen = await startServer('mirra', { proxy: false, seed: { name: 'bench-frozen', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } } });
    started.push(frozen);
    await sleep(1000);
    const rest = { lmdb: lmdb.rss(), ephemeral: ephemeral.rss(), frozen: frozen.rss(), ceiling: ceiling.rss() };
    const t = {
      ceiling: await target('ceiling', ceiling, false),
      lmdb: await target('lmdb', lmdb, true),
      ephemeral: await target('ephemeral', ephemeral, true),
      frozen: await target('frozen', frozen, true),
    };
    await sleep(TIMELINE_MS); // the probe messages' timelines
    const opts = { seconds: cfg.seconds, slices: cfg.slices, warmup: cfg.warmupSeconds };
    const common = { connections: cfg.connections };

    log(`  fetch: ceiling, mirra (LMDB) — ${cfg.seconds} s each, in ${cfg.slices} slices taken in turn`);
    const fetched = await interleave([
      { name: 'ceiling', load: { ...common, ...t.ceiling.fetch } },
      { name: 'lmdb', load: { ...common, ...t.lmdb.fetch } },
    ], opts);

    log(`  create: ceiling, mirra (LMDB), mirra (--ephemeral), mirra (LMDB, frozen clock) — the same way`);
    const peaks = {};
    let sampling = null;
    const created = await interleave(
      ['ceiling', 'lmdb', 'ephemeral', 'frozen'].map((name) => ({
        name,
        // A flowing clock keeps working after the slice: wait, so the next server runs alone; and
        // start each slice after a timeline's length of load, so the slice runs the timelines of
        // the creates before it, as under continuous load (its own run during the pause).
        pauseMs: name === 'lmdb' || name === 'ephemeral' ? TIMELINE_MS : 0,
        leadInSeconds: name === 'lmdb' || name === 'ephemeral' ? TIMELINE_MS / 1000 : 0,
        load: {
          ...common,
          ...t[name].create,
          onStart: () => (sampling = t[name].server.sampleRss()),
          onEnd: () => (peaks[name] = Math.max(peaks[name] ?? 0, sampling())),
        },
      })),
      opts,
    );
    await sleep(TIMELINE_MS);
    log(`  create at a steady ${cfg.rate} req/s (open loop, ${cfg.connections} connections): mirra (LMDB) — ${cfg.seconds} s`);
    const atRate = await paced({ ...common, ...t.lmdb.create, rate: cfg.rate, seconds: cfg.seconds, warmup: cfg.warmupSeconds });
    return {
      atRate,
      ceiling: { fetch: fetched.ceiling, create: created.ceiling, restRss: rest.ceiling, peakRss: peaks.ceiling },
      lmdb: { fetch: fetched.lmdb, create: created.lmdb, restRss: rest.lmdb, peakRss: peaks.lmdb, afterRss: lmdb.rss(), afterSplit: lmdb.rssSplit() },
      ephemeral: { create: created.ephemeral, restRss: rest.ephemeral, peakRss: peaks.ephemeral, afterRss: ephemeral.rss() },
      frozen: { create: created.frozen, restRss: rest.frozen, peakRss: peaks.frozen, afterRss: frozen.rss() },
    };
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }
}

module.exports = { run, createOne };
