/**
 * Renders bench/RESULTS.md from one run's results: machine and date, where each target of issue #6
 * stands, a table per benchmark, and the profiling log (bench/PROFILING.md, kept by hand because
 * before/after figures span several runs).
 */
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const n0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const ms = (x) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(1)) : '–');
const mb = (bytes) => (Number.isFinite(bytes) && bytes > 0 ? `${(bytes / 2 ** 20).toFixed(0)} MB` : '–');
const pct = (x) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '–');
const status = (ok) => (ok === undefined ? 'n/a' : ok ? '**PASS**' : '**MISS**');

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function loadRow(label, r, ceilingRps) {
  if (!r) return null;
  const cpu = Number.isFinite(r.cpuUsPerRequest) ? `${n0(r.cpuUsPerRequest)} (${pct(r.serverCpu)})` : '–';
  return [label, n0(r.rps), ceilingRps ? pct(r.rps / ceilingRps) : '–', ms(r.p50), ms(r.p90), ms(r.p99), ms(r.max), cpu, n0(r.requests), n0(r.errors)];
}

const LOAD_HEAD = ['Run', 'req/s', 'of ceiling', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'server CPU µs/req (core use)', 'requests', 'errors'];

function failed(section) {
  return section?.error ? `Not measured: the run failed.\n\n\`\`\`\n${section.error.split('\n').slice(0, 8).join('\n')}\n\`\`\`\n` : null;
}

