/**
 * The `mirra` command as a user runs it: up (prints the env, answers health, stops cleanly on
 * SIGTERM), a restart on the same data dir keeps the messages, replay -- CMD exits with CMD's status,
 * env and seeds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { tempDir } from '../helpers/mirror';

const BIN = join(REPO_ROOT, 'bin', 'mirra.js');

/** Starts `mirra up` and resolves with its URL once it prints the ready line. */
function up(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'up', '--port', '0', ...args], { cwd: REPO_ROOT, env: { ...process.env, TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '', ...env } });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`mirra up did not start: ${out}`)), 15000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /mirra is up at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], out: () => out });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

const auth = (sid: string, token: string) => ({ authorization: 'Basic ' + Buffer.from(`${sid}:${token}`).toString('base64') });

describe('mirra CLI', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir('mirra-cli-');
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('up prints the env, serves health, and a restart on the same data dir keeps messages', async () => {
    const dataDir = dir();
    const sid = 'AC' + 'c'.repeat(32);
    const token = 'd'.repeat(32);
    const first = await up(['--data-dir', dataDir, '--seed', 'twilio:verified-numbers', '--account-sid', sid, '--auth-token', token]);
    expect(first.out()).toContain(`export TWILIO_ACCOUNT_SID='${sid}'`);
    expect(first.out()).toContain('export HTTP_PROXY=');
    expect(first.out()).toContain('export NODE_EXTRA_CA_CERTS=');
    expect((await fetch(`${first.url}/_mirra/health`)).status).toBe(200);
    const created = await fetch(`${first.url}/2010-04-01/Accounts/${sid}/Messages.json`, {
      method: 'POST',
      headers: { ...auth(sid, token), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'To=%2B15551230000&From=%2B15555550123&Body=persist%20me',
    });
    expect(created.status).toBe(201);
    const msg = (await created.json()) as { sid: string };
    const env = await runCommand(process.execPath, [BIN, 'env', '--data-dir', dataDir, '--format', 'json'], {});
    expect(JSON.parse(env.stdout)).toMatchObject({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, MIRRA_URL: first.url });
    expect(await stop(first.child)).toBe(0);

    const second = await up(['--data-dir', dataDir, '--account-sid', sid, '--auth-token', token]);
    const fetched = await fetch(`${second.url}/2010-04-01/Accounts/${sid}/Messages/${msg.sid}.json`, { headers: auth(sid, token) });
    expect(fetched.status).toBe(200);
    expect(((await fetched.json()) as { body: string }).body).toBe('persist me');
    expect(await stop(second.child)).toBe(0);
  }, 30000);

  it('replay -- CMD runs the command against a fresh mirror and exits with its status', async () => {
    const script = `const r = await fetch(process.env.MIRRA_URL + '/_mirra/health'); process.exit(r.status === 200 && process.env.TWILIO_ACCOUNT_SID.startsWith('AC') ? 7 : 1);`;
    const res = await runCommand(process.execPath, [BIN, 'replay', '--ephemeral', '--data-dir', dir(), '--', process.execPath, '--input-type=module', '-e', script], {}, 30000);
    expect(res.code).toBe(7);
    const ok = await runCommand(process.execPath, [BIN, 'replay', '--ephemeral', '--data-dir', dir(), '--', process.execPath, '-e', 'process.exit(0)'], {}, 30000);
    expect(ok.code).toBe(0);
  }, 40000);

  it('seeds lists the built-in seeds; unknown seeds and commands fail with a clear message', async () => {
    const seeds = await runCommand(process.execPath, [BIN, 'seeds'], {});
    for (const name of ['blank', 'verified-numbers', 'messaging-service', 'verify-flow', 'rate-limited']) expect(seeds.stdout).toContain(`twilio:${name}`);
    const bad = await runCommand(process.execPath, [BIN, 'up', '--port', '0', '--ephemeral', '--data-dir', dir(), '--seed', 'twilio:nope'], {});
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Unknown seed: twilio:nope');
    const help = await runCommand(process.execPath, [BIN, 'up', '--help'], {});
    expect(help.stdout).toContain('--seed');
  }, 30000);
});
