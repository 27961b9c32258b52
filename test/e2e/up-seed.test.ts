/**
 * Issue #15, item 2: `mirra up --seed X` on a data dir whose default session was made from another
 * seed starts that session afresh from X and says so in one line (the README's Quick start, then
 * its Verify section, in one directory); without `--seed`, or with the same one, the stored state
 * resumes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/child';
import { tempDir } from '../helpers/mirror';

const BIN = join(REPO_ROOT, 'bin', 'mirra.js');
const VERIFY_SERVICE = 'VA00000000000000000000000000000001'; // the twilio:verify-flow seed's service

interface Up {
  child: ChildProcess;
  url: string;
  out: string;
  auth: string;
  sid: string;
}

/** Every `mirra up` started, so a failed expectation never leaves one running. */
const running = new Set<ChildProcess>();

/** Starts `mirra up` in `dir`, resolving once it prints its environment. */
function up(dir: string, args: string[]): Promise<Up> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'up', '--port', '0', ...args], { cwd: dir, env: { ...process.env, TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' } });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let out = '';
    const timer = setTimeout(() => reject(new Error(`mirra up did not start: ${out}`)), 15_000);
    const onData = (d: Buffer) => {
      out += d;
      const url = /mirra is up at (\S+)/.exec(out)?.[1];
      const sid = /TWILIO_ACCOUNT_SID='(AC\w+)'/.exec(out)?.[1];
      const token = /TWILIO_AUTH_TOKEN='(\w+)'/.exec(out)?.[1];
      if (url && sid && token && /MIRRA_URL=/.test(out)) {
        clearTimeout(timer);
        resolve({ child, url, out, sid, auth: 'Basic ' + Buffer.from(`${sid}:${token}`).toString('base64') });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('mirra up --seed on a data dir that already has a default session (issue #15)', () => {
  const dir = tempDir('mirra-up-seed-');
  afterAll(() => {
    for (const child of running) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the default session afresh from a different --seed, says so, and resumes without --seed', async () => {
    const quick = await up(dir, ['--seed', 'twilio:verified-numbers']);
    expect(quick.out).toContain('(seed: verified-numbers)');
    const sent = await fetch(`${quick.url}/2010-04-01/Accounts/${quick.sid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: quick.auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'To=%2B15551230000&From=%2B15555550123&Body=hi',
    });
    expect(sent.status).toBe(201);
    const { sid: messageSid } = (await sent.json()) as { sid: string };
    expect(await stop(quick.child)).toBe(0);

    // The README's Verify section, in the same directory.
    const verify = await up(dir, ['--seed', 'twilio:verify-flow']);
    expect(verify.out).toContain('(seed: verify-flow)');
    const notes = verify.out.split('\n').filter((l) => /verified-numbers/.test(l));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/--seed twilio:verify-flow.*verified-numbers.*afresh/);
    expect((await fetch(`${verify.url}/v2/Services/${VERIFY_SERVICE}`, { headers: { authorization: verify.auth } })).status).toBe(200);
    // Afresh: the earlier session's message is gone.
    expect((await fetch(`${verify.url}/2010-04-01/Accounts/${verify.sid}/Messages/${messageSid}.json`, { headers: { authorization: verify.auth } })).status).toBe(404);
    const sentAgain = await fetch(`${verify.url}/v2/Services/${VERIFY_SERVICE}/Verifications`, {
      method: 'POST',
      headers: { authorization: verify.auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'To=%2B15551230100&Channel=sms',
    });
    expect(sentAgain.status).toBe(201);
    const { sid: verificationSid } = (await sentAgain.json()) as { sid: string };
    expect(await stop(verify.child)).toBe(0);

    // Without --seed (and with the same one) the stored state resumes, and nothing is said about seeds.
    for (const args of [[], ['--seed', 'twilio:verify-flow']]) {
      const again = await up(dir, args);
      expect(again.out).toContain('(seed: verify-flow)');
      expect(again.out).not.toContain('afresh');
      const fetched = await fetch(`${again.url}/v2/Services/${VERIFY_SERVICE}/Verifications/${verificationSid}`, { headers: { authorization: again.auth } });
      expect(fetched.status).toBe(200);
      expect(await stop(again.child)).toBe(0);
    }
  }, 60_000);
});
