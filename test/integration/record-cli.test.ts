/**
 * `mirra record` as a process: `kill -9` in the middle of a recording loses no answered interaction
 * (each is committed to LMDB before its answer completes), `mirra cassettes recover` writes the
 * cassette from what survived, and `mirra record -- CMD` runs an app (the real SDK through
 * HTTP_PROXY) and exits with its status, showing a live count on stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import twilio from 'twilio';
import { loadCassette } from '../../src/cassette/codec';
import { RecordingStore } from '../../src/record/recording-store';
import { LmdbStore } from '../../src/store/lmdb-store';
import { REPO_ROOT } from '../helpers/child';
import { pointAt, startTestMirror, tempDir } from '../helpers/mirror';
import { listenLocal } from '../helpers/listen';

const AC = 'AC' + '1'.repeat(32);
const TOKEN = '2'.repeat(32);

/** Runs the CLI from its TypeScript sources (swc on the fly), so the test needs no build. */
const CLI = `
  const fs = require('fs'); const swc = require('@swc/core');
  require.extensions['.ts'] = (m, f) => m._compile(swc.transformSync(fs.readFileSync(f, 'utf8'),
    { filename: f, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }).code, f);
  require('./src/cli/main.ts').main(process.argv.slice(1));
`;

interface Cli {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function cli(args: string[], env: Record<string, string> = {}): Cli {
  const base = { ...process.env };
  for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'NODE_EXTRA_CA_CERTS', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']) delete base[k];
  const child = spawn(process.execPath, ['-e', CLI, ...args], { cwd: REPO_ROOT, env: { ...base, ...env } });
  const run: Cli = { child, stdout: '', stderr: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout!.on('data', (d) => (run.stdout += d));
  child.stderr!.on('data', (d) => (run.stderr += d));
  return run;
}

async function waitFor<T>(what: string, fn: () => T | undefined, timeoutMs = 15000): Promise<T> {
  for (let waited = 0; waited < timeoutMs; waited += 25) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A stand-in upstream: creates answer 201 at once; `/hang` never answers. */
function startStub(): Promise<{ url: string; hanging: number; close(): Promise<void> }> {
  let n = 0;
  const state = { url: '', hanging: 0, close: async () => undefined as void };
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.url?.includes('hang')) {
      state.hanging++;
      return;
    }
    const sid = 'SM' + String(++n).padStart(32, '0');
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sid, account_sid: AC, status: 'queued' }));
  });
  return listenLocal(server).then(({ url, close }) => Object.assign(state, { url, close }));
}

describe('mirra record as a process', () => {
  it('loses no answered interaction to kill -9; `cassettes recover` writes them', async () => {
    const stub = await startStub();
    const dir = tempDir('mirra-kill-');
    const dirs = ['--data-dir', join(dir, 'data'), '--cassettes-dir', join(dir, 'cassettes')];
    const rec = cli(['record', '--cassette', 'crash', '--upstream', stub.url, '--port', '0', ...dirs]);
    try {
      const url = await waitFor('the recorder', () => /recording at (http:\/\/\S+)/.exec(rec.stdout)?.[1]);
      const env = cli(['env', '--data-dir', join(dir, 'data')]);
      expect(await env.exited).toBe(0);
      expect(env.stdout).toContain(`export HTTP_PROXY='${url}'`);
      expect(env.stdout).not.toContain('TWILIO_AUTH_TOKEN');
      const client = pointAt(twilio(AC, TOKEN), url);
      for (let i = 0; i < 5; i++) await client.messages.create({ to: `+1555123000${i}`, from: '+15005550006', body: `n${i}` });
      const inFlight = client.messages('SM' + 'a'.repeat(28) + 'hang').fetch().catch((e: Error) => e);
      await waitFor('the request in flight', () => (stub.hanging > 0 ? true : undefined));
      rec.child.kill('SIGKILL');
      expect(await rec.exited).toBeNull();
      await inFlight;
    } finally {
      rec.child.kill('SIGKILL');
      await stub.close();
    }

    const store = new LmdbStore({ dir: join(dir, 'data') });
    const recordings = new RecordingStore(store);
    const kept = recordings.interactions('crash');
    expect(recordings.meta('crash')?.state).toBe('recording');
    await store.close();
    expect(kept.map((i) => [i.seq, i.response?.status, i.request.form.find(([k]) => k === 'Body')?.[1]])).toEqual([
      [1, 201, 'n0'],
      [2, 201, 'n1'],
      [3, 201, 'n2'],
      [4, 201, 'n3'],
      [5, 201, 'n4'],
    ]);

    const again = cli(['record', '--cassette', 'crash', '--port', '0', ...dirs]);
    expect(await again.exited).toBe(2);
    expect(again.stderr).toContain('an unfinished recording of crash (5 interactions)');

    const list = cli(['cassettes', 'list', ...dirs]);
    expect(await list.exited).toBe(0);
    expect(list.stdout).toContain('crash: unfinished recording');

    const recover = cli(['cassettes', 'recover', 'crash', ...dirs]);
    expect(await recover.exited).toBe(0);
    expect(recover.stdout).toContain('(5 interactions, 0 callbacks)');
    const c = loadCassette(join(dir, 'cassettes'), 'crash');
    expect(c.interactions.map((i) => i.response?.body)).toEqual([1, 2, 3, 4, 5].map((n) => ({ sid: `{SM#${n}}`, account_sid: '{AccountSid}', status: 'queued' })));

    const show = cli(['cassettes', 'show', 'crash', ...dirs]);
    expect(await show.exited).toBe(0);
    expect(show.stdout).toContain('crash: 5 interactions, 0 callbacks (callbacks synthesised)');
    expect(show.stdout).toContain('#1 +0s POST api /2010-04-01/Accounts/{AccountSid}/Messages.json → 201');
  }, 30_000);

  it('`record -- CMD` runs the app through the recorder, shows a live count, writes the cassette and exits with its status', async () => {
    const up = await startTestMirror({ seed: { name: 'cli', numbers: [{ phoneNumber: '+15555550123' }] } });
    const dir = tempDir('mirra-cmd-');
    const app = `require('twilio')().messages.create({ to: '+15551230000', from: '+15555550123', body: 'hi' }).then((m) => { console.log('sent', m.status); process.exit(3); });`;
    const rec = cli(
      ['record', '--cassette', 'cmd', '--upstream', up.url, '--data-dir', join(dir, 'data'), '--cassettes-dir', join(dir, 'cassettes'), '--', process.execPath, '-e', app],
      { TWILIO_ACCOUNT_SID: up.accountSid, TWILIO_AUTH_TOKEN: up.authToken },
    );
    try {
      expect(await rec.exited).toBe(3);
    } finally {
      await up.close();
    }
    expect(rec.stdout).toContain('sent queued');
    expect(rec.stderr).toContain('callbacks are NOT captured (no --public-url); on replay the emulator will synthesise them');
    expect(rec.stderr).toContain('mirra record cmd: 1 interaction, 0 callbacks\n');
    expect(rec.stderr).toMatch(/wrote .*cmd\.cassette\.json \(1 interactions, 0 callbacks\)/);
    expect(existsSync(join(dir, 'data', 'mirror.json'))).toBe(false);
    const c = loadCassette(join(dir, 'cassettes'), 'cmd');
    expect(c.interactions[0].response).toMatchObject({ status: 201, body: { status: 'queued', to: '+15551230000', account_sid: '{AccountSid}' } });
  }, 30_000);
});
