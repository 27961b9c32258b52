/**
 * Crash safety: `kill -9` of `mirra up` under load, then a restart on the same data dir. No
 * answered request's effects are lost, the store opens cleanly, and pending status callbacks are
 * still delivered after the restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/child';
import { tempDir } from '../helpers/mirror';
import { startReceiver } from '../helpers/receiver';

const BIN = join(REPO_ROOT, 'bin', 'mirra.js');
const SID = 'AC' + 'e'.repeat(32);
const TOKEN = 'f'.repeat(32);
const AUTH = { authorization: 'Basic ' + Buffer.from(`${SID}:${TOKEN}`).toString('base64') };

function up(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'up', '--port', '0', '--data-dir', dataDir, '--seed', 'twilio:verified-numbers', '--account-sid', SID, '--auth-token', TOKEN], { cwd: REPO_ROOT });
    let out = '';
    const timer = setTimeout(() => reject(new Error(out)), 15000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /mirra is up at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
  });
}

describe('crash safety', () => {
  it('loses no answered message or pending callback across kill -9', async () => {
    const dataDir = tempDir('mirra-crash-');
    const rx = await startReceiver();
    const first = await up(dataDir);
    const answered: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${first.url}/2010-04-01/Accounts/${SID}/Messages.json`, {
            method: 'POST',
            headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ To: `+1555100${w}${String(i).padStart(3, '0')}`, From: '+15555550123', Body: `load ${w}/${i}`, StatusCallback: `${rx.url}/cb` }).toString(),
          });
          if (res.status === 201) answered.push(((await res.json()) as { sid: string }).sid);
        } catch {
          return; // the server died mid-request: that request was never answered
        }
      }
    };
    const workers = [0, 1, 2, 3, 4, 5, 6, 7].map(worker);
    await new Promise((r) => setTimeout(r, 1500));
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await exited;
    expect(answered.length).toBeGreaterThan(10);

    const second = await up(dataDir);
    for (const sid of answered) {
      const res = await fetch(`${second.url}/2010-04-01/Accounts/${SID}/Messages/${sid}.json`, { headers: AUTH });
      expect(res.status).toBe(200);
    }
    // The default timeline finishes within ~2 s of real time; every answered message then reports delivered.
    const deadline = Date.now() + 10_000;
    const deliveredFor = () => new Set(rx.received.filter((r) => r.params.MessageStatus === 'delivered').map((r) => r.params.MessageSid as string));
    while (Date.now() < deadline && answered.some((sid) => !deliveredFor().has(sid))) await new Promise((r) => setTimeout(r, 200));
    expect(answered.filter((sid) => !deliveredFor().has(sid))).toEqual([]);
    const stopped = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    await stopped;
    await rx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 40000);
});