/** The targets of issue #6 against this run's figures. */
function targets(res) {
  const t = [];
  const e = res.emulate && !res.emulate.error ? res.emulate : null;
  if (e) {
    const ratio = e.lmdb.create.rps / e.ceiling.create.rps;
    t.push(['Emulated create ≥ 60% of the ceiling’s req/s', `${pct(ratio)} (${n0(e.lmdb.create.rps)} of ${n0(e.ceiling.create.rps)} req/s; ephemeral ${pct(e.ephemeral.create.rps / e.ceiling.create.rps)})`, status(ratio >= 0.6)]);
    const p99 = Math.max(e.lmdb.create.p99, e.lmdb.fetch?.p99 ?? 0);
    t.push([`p99 < 10 ms at ${res.config.connections} connections, flat out (as many requests as answers allow)`, `create ${ms(e.lmdb.create.p99)} ms, fetch ${ms(e.lmdb.fetch?.p99)} ms`, status(p99 < 10)]);
    if (e.atRate) t.push([`… at a steady ${n0(res.config.rate)} req/s over ${res.config.connections} connections`, `create p50 ${ms(e.atRate.p50)} ms, p99 ${ms(e.atRate.p99)} ms`, status(e.atRate.p99 < 10)]);
    // Issue #14 item 1: half the create CPU of its baseline (265 µs), and 0.3× the ceiling's req/s.
    const cpu = e.lmdb.create.cpuUsPerRequest;
    t.push([
      'Create CPU per request ≤ 130 µs and ≥ 0.3× the ceiling’s req/s (issue #14: half of 265 µs, 0.16×)',
      `${n0(cpu)} µs, ${ratio.toFixed(3)}× (frozen clock, the request alone: ${n0(e.frozen?.create?.cpuUsPerRequest)} µs, ${(e.frozen ? e.frozen.create.rps / e.ceiling.create.rps : NaN).toFixed(3)}×)`,
      status(cpu <= 130 && ratio >= 0.3),
    ]);
  } else t.push(['Emulated create ≥ 60% of the ceiling', 'not measured', 'n/a']);
  const sdk = res.sdk && !res.sdk.error ? res.sdk : null;
  if (sdk && Number.isFinite(sdk.proxy.serverCpuUsPerCall) && Number.isFinite(sdk.base.serverCpuUsPerCall)) {
    const r = sdk.proxy.serverCpuUsPerCall / sdk.base.serverCpuUsPerCall;
    t.push([
      'Server CPU per proxied twilio-node call within 1.5× of a base-URL call (issue #14)',
      `${r.toFixed(2)}× (${n0(sdk.proxy.serverCpuUsPerCall)} vs ${n0(sdk.base.serverCpuUsPerCall)} µs; a full TLS handshake a call, see the SDK section)`,
      status(r <= 1.5),
    ]);
  } else t.push(['Server CPU per proxied twilio-node call within 1.5× of a base-URL call', 'not measured', 'n/a']);
  const r = res.replay && !res.replay.error ? res.replay : null;
  const cpuNote = (f) => (Number.isFinite(f.cpuRatio) ? `; server CPU per request ${pct(1 / f.cpuRatio)} of the small one's` : '');
  if (r?.flat) t.push([`Replay req/s with ${n0(r.flat.largeSize)} interactions within 10% of ${n0(r.flat.smallSize)}`, `${pct(r.flat.ratio)} (${n0(r.flat.large)} vs ${n0(r.flat.small)} req/s${cpuNote(r.flat)})`, status(r.flat.ratio >= 0.9)]);
  else t.push(['Replay req/s with 1,000,000 interactions within 10% of 100', 'not measured', 'n/a']);
  const big = r?.autocannon?.length ? r.autocannon.reduce((a, b) => (b.size > a.size ? b : a)) : null;
  if (big && Number.isFinite(big.firstStartMs)) {
    t.push([`Replay of ${n0(big.size)} interactions starts in < 1 s after the first time`, `${n0(big.startMs)} ms (${big.index}; the first start, which built the index: ${n0(big.firstStartMs)} ms)`, status(big.startMs < 1000)]);
    t.push([`… and stays under 200 MB RSS`, `${mb(big.rss)} after load (${mb(big.rssSplit?.anon)} private, ${mb(big.rssSplit?.file)} file-backed); the first start peaked at ${mb(big.firstStartPeakRss)}`, status(big.rss < 200 * 2 ** 20)]);
  }
  const rec = res.record && !res.record.error ? res.record : null;
  t.push(['Record overhead < 2 ms p50', rec ? `+${ms(rec.addedP50)} ms` : 'not measured', rec ? status(rec.addedP50 < 2) : 'n/a']);
  const s = res.startup && !res.startup.error ? res.startup : null;
  t.push(['Start-up of `mirra up` to healthy < 500 ms (existing data dir)', s ? `${n0(s.warmMs)} ms (median of ${s.warmAll.length})` : 'not measured', s ? status(s.warmMs < 500) : 'n/a']);
  t.push(['… and with a new data dir (CA key pair generated)', s ? `${n0(s.coldMs)} ms (median of ${s.coldAll.length})` : 'not measured', s ? status(s.coldMs < 500) : 'n/a']);
  const rest = [s?.restRss, e?.lmdb.restRss, e?.ephemeral.restRss].filter((x) => Number.isFinite(x) && x > 0);
  t.push(['RSS < 150 MB at rest', rest.length ? `${mb(Math.max(...rest))} at most` : 'not measured', rest.length ? status(Math.max(...rest) < 150 * 2 ** 20) : 'n/a']);
  const peak = e ? Math.max(e.lmdb.peakRss ?? 0, e.ephemeral.peakRss ?? 0) : 0;
  const split = e?.lmdb.afterSplit?.anon ? ` (LMDB mirror after load: ${mb(e.lmdb.afterSplit.anon)} private, ${mb(e.lmdb.afterSplit.file)} file-backed)` : '';
  t.push(['RSS < 150 MB under load', peak ? `peak ${mb(peak)}${split}` : 'not measured', peak ? status(peak < 150 * 2 ** 20) : 'n/a']);
  const m = res.memory && !res.memory.error ? res.memory : null;
  const first = m?.lmdb.steps[0];
  if (first) {
    t.push([
      `RSS < 150 MB after ${n0(m.creates)} creates in one session`,
      `${mb(first.before.rss)} (${mb(first.before.anon)} private, ${mb(first.before.file)} file-backed: Node’s code and the LMDB pages of the stored messages); heap in use ${mb(first.after.heapUsed)} after a full GC (${mb(m.lmdb.rest.heapUsed)} at rest)${m.uncapped?.steps?.[0] ? `; ${mb(m.uncapped.steps[0].before.rss)} with V8's default young generation (uncapped)` : ''}`,
      status(first.before.rss < 150 * 2 ** 20),
    ]);
  } else t.push(['RSS < 150 MB after 50,000 creates in one session', 'not measured', 'n/a']);
  return table(['Target', 'Measured', 'Status'], t);
}

