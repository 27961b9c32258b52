/**
 * Issue #13 item 2: `mirra cassettes import` of other tools' recordings of Twilio traffic. Each
 * sample is made by the real tool in a child process (Polly.js with the node-http adapter and the
 * fs persister, nock's recorder with `output_objects`, nock back, talkback as a recording proxy)
 * against a local stand-in for Twilio, or written in the tool's documented YAML (VCR, vcrpy). For
 * each: the built CLI imports it; no secret of the source reaches the file (the auth token, its
 * Basic header, an API key's secret) and `cassettes lint` agrees; what was dropped and skipped is
 * reported; importing again gives the same bytes; and the cassette replays — a strict mirror
 * answers the same requests with the recorded answers. And an import is the very cassette
 * `mirra record` writes of the same scenario.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCassetteFile } from '../../src/cassette/codec';
import { importCassette } from '../../src/cassette/import';
import { startRecorder } from '../../src/mirror/start-recorder';
import { REPO_ROOT, runCommand, runNode, type ChildResult } from '../helpers/child';
import { AC, BASIC, CLIENT, FROM, KEY_SECRET, SCENARIO, TO, TOKEN, startOtherService, startTwilioStandIn } from '../helpers/import-scenario';
import type { Listening } from '../helpers/listen';
import { startTestMirror, tempDir } from '../helpers/mirror';
import { vcrCassette, vcrpyCassette } from '../helpers/vcr-samples';

const BIN = join(REPO_ROOT, 'bin', 'mirra.js');

function mirra(args: string[], env: Record<string, string> = {}): Promise<ChildResult> {
  return runCommand(process.execPath, [BIN, ...args], env, 30_000);
}

/** Runs a tool script (CLIENT + `body`) in a child process; fails the test with its stderr. */
async function runTool(body: string, env: Record<string, string>): Promise<void> {
  const res = await runNode(`${CLIENT}\n(async () => {\n${body}\n})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });`, env, 30_000);
  if (res.code !== 0) throw new Error(`tool script failed (${res.code}): ${res.stderr}`);
}

interface Sample {
  files: string[];
  upstream?: string;
  /** The environment of the import (the auth token, when the tool kept no credentials). */
  env?: Record<string, string>;
}

/** How each format's sample is made, and what its import must report. */
interface Case {
  format: 'polly' | 'nock' | 'vcr' | 'talkback';
  label: string;
  make(dir: string, twilio: Listening, other: Listening): Promise<Sample>;
  /** Expected report counts: Authorization headers, cookie headers, URL credentials, skipped as not Twilio. */
  expect: { auth: number; cookies: number; urlCreds: number; notTwilio: number };
}

