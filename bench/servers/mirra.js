/**
 * A mirror under test: `startMirror` with the options the bench passes (LMDB or --ephemeral, proxy
 * mode or not, a cassette), in its own process, set up as `mirra up` sets up its own (the young
 * generation capped). The clock flows (the default): every created
 * message runs the default timeline (sending, sent, delivered within 2 s), so the figures include
 * the scheduled work a real run does, not only the request.
 */
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { DIST } = require('../lib/dist');

/**
 * What bin/mirra.js does first, before loading anything (loading mirra alone grows the young
 * generation past the cap): caps V8's young generation. A build from before the cap has none.
 */
function capYoungGeneration() {
  try {
    return require(`${DIST}/cli/young-generation`).capYoungGeneration();
  } catch (err) {
    if (err?.code !== 'MODULE_NOT_FOUND') throw err;
  }
}
capYoungGeneration();

const { startMirror } = require(`${DIST}/index`);
const { serverMain } = require('../lib/child');
const { SEED } = require('../lib/twilio-shapes');

serverMain(async (opts) => {
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'mirra-bench-'));
  const t0 = performance.now();
  // The CA in the bench's own dir, not the user's (~/.local/share/mirra/ca).
  const started = await startMirror({ host: '127.0.0.1', port: 0, seed: SEED, caDir: join(dir, 'ca'), ...opts, dataDir: dir });
  const startMs = performance.now() - t0;
  return {
    ready: { url: started.url, accountSid: started.accountSid, authToken: started.authToken, caPath: started.env.NODE_EXTRA_CA_CERTS ?? null, dataDir: dir, startMs },
    async stop() {
      await started.close();
      if (!opts.dataDir && !opts.keepDataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
});