function emulateSection(e, config) {
  const c = e.ceiling.create.rps;
  const cf = e.ceiling.fetch?.rps;
  const rows = [
    loadRow('ceiling: bare fastify, create route', e.ceiling.create),
    loadRow('ceiling: bare fastify, fetch route', e.ceiling.fetch),
    loadRow('mirra messages.create (LMDB, default)', e.lmdb.create, c),
    loadRow('mirra messages.fetch (LMDB, default)', e.lmdb.fetch, cf),
    loadRow('mirra messages.create (--ephemeral)', e.ephemeral.create, c),
    loadRow('mirra messages.create (LMDB, frozen clock: no timeline work)', e.frozen?.create, c),
    e.atRate ? loadRow(`mirra messages.create (LMDB), steady ${n0(config.rate)} req/s (open loop)`, e.atRate) : null,
  ].filter(Boolean);
  const slices = (r) => (r?.slicesRps ? r.slicesRps.map(n0).join(' / ') : '–');
  return [
    table(LOAD_HEAD, rows),
    '',
    '“of ceiling” compares with the ceiling’s same route. Server CPU is the server process’s user + system time per answered request (less sensitive to a busy machine than req/s), and how much of one core it used. Sessions: the default LMDB store commits every answered request’s writes before the answer leaves (group commit: one LMDB transaction per event-loop turn), so a `kill -9` loses nothing answered; `--ephemeral` keeps state in memory only. The frozen-clock run shows the request path alone: its messages’ timelines never run.',
    '',
    `req/s of each slice, in the order run — create: ceiling ${slices(e.ceiling.create)}; LMDB ${slices(e.lmdb.create)}; ephemeral ${slices(e.ephemeral.create)}; frozen ${slices(e.frozen?.create)}.`,
    '',
    table(['process', 'RSS at rest', 'RSS peak under create load', 'RSS after load', 'messages created'], [
      ['mirra, LMDB', mb(e.lmdb.restRss), mb(e.lmdb.peakRss), mb(e.lmdb.afterRss), n0(e.lmdb.create.requests)],
      ['mirra, --ephemeral', mb(e.ephemeral.restRss), mb(e.ephemeral.peakRss), mb(e.ephemeral.afterRss), n0(e.ephemeral.create.requests)],
      ['mirra, LMDB, frozen clock', mb(e.frozen?.restRss), mb(e.frozen?.peakRss), mb(e.frozen?.afterRss), n0(e.frozen?.create.requests)],
      ['ceiling (for scale)', mb(e.ceiling.restRss), mb(e.ceiling.peakRss), '–', '–'],
    ]),
    '',
    e.lmdb.afterSplit?.anon ? `RSS under load grows with the data the run creates (every message is kept, with its inbox item and steps). It counts the pages of LMDB’s memory-mapped file that were touched: after load, the LMDB mirror held ${mb(e.lmdb.afterSplit.anon)} of private memory (heap) and ${mb(e.lmdb.afterSplit.file)} of file-backed pages (the map and Node’s code), which the kernel can drop at will.` : '',
  ].join('\n');
}