const CASES: Case[] = [
  {
    format: 'polly',
    label: 'Polly.js HAR (node-http adapter, fs persister)',
    async make(dir, twilio, other) {
      await runTool(
        `const { Polly } = require('@pollyjs/core');
         Polly.register(require('@pollyjs/adapter-node-http'));
         Polly.register(require('@pollyjs/persister-fs'));
         const polly = new Polly('twilio', { adapters: ['node-http'], persister: 'fs', persisterOptions: { fs: { recordingsDir: process.env.OUT } }, mode: 'record' });
         const send = (method, path, form, headers = {}) => request({ host: '127.0.0.1', port: ${twilio.port}, method, path, headers: { host: 'api.twilio.com', ...headers } }, form);
         const other = (path) => request({ host: '127.0.0.1', port: ${other.port}, method: 'GET', path });
         ${SCENARIO}
         await polly.stop();`,
        { OUT: dir },
      );
      return { files: [dir] }; // the directory: the importer finds recording.har inside
    },
    expect: { auth: 3, cookies: 3, urlCreds: 0, notTwilio: 1 },
  },
  {
    format: 'nock',
    label: 'nock.recorder.rec({ output_objects: true }) saved as JSON',
    async make(dir, twilio, other) {
      const file = join(dir, 'recorded.json');
      await runTool(
        `const nock = require('nock');
         nock.recorder.rec({ output_objects: true, dont_print: true, enable_reqheaders_recording: true });
         const send = (method, path, form, headers = {}) => request({ host: 'api.twilio.com', port: ${twilio.port}, lookup, method, path, headers }, form);
         const other = (path) => request({ host: '127.0.0.1', port: ${other.port}, method: 'GET', path });
         ${SCENARIO}
         require('fs').writeFileSync(process.env.OUT, JSON.stringify(nock.recorder.play(), null, 2));`,
        { OUT: file },
      );
      return { files: [file] };
    },
    expect: { auth: 3, cookies: 3, urlCreds: 0, notTwilio: 1 },
  },
  {
    format: 'nock',
    label: 'a nock back fixture',
    async make(dir, twilio, other) {
      await runTool(
        `const nock = require('nock');
         nock.back.fixtures = process.env.OUT;
         nock.back.setMode('record');
         const { nockDone } = await nock.back('twilio.json');
         const send = (method, path, form, headers = {}) => request({ host: 'api.twilio.com', port: ${twilio.port}, lookup, method, path, headers }, form);
         const other = (path) => request({ host: '127.0.0.1', port: ${other.port}, method: 'GET', path });
         ${SCENARIO}
         nockDone();`,
        { OUT: dir },
      );
      // nock back keeps no request headers: the token is told by the environment, as in the app's shell.
      return { files: [join(dir, 'twilio.json')], env: { TWILIO_AUTH_TOKEN: TOKEN } };
    },
    // No Authorization to drop (nor a Content-Type: the form is inferred).
    expect: { auth: 0, cookies: 3, urlCreds: 0, notTwilio: 1 },
  },
  {
    format: 'talkback',
    label: 'talkback tapes (a recording proxy in front of the stand-in)',
    async make(dir, twilio) {
      await runTool(
        `const talkback = require('talkback');
         const tb = talkback({ host: 'http://127.0.0.1:${twilio.port}', port: 0, path: process.env.OUT, record: talkback.Options.RecordMode.NEW,
           silent: true, summary: false, tapeNameGenerator: (n) => 'twilio-' + String(n).padStart(3, '0') });
         const server = await tb.start();
         const port = server.address().port;
         const send = (method, path, form, headers = {}) => request({ host: '127.0.0.1', port, method, path, headers: { host: 'api.twilio.com', ...headers } }, form);
         const other = async () => undefined; // not proxied by talkback: it never sees other services
         ${SCENARIO}
         tb.close();`,
        { OUT: dir },
      );
      return { files: readdirSync(dir).sort().map((f) => join(dir, f)), upstream: twilio.url };
    },
    expect: { auth: 3, cookies: 3, urlCreds: 0, notTwilio: 0 },
  },
  {
    format: 'vcr',
    label: 'a Ruby VCR cassette',
    async make(dir) {
      const file = join(dir, 'signup.yml');
      writeFileSync(file, vcrCassette());
      return { files: [file] };
    },
    expect: { auth: 2, cookies: 3, urlCreds: 1, notTwilio: 1 },
  },
  {
    format: 'vcr',
    label: 'a vcrpy cassette',
    async make(dir) {
      const file = join(dir, 'test_signup.yaml');
      writeFileSync(file, vcrpyCassette());
      return { files: [file] };
    },
    expect: { auth: 3, cookies: 3, urlCreds: 0, notTwilio: 1 },
  },
];

