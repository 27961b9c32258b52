/**
 * A mirror under test: `startMirror` with the options the bench passes (LMDB or --ephemeral, proxy
 * mode or not, a cassette), in its own process. The clock flows (the default): every created
 * message runs the default timeline (sending, sent, delivered within 2 s), so the figures include
 * the scheduled work a real run does, not only the request.
 */
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startMirror } = require(`${require('../lib/dist').DIST}/index`);
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