function proxySection(p) {
  return [
    table(LOAD_HEAD.map((h) => (h === 'of ceiling' ? 'of plain HTTP' : h)), [
      loadRow('undici → mirra, plain HTTP: fetch', p.plainFetch),
      loadRow('undici → proxy → https://api.twilio.com: fetch', p.proxyFetch, p.plainFetch.rps),
      loadRow('undici → mirra, plain HTTP: create', p.plainCreate),
      loadRow('undici → proxy → https://api.twilio.com: create', p.proxyCreate, p.plainCreate.rps),
    ]),
    '',
    '“of plain HTTP” compares with the same client and route over plain HTTP: what CONNECT + TLS cost. Tunnels are kept alive (one per connection), as undici’s ProxyAgent does.',
  ].join('\n');
}

function sdkSection(s) {
  const row = (label, r) => [label, n0(r.opsPerSec), ms(r.p50), ms(r.p99), n0(r.ops)];
  const cpu = (r) => (Number.isFinite(r.serverCpuUsPerCall) ? `${n0(r.serverCpuUsPerCall)} µs` : '–');
  return [
    table(['Run', 'ops/s', 'p50 ms', 'p99 ms', 'ops'], [
      row('base-URL mode, sequential', s.base.sequential),
      row(`base-URL mode, concurrent`, s.base.concurrent),
      row('proxy mode (HTTP_PROXY), sequential', s.proxy.sequential),
      row('proxy mode (HTTP_PROXY), concurrent', s.proxy.concurrent),
    ]),
    '',
    `Server CPU per call (both runs of a mode, ${n0(s.calls)} calls with their warm-ups${s.warmed ? ', after an unmeasured pass of both modes' : ''}): base-URL ${cpu(s.base)}, proxy ${cpu(s.proxy)}.`,
    '',
    'twilio-node in proxy mode uses https-proxy-agent without keep-alive: every create opens a CONNECT tunnel and a full TLS handshake (it never resumes a session), which is most of its latency and of the difference in server CPU. Warm, `perf` splits the difference (bench/PROFILING.md, row 29): about a quarter Node opening and closing a socket, a TLS socket and an HTTP connection, a fifth the runtime under them, a fifth OpenSSL, a fifth the kernel’s loopback TCP. On this Node (OpenSSL 3.0) the server side of one TLS 1.3 handshake is ~2.5 M instructions (callgrind): X25519 key generation and agreement ~1 M, the key schedule ~0.4 M, the ECDSA P-256 signature ~0.3 M, the rest parsing and framing; session tickets (~0.2 M) are no longer minted, since these clients never use them. P-256 key shares cost more (a client offering X25519 first would also need a HelloRetryRequest), and TLS 1.2 saves little. That floor is the client’s choice: undici’s ProxyAgent and Python’s requests keep their tunnel (the proxy section), and a base-URL client pays none of it.',
  ].join('\n');
}