describe('mirra cassettes import', () => {
  let twilio: Listening;
  let other: Listening;
  let root: string;
  beforeAll(async () => {
    twilio = await startTwilioStandIn();
    other = await startOtherService();
    root = tempDir('mirra-import-');
  });
  afterAll(async () => {
    await twilio.close();
    await other.close();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(CASES.map((c, i) => [c.label, i] as const))('%s: imported without secrets, reported, deterministic, and it replays', async (_label, index) => {
    const c = CASES[index];
    const dir = join(root, `sample-${index}`);
    mkdirSync(dir, { recursive: true });
    const sample = await c.make(dir, twilio, other);
    const cassettesDir = join(root, `cassettes-${index}`);
    const args = ['cassettes', 'import', '--from', c.format, ...sample.files, '--name', 'signup', '--cassettes-dir', cassettesDir, ...(sample.upstream ? ['--upstream', sample.upstream] : [])];

    const res = await mirra(args, sample.env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const file = join(cassettesDir, 'signup.cassette.json');
    expect(res.stdout).toContain(`wrote ${file} (3 interactions)`);
    const e = c.expect;
    expect(res.stdout).toMatch(new RegExp(`skipped: ${e.notTwilio} not Twilio`));
    expect(res.stdout).toMatch(new RegExp(`dropped: ${e.auth} Authorization headers?, ${e.cookies} cookie headers?, ${e.urlCreds} URL credentials?, 0 secret params, 1 secret field, [1-9]\\d* secret values? elsewhere`));

    // No secret of the source, in any form, and lint finds nothing.
    const text = readFileSync(file, 'utf8');
    for (const secret of [TOKEN, KEY_SECRET, BASIC.slice(6), AC]) expect(text).not.toContain(secret);
    expect(text).toContain('your token [REDACTED] leaked');
    expect((await mirra(['cassettes', 'lint', file])).code).toBe(0);

    // The same input gives the same bytes; an existing cassette is kept unless --force.
    const again = await mirra(args, sample.env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^mirra: MIRRA_ERR_CASSETTE_EXISTS: /);
    expect((await mirra([...args, '--force'], sample.env)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);

    // Recorded like a recording: aliases, the account placeholder, the callback URL's port masked.
    const cassette = readCassetteFile(file);
    expect(cassette.interactions.map((i) => `${i.request.method} ${i.request.product} ${i.request.path} → ${i.response?.status}`)).toEqual([
      'POST api /2010-04-01/Accounts/{AccountSid}/Messages.json → 201',
      'GET api /2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json → 200',
      'POST api /2010-04-01/Accounts/{AccountSid}/Keys.json → 201',
    ]);
    expect(cassette.interactions[0].request.form).toEqual([
      ['Body', 'your token [REDACTED] leaked'],
      ['From', FROM],
      ['StatusCallback', 'http://127.0.0.1:{port}/status'],
      ['To', TO],
    ]);
    expect(cassette.interactions[0].response?.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });

    // It replays: a strict mirror answers the same requests with the recorded answers.
    const tm = await startTestMirror({ proxy: false, seed: { name: 'import', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } }, cassette, strict: true });
    try {
      const base = `/2010-04-01/Accounts/${tm.accountSid}`;
      const sent = await tm.api('POST', `${base}/Messages.json`, { To: TO, From: FROM, Body: `your token ${tm.authToken} leaked`, StatusCallback: 'http://127.0.0.1:9/status' });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ status: 'queued', to: TO, from: FROM, account_sid: tm.accountSid });
      const fetched = await tm.api('GET', `${base}/Messages/${sent.body.sid}.json`);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ sid: sent.body.sid, status: 'delivered' });
      const key = await tm.api('POST', `${base}/Keys.json`, { FriendlyName: 'ci' });
      expect(key.status).toBe(201);
      expect(key.body).toMatchObject({ friendly_name: 'ci', secret: '[REDACTED]' });
      const unrecorded = await tm.api('POST', `${base}/Keys.json`, { FriendlyName: 'not recorded' });
      expect(unrecorded.status).toBe(400);
      expect(unrecorded.body.code).toBe('MIRRA_ERR_NO_RECORDING');
    } finally {
      await tm.close();
    }
  }, 60_000);

  it('gives the very cassette `mirra record` writes of the same scenario', async () => {
    const dir = join(root, 'same');
    mkdirSync(dir, { recursive: true });
    const sample = await CASES[0].make(dir, twilio, other);
    const imported = importCassette('polly', sample.files, { name: 'signup' }).cassette;

    const rec = await startRecorder({ cassette: 'signup', upstream: twilio.url, port: 0, proxy: false, dataDir: join(dir, 'data'), cassettesDir: join(dir, 'recorded') });
    try {
      const port = new URL(rec.url).port;
      await runTool(
        `const send = (method, path, form, headers = {}) => request({ host: '127.0.0.1', port: ${port}, method, path, headers }, form);
         const other = (path) => request({ host: '127.0.0.1', port: ${other.port}, method: 'GET', path });
         ${SCENARIO}`,
        {},
      );
    } finally {
      const recorded = (await rec.stop()).cassette;
      expect(imported).toEqual(recorded);
    }
  });

  it('refuses what is not of the format, and a recording with no Twilio traffic (exit 2)', async () => {
    const dir = join(root, 'bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'not.har'), '{"nothing": true}');
    const notHar = await mirra(['cassettes', 'import', '--from', 'polly', join(dir, 'not.har'), '--name', 'x', '--cassettes-dir', dir]);
    expect(notHar.code).toBe(2);
    expect(notHar.stderr).toMatch(/^mirra: MIRRA_ERR_INVALID_IMPORT: .*not a HAR file: no log.entries\. Fix: /);
    writeFileSync(join(dir, 'other.json'), JSON.stringify([{ scope: 'https://api.example.com:443', method: 'GET', path: '/x', body: '', status: 200, response: { ok: true } }]));
    const none = await mirra(['cassettes', 'import', '--from', 'nock', join(dir, 'other.json'), '--name', 'x', '--cassettes-dir', dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^mirra: MIRRA_ERR_INVALID_IMPORT: .*no Twilio traffic in 1 file: only api\.example\.com\. Fix: .*--upstream/);
    const missing = await mirra(['cassettes', 'import', '--from', 'vcr', join(dir, 'missing.yml'), '--name', 'x', '--cassettes-dir', dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('MIRRA_ERR_INVALID_IMPORT');
  });
});
