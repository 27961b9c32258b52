/**
 * The real twilio SDK (bench/drivers/sdk.js, its own process) creating messages on mirra: one at a
 * time and with several in flight, in base-URL mode and in proxy mode (HTTP_PROXY +
 * NODE_EXTRA_CA_CERTS, where twilio-node opens a CONNECT tunnel and a TLS session per request).
 */
'use strict';
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { startServer } = require('../lib/child');

const DRIVER = join(__dirname, '..', 'drivers', 'sdk.js');

/** Runs the SDK driver with `spec` and `env`; resolves with its JSON, bounded by `timeoutMs`. */
function drive(spec, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy', 'NODE_EXTRA_CA_CERTS']) delete base[k];
    const child = spawn(process.execPath, [DRIVER], { env: { ...base, ...env, BENCH_SDK: JSON.stringify(spec) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`SDK driver timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`SDK driver exited ${code}`));
      try {
        resolve(JSON.parse(out));
      } catch (err) {
        reject(new Error(`SDK driver output is not JSON: ${out.slice(0, 200)}`));
      }
    });
  });
}

async function run(cfg, log) {
  const server = await startServer('mirra', { proxy: true });
  try {
    const runs = [
      { name: 'sequential', mode: 'sequential', ops: cfg.sdkOps },
      { name: 'concurrent', mode: 'concurrent', ops: cfg.sdkOps * 2, concurrency: cfg.sdkConcurrency },
    ];
    const creds = { TWILIO_ACCOUNT_SID: server.accountSid, TWILIO_AUTH_TOKEN: server.authToken };
    // Every call the driver makes, its 50 warm-up calls per run included: the server's CPU per call.
    const calls = runs.reduce((n, r) => n + r.ops + Math.min(50, r.ops), 0);
    const measured = async (spec, env, timeoutMs) => {
      const before = await server.cpu();
      const result = await drive(spec, env, timeoutMs);
      return { ...result, serverCpuUsPerCall: ((await server.cpu()) - before) / calls };
    };
    const baseSpec = { runs, baseUrl: server.url };
    const proxySpec = { runs };
    const proxyEnv = { ...creds, HTTP_PROXY: server.url, HTTPS_PROXY: server.url, NODE_EXTRA_CA_CERTS: server.caPath };
    // Both modes once, unmeasured, before either is measured: a first pass costs the server 1.5-2x
    // a later one (V8 compiling the request path, and for proxy mode the TLS and CONNECT paths), and
    // whichever mode ran first would pay for both.
    log(`  warm-up: both modes once, unmeasured`);
    await drive(baseSpec, creds, 120_000);
    await drive(proxySpec, proxyEnv, 180_000);
    log(`  base-URL mode: ${cfg.sdkOps} sequential, ${cfg.sdkOps * 2} at concurrency ${cfg.sdkConcurrency}`);
    const base = await measured(baseSpec, creds, 120_000);
    log(`  proxy mode (HTTP_PROXY + NODE_EXTRA_CA_CERTS): the same`);
    const proxy = await measured(proxySpec, proxyEnv, 180_000);
    return { base, proxy, calls, warmed: true };
  } finally {
    await server.stop();
  }
}

module.exports = { run, drive };