function replaySection(r) {
  const parts = [];
  if (r.autocannon) {
    parts.push(
      table(['Cassette', 'file', 'first start ms (peak RSS)', 'second start ms', 'served from', 'RSS after load (private / file-backed)', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'requests', 'errors'],
        r.autocannon.map((x) => [
          `${n0(x.size)} interactions`,
          x.bytes ? mb(x.bytes) : '–',
          Number.isFinite(x.firstStartMs) ? `${n0(x.firstStartMs)} (${mb(x.firstStartPeakRss)})` : '–',
          n0(x.startMs),
          x.index ?? '–',
          x.rssSplit ? `${mb(x.rss)} (${mb(x.rssSplit.anon)} / ${mb(x.rssSplit.file)})` : mb(x.rss),
          n0(x.run.rps), ms(x.run.p50), ms(x.run.p99), n0(x.run.cpuUsPerRequest), n0(x.run.requests), n0(x.run.errors),
        ])),
      '',
      'mirra replaying a cassette (`--strict`, so a miss would count as an error; in-memory state), loaded by autocannon over plain HTTP, the cassettes in turn slice by slice: every request is a filtered list the cassette answers, cycling over 32 entries spread through the whole cassette (after its first use an entry is served as a repeat, the last recorded answer again). Each cassette is written as one file (a million interactions: ~0.9 GB of JSON, streamed out) and a mirror started on it twice with the same data dir: the first start parses a small file, or indexes a file of 8 MiB or more into LMDB under the data dir (`cassette-index/`); the second start reuses that index, and it is the second mirror that is loaded. A cassette served from its index holds only small caches in memory; its RSS counts the index pages the lookups touched (file-backed). The file-backed figure also holds ~43 MB of Node’s own code.',
    );
  }
  if (r.lookup) {
    parts.push(
      '',
      'From the replay engineer’s `bench/replay-lookup.js` (pure matcher, then whole requests in one process):',
      '',
      table(['Cassette', 'index build ms', 'lookup hit µs', 'miss µs', 'strict miss explained µs', 'replay req/s (inject)', 'replay req/s (HTTP)', 'emulator req/s (HTTP)', 'requests'],
        r.lookup.map((x) => [`${n0(x.size)} interactions`, ms(x.buildMs), ms(x.hitUs), ms(x.missUs), n0(x.strictUs), n0(x.injectRps), n0(x.httpRps), n0(x.emulatorRps), n0(x.requests)])),
      '',
      'Its HTTP figures come from 32 fetch() clients in the same process as the mirror, over as many requests as the cassette has (at most the --requests setting), so they are lower than and not comparable with the autocannon figures above; its lookup columns are the matcher alone.',
    );
  }
  if (r.lookupError) parts.push('', `bench/replay-lookup.js: ${r.lookupError}`);
  return parts.join('\n');
}

function memorySection(m) {
  const row = (label, x) => [label, n0(x.creates), mb(x.before.rss), mb(x.before.anon), mb(x.before.file), `${mb(x.before.heapUsed)} / ${mb(x.before.heapTotal)}`, mb(x.peakRss), mb(x.after.rss), mb(x.after.heapUsed), n0(x.cpuUsPerCreate)];
  const rest = (label, r) => [label, '0', mb(r.rss), mb(r.anon), mb(r.file), `${mb(r.heapUsed)} / ${mb(r.heapTotal)}`, '–', '–', '–', '–'];
  const rows = [rest('LMDB (default), at rest', m.lmdb.rest), ...m.lmdb.steps.map((x) => row('LMDB (default)', x))];
  for (const [key, label] of [['frozen', 'LMDB, frozen clock (every timeline waits)'], ['semi4', 'LMDB, node --max-semi-space-size=4'], ['uncapped', "LMDB, V8's default young generation (not capped)"], ['ephemeral', '--ephemeral (state in the heap)']]) {
    if (m[key]) rows.push(...m[key].steps.map((x) => row(label, x)));
  }
  return [
    table(['Mirror', 'creates', 'RSS', 'private', 'file-backed', 'V8 heap used / committed', 'RSS peak', 'RSS after a full GC', 'heap used after a full GC', 'server CPU µs/create'], rows),
    '',
    `${n0(m.creates)} messages.create per batch over 32 connections as fast as answers come back, in one session, with the default timeline (each message delivered, and its inbox item filled, within 2 s); read 3 s after the batch, then again after a forced full GC (the mirror runs with --expose-gc). Private memory is the heap and malloc; file-backed pages are Node’s code (~43 MB) and the pages of LMDB’s file that were read back (each message is read again at its last step), which the kernel can drop at will. The heap in use after a GC is what mirra holds; the rest of the private figure is V8's young generation (capped by mirra's server processes at 2 × 4 MB; V8 alone grows it to 2 × 16 MB and keeps it) and old-space room committed after a burst of allocation.`,
  ].join('\n');
}

