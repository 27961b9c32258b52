/**
 * Record overhead: the real SDK creating messages on a local upstream (a mirra emulator standing in
 * for Twilio) directly, and through `mirra record` forwarding to it — alternately, one create each,
 * so both paths see the same machine. The added cost is the median of the paired differences.
 */
'use strict';
const { startServer } = require('../lib/child');
const { drive } = require('./sdk');
const { FROM } = require('../lib/twilio-shapes');

async function run(cfg, log) {
  // A frozen clock: the upstream runs no timelines in the background, which would add noise to both paths.
  const upstream = await startServer('mirra', { proxy: false, ephemeral: true, seed: { name: 'bench-upstream', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } } });
  let recorder;
  try {
    recorder = await startServer('recorder', { upstream: upstream.url });
    log(`  ${cfg.recordOps} creates each way, alternating: SDK → upstream, SDK → mirra record → upstream`);
    const creds = { TWILIO_ACCOUNT_SID: upstream.accountSid, TWILIO_AUTH_TOKEN: upstream.authToken };
    const res = await drive({ paired: { ops: cfg.recordOps, baseUrls: { direct: upstream.url, recorded: recorder.url } } }, creds, 120_000);
    return { ...res.paired, recorderRss: recorder.rss() };
  } finally {
    await recorder?.stop();
    await upstream.stop();
  }
}

module.exports = { run };
