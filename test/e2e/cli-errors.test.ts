/**
 * Issue #15, items 8 and 9: what the CLI says when a user gets something wrong. Every failure is
 * one `mirra: …` line that names the fix, with exit status 2 — never a raw system error, a JSON
 * body, or a yargs message that names the wrong thing. And the flags a user expects everywhere
 * work everywhere: `--cassettes-dir` (or MIRRA_CASSETTES_DIR) on replay, `--port` on env.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCommand, type ChildResult } from '../helpers/child';
import { tempDir } from '../helpers/mirror';
import { cassetteOf, recordedMessage } from '../helpers/replay-cassette';

const BIN = join(REPO_ROOT, 'bin', 'mirra.js');

/** Expects `res` to be one `mirra:` line on stderr that names a fix, exit 2; returns that line. */
function oneLineFailure(res: ChildResult): string {
  const lines = res.stderr.split('\n').filter(Boolean);
  expect({ code: res.code, lines: lines.length, stdout: res.stdout }).toEqual({ code: 2, lines: 1, stdout: '' });
  expect(lines[0]).toMatch(/^mirra: .*Fix: /);
  return lines[0];
}

/** Starts `mirra up` with `args` and resolves once it is up (its URL and output so far). */
function up(args: string[], cwd: string): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'up', ...args], { cwd, env: { ...process.env, TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '', MIRRA_TOKEN: '' } });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`mirra up did not start: ${out}`)), 15_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /mirra is up at (\S+)/.exec(out);
      if (m && /MIRRA_URL=/.test(out)) {
        clearTimeout(timer);
        resolve({ child, url: m[1], out: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('CLI failures are one line with their fix (issue #15)', () => {
  let dir: string;
  let afile: string;
  const mirra = (args: string[], env: Record<string, string | undefined> = {}) => runCommand(process.execPath, [BIN, ...args], env, 30_000, dir);
  beforeAll(() => {
    dir = tempDir('mirra-cli-errors-');
    afile = join(dir, 'afile');
    writeFileSync(afile, 'not a directory');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--data-dir naming a file', async () => {
    for (const extra of [[], ['--ephemeral']]) {
      const line = oneLineFailure(await mirra(['up', '--port', '0', '--data-dir', afile, ...extra]));
      expect(line).toContain(`--data-dir ${afile} is a file, not a directory`);
      expect(line).not.toMatch(/EEXIST|ENOTDIR/);
    }
    oneLineFailure(await mirra(['replay', '--data-dir', afile, '--', 'true']));
  });

  it('--port that is not a port number', async () => {
    for (const port of ['abc', '70000', '-1']) {
      const line = oneLineFailure(await mirra(['up', '--port', port, '--ephemeral']));
      expect(line).toContain(`--port ${port} is not a port number`);
      expect(line).not.toContain('NaN');
    }
  });

  it('mirra env against a mirror on 0.0.0.0 works locally, and says how to pass the token when it cannot know it', async () => {
    const dataDir = join(dir, 'wide');
    const wide = await up(['--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir], dir);
    try {
      // The banner's own advice, as a user follows it in another shell of the same directory.
      expect(wide.out()).toMatch(/eval "\$\(.*mirra.* env.*\)"/);
      const env = await mirra(['env', '--data-dir', dataDir, '--format', 'json']);
      expect({ code: env.code, stderr: env.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(env.stdout)).toMatchObject({ TWILIO_ACCOUNT_SID: expect.stringMatching(/^AC/), MIRRA_TOKEN: expect.any(String) });

      const port = new URL(wide.url).port;
      const other = await mirra(['env', '--url', `http://127.0.0.1:${port}`, '--data-dir', join(dir, 'elsewhere')]);
      const line = oneLineFailure(other);
      expect(line).toContain('--token');
      expect(line).not.toContain('{');
      // --port finds the same mirror as `up --port` started it.
      const byPort = await mirra(['env', '--port', port, '--data-dir', dataDir, '--format', 'json']);
      expect({ code: byPort.code, stderr: byPort.stderr }).toEqual({ code: 0, stderr: '' });

      const noSession = oneLineFailure(await mirra(['env', '--data-dir', dataDir, '--session', 'nope']));
      expect(noSession).toContain('nope');
      expect(noSession).not.toContain('{');
    } finally {
      await stop(wide.child);
    }
  }, 60_000);

  it('mirra env with no mirror running', async () => {
    const line = oneLineFailure(await mirra(['env', '--port', '1', '--data-dir', join(dir, 'none')]));
    expect(line).toContain('no mirror answers at http://127.0.0.1:1');
  });
});

describe('CLI edges (issue #15)', () => {
  let dir: string;
  const mirra = (args: string[], env: Record<string, string | undefined> = {}) => runCommand(process.execPath, [BIN, ...args], env, 30_000, dir);
  beforeAll(() => {
    dir = tempDir('mirra-cli-edges-');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names an unknown command, at the root and under `cassettes`, with the commands there are', async () => {
    const sub = oneLineFailure(await mirra(['cassettes', 'frob']));
    expect(sub).toContain('unknown command `mirra cassettes frob`');
    expect(sub).toMatch(/list, show, diff, recover, lint/);
    expect(sub).not.toContain('non-option');
    const root = oneLineFailure(await mirra(['frob']));
    expect(root).toContain('unknown command `mirra frob`');
    expect(root).toMatch(/up, replay, record, cassettes, env, seeds, trust/);
    const none = oneLineFailure(await mirra(['cassettes']));
    expect(none).toContain('`mirra cassettes` needs a command');
  });

  it('lists an unknown flag once, as the user typed it', async () => {
    const line = oneLineFailure(await mirra(['up', '--bogus-flag', '--ephemeral']));
    expect(line).toContain('unknown option --bogus-flag');
    expect(line).not.toContain('bogusFlag');
    expect(line).toContain('`mirra up --help`');
  });

  it('replay takes --cassettes-dir, or MIRRA_CASSETTES_DIR, as record does', async () => {
    const cassettes = join(dir, 'tapes');
    const cassette = cassetteOf('send', [{ method: 'POST', path: '/2010-04-01/Accounts/{AccountSid}/Messages.json', status: 201, form: { To: '+15551230000', From: '+15555550123', Body: 'hello' }, body: recordedMessage('{SM#1}') }]);
    mkdirSync(cassettes, { recursive: true });
    writeFileSync(join(cassettes, 'send.cassette.json'), JSON.stringify(cassette, null, 2));
    const cmd = ['--', process.execPath, '-e', 'process.exit(0)'];
    const flag = await mirra(['replay', '--cassettes-dir', cassettes, '--cassette', 'send', '--strict', ...cmd]);
    expect({ code: flag.code, stderr: flag.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('mirra replay send: 0 served from the cassette (of 1)') });
    const env = await mirra(['replay', '--cassette', 'send', ...cmd], { MIRRA_CASSETTES_DIR: cassettes });
    expect({ code: env.code, stderr: env.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('mirra replay send: 0 served') });
    // The flag wins over the environment.
    const both = await mirra(['replay', '--cassettes-dir', join(dir, 'nowhere'), '--cassette', 'send', ...cmd], { MIRRA_CASSETTES_DIR: cassettes });
    expect(oneLineFailure(both)).toContain(join(dir, 'nowhere', 'send.cassette.json'));
  }, 60_000);
});