function recordSection(r) {
  return [
    table(['Path', 'p50 ms', 'p99 ms'], [
      ['SDK → upstream (direct)', ms(r.direct.p50), ms(r.direct.p99)],
      ['SDK → mirra record → upstream', ms(r.recorded.p50), ms(r.recorded.p99)],
      ['added by recording (median of paired differences)', ms(r.addedP50), '–'],
    ]),
    '',
    `${n0(r.ops)} sequential creates each way, alternating. The upstream is a mirra emulator (--ephemeral, frozen clock) standing in for Twilio; the recorder commits each interaction to LMDB before the SDK gets the last byte. Recorder RSS afterwards: ${mb(r.recorderRss)}.`,
  ].join('\n');
}

function startupSection(s) {
  return [
    table(['Start', 'median ms', 'all runs ms'], [
      ['`mirra up`, warm (existing data dir)', n0(s.warmMs), s.warmAll.map(n0).join(', ')],
      ['`mirra up`, cold (new data dir: CA key, instance key, LMDB)', n0(s.coldMs), s.coldAll.map(n0).join(', ')],
      ['`node -e ""` (for scale)', n0(s.nodeMs), '–'],
    ]),
    '',
    `Measured from spawn to the first 200 of /_mirra/health. RSS of \`mirra up\` at rest, 1 s after healthy: ${mb(s.restRss)}.`,
  ].join('\n');
}

/** RESULTS.md text. */
function renderResults({ machine, startedAt, config, results, timings }) {
  const res = { ...results, config };
  const total = Object.values(timings).reduce((a, b) => a + b, 0);
  const sections = [
    ['Emulation over plain HTTP', 'emulate', emulateSection],
    ['Proxy mode (CONNECT + TLS)', 'proxy', proxySection],
    ['The twilio SDK', 'sdk', sdkSection],
    ['Replay from cassettes', 'replay', replaySection],
    ['Memory after many creates', 'memory', memorySection],
    ['Record overhead', 'record', recordSection],
    ['Start-up and memory', 'startup', startupSection],
  ];
  const out = [
    '# mirra benchmark results',
    '',
    '<!-- Generated by `npm run bench` (bench/run.js); the profiling and hardening sections come from bench/PROFILING.md and bench/HARDENING.md. -->',
    '',
    `- **Date:** ${startedAt.toISOString()}`,
    `- **Machine:** ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}`,
    `- **Node:** ${machine.node}`,
    `- **Settings:** ${config.seconds} s per load run after ${config.warmupSeconds} s warm-up, ${config.connections} connections; SDK ${config.sdkOps} sequential / ${config.sdkOps * 2} concurrent (${config.sdkConcurrency} in flight); record ${config.recordOps} pairs; ${config.startupRuns} start-ups; replay sizes ${config.replaySizes.map(n0).join(', ')}; memory ${n0(config.memoryCreates ?? NaN)} creates per batch`,
    `- **Bench time:** ${n0(total)} s`,
    '',
    'Load generators and servers run in separate processes (one core each on a 2-core machine). Mirrors run with the default flowing clock and the default message timeline, so every create also runs its timeline (sending, sent, delivered within 2 s): a scheduler visit at its last step stores the transitions and fills the recipient’s inbox (fetches in between derive the status from the clock) — the realistic work of a test run, not only the request. Each create slice of a flowing-clock mirror starts after 2.5 s of the same load, unmeasured, so it runs the timelines of the creates before it as under continuous load (slices shorter than a timeline once missed most of that work).',
    '',
    '## Targets',
    '',
    targets(res),
  ];
  for (const [title, key, render] of sections) {
    if (!(key in results)) continue;
    out.push('', `## ${title}`, '', failed(results[key]) ?? render(results[key], config));
  }
  // Hand-kept logs embedded as they are: the profiling fixes and the hardening figures.
  for (const name of ['PROFILING.md', 'HARDENING.md']) {
    const log = join(__dirname, '..', name);
    if (existsSync(log)) out.push('', readFileSync(log, 'utf8').trim());
  }
  return out.join('\n') + '\n';
}

module.exports = { renderResults };
