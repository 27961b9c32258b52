/**
 * Proxy mode: the client speaks to `https://api.twilio.com` through mirra as HTTP_PROXY (CONNECT,
 * then TLS terminated by mirra with its own CA), over keep-alive tunnels. The same undici client
 * also loads mirra over plain HTTP, so the two figures differ only by the transport.
 */
'use strict';
const { readFileSync } = require('node:fs');
const { Agent, ProxyAgent } = require('undici');
const { startServer } = require('../lib/child');
const { interleave } = require('../lib/load');
const { basic, CREATE_FORM } = require('../lib/twilio-shapes');
const { createOne } = require('./emulate');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function run(cfg, log) {
  const server = await startServer('mirra', { proxy: true });
  const plain = new Agent({ connections: cfg.connections });
  const proxied = new ProxyAgent({ uri: server.url, requestTls: { ca: readFileSync(server.caPath) }, connections: cfg.connections });
  try {
    const auth = basic(server.accountSid, server.authToken);
    const sid = await createOne(server.url, { sid: server.accountSid, header: auth });
    const loop = (dispatcher, make) => ({ dispatcher, make, concurrency: cfg.connections, server });
    const paths = {
      create: `/2010-04-01/Accounts/${server.accountSid}/Messages.json`,
      fetch: `/2010-04-01/Accounts/${server.accountSid}/Messages/${sid}.json`,
    };
    const create = (origin) => () => ({ url: origin + paths.create, method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: CREATE_FORM });
    const fetchIt = (origin) => () => ({ url: origin + paths.fetch, method: 'GET', headers: { authorization: auth } });
    // Half the usual length: this compares two transports of the same server, not servers.
    const opts = { seconds: cfg.seconds / 2, slices: cfg.slices, warmup: cfg.warmupSeconds };
    log(`  undici, plain HTTP and through the proxy (CONNECT + TLS), in turn: fetch, then create — ${cfg.seconds / 2} s each`);
    const fetched = await interleave([
      { name: 'plain', loop: loop(plain, fetchIt(server.url)) },
      { name: 'proxy', loop: loop(proxied, fetchIt('https://api.twilio.com')) },
    ], opts);
    await sleep(2500);
    const created = await interleave([
      { name: 'plain', pauseMs: 2500, loop: loop(plain, create(server.url)) },
      { name: 'proxy', pauseMs: 2500, loop: loop(proxied, create('https://api.twilio.com')) },
    ], opts);
    const out = { plainFetch: fetched.plain, proxyFetch: fetched.proxy, plainCreate: created.plain, proxyCreate: created.proxy };
    return out;
  } finally {
    await Promise.allSettled([plain.close(), proxied.close()]);
    await server.stop();
  }
}

module.exports = { run };
