#!/usr/bin/env node
/**
 * `npm run bench:profile`: mirra under `node --cpu-prof` while autocannon loads one route, then a
 * summary of where the time went (self time per function; inclusive time of mirra's functions).
 * Open the written .cpuprofile in Chrome DevTools (Performance → Load profile) or speedscope for
 * the flame graph.
 *
 *   node bench/profile.js [create|fetch|list] [--ephemeral] [--frozen] [--seconds 10] [--out DIR] [--no-prof]
 *
 * `--frozen` freezes the session clock, so no message's timeline runs: the request path alone.
 * `--no-prof` measures without the profiler (its overhead skews req/s); BENCH_DIST=DIR loads mirra
 * from another build (a baseline to compare a change with); BENCH_PRELOAD=FILE has the server
 * `require` FILE first, instead of profiling (e.g. a script that logs event-loop utilization).
 */
'use strict';
const { mkdirSync, readdirSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { config } = require('./lib/config');
const { startServer } = require('./lib/child');
const { hammer } = require('./lib/load');
const { formatProfile, summariseProfile } = require('./lib/profile');
const { basic, CREATE_FORM, FROM } = require('./lib/twilio-shapes');
const { createOne } = require('./suites/emulate');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const value = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const VALUED = new Set(['--seconds', '--out']);
const route = argv.find((a, i) => !a.startsWith('--') && !VALUED.has(argv[i - 1])) ?? 'create';

(async () => {
  const out = resolve(value('out', join(__dirname, 'profiles')));
  mkdirSync(out, { recursive: true });
  const before = new Set(readdirSync(out));
  const seconds = Number(value('seconds', config.seconds));
  const profiling = !flag('no-prof');
  const seed = flag('frozen') ? { seed: { name: 'bench-frozen', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } } } : {};
  const server = await startServer('mirra', { proxy: false, ephemeral: flag('ephemeral'), ...seed }, { execArgv: process.env.BENCH_PRELOAD ? ['-r', process.env.BENCH_PRELOAD] : profiling ? ['--cpu-prof', `--cpu-prof-dir=${out}`] : [] });
  let run;
  try {
    const auth = { sid: server.accountSid, header: basic(server.accountSid, server.authToken) };
    const sid = await createOne(server.url, auth);
    const base = `${server.url}/2010-04-01/Accounts/${server.accountSid}/Messages`;
    const common = { connections: config.connections, seconds, warmup: 1, headers: { authorization: auth.header }, server };
    if (route === 'create') run = await hammer({ ...common, url: `${base}.json`, method: 'POST', headers: { ...common.headers, 'content-type': 'application/x-www-form-urlencoded' }, body: CREATE_FORM });
    else if (route === 'fetch') run = await hammer({ ...common, url: `${base}/${sid}.json` });
    else if (route === 'list') run = await hammer({ ...common, url: `${base}.json?PageSize=50` });
    else throw new Error(`unknown route ${route} (create, fetch, list)`);
  } finally {
    await server.stop();
  }
  const file = readdirSync(out).find((f) => f.endsWith('.cpuprofile') && !before.has(f));
  process.stdout.write(`${route}: ${Math.round(run.rps)} req/s, p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms, server CPU ${Math.round(run.cpuUsPerRequest)} µs/request at ${(100 * run.serverCpu).toFixed(0)}% of a core (${run.requests} requests, ${run.errors} errors)\n\n`);
  if (!profiling) return;
  if (!file) throw new Error(`no profile written in ${out}`);
  process.stdout.write(`${join(out, file)}\n${formatProfile(summariseProfile(join(out, file), 30))}\n`);
})().catch((err) => {
  process.stderr.write(`bench profile: ${err?.stack ?? err}\n`);
  process.exit(1);
});
