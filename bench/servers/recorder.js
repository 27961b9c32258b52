/**
 * `mirra record` under test: a recording mirror (src/mirror/start-recorder.ts) forwarding to a local upstream,
 * in base-URL mode (no TLS), writing its cassette to a temp dir.
 */
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startRecorder } = require(`${require('../lib/dist').DIST}/mirror/start-recorder`);
const { serverMain } = require('../lib/child');

serverMain(async (opts) => {
  const dir = mkdtempSync(join(tmpdir(), 'mirra-bench-rec-'));
  const rec = await startRecorder({
    cassette: 'bench-record',
    upstream: opts.upstream,
    host: '127.0.0.1',
    port: 0,
    proxy: false,
    overwrite: true,
    dataDir: join(dir, 'data'),
    cassettesDir: join(dir, 'cassettes'),
  });
  return {
    ready: { url: rec.url },
    async stop() {
      await rec.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
