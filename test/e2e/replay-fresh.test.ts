/**
 * Issue #15, item 1: `mirra replay -- CMD` is a fresh mirror every run. Run twice in one directory
 * (the default `.mirra` data dir), a run starts from its seed and an unserved cassette — whatever
 * an earlier run left — and the data dir holds no state afterwards. `--resume` asks for the
 * earlier run's state explicitly.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { tempDir } from '../helpers/mirror';
import { cassetteOf, recordedMessage } from '../helpers/replay-cassette';

const BIN = join(REPO_ROOT, 'bin', 'mirra.js');
const TWILIO = JSON.stringify(join(REPO_ROOT, 'node_modules', 'twilio'));
const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';

/** Creates one message, then prints how many the account has (or the error code of the create). */
const COUNT = `
  const client = require(${TWILIO})();
  client.messages.create({ to: '+15551230000', from: '+15555550123', body: 'hello' })
    .then(() => client.messages.list())
    .then((list) => console.log(list.length))
    .catch((e) => console.log('error ' + e.code));
`;

describe('mirra replay is a fresh mirror on every run (issue #15)', () => {
  const dirs: string[] = [];
  const cwd = () => {
    const d = tempDir('mirra-replay-fresh-');
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const replay = (dir: string, args: string[], script = COUNT) =>
    runCommand(process.execPath, [BIN, 'replay', ...args, '--', process.execPath, '-e', script], {}, 30_000, dir);

  it('starts from its seed each time it runs in the same directory, and honours a new --seed', async () => {
    const dir = cwd();
    const first = await replay(dir, ['--seed', 'twilio:verified-numbers']);
    const second = await replay(dir, ['--seed', 'twilio:verified-numbers']);
    // twilio:blank owns no number: the send is refused (21606), as it would be on a fresh blank account.
    const blank = await replay(dir, ['--seed', 'twilio:blank']);
    expect([first.stdout.trim(), second.stdout.trim(), blank.stdout.trim()]).toEqual(['1', '1', 'error 21606']);
    expect([first.code, second.code, blank.code]).toEqual([0, 0, 0]);
    // The data dir keeps no state between runs (the CA lives with the user, not here).
    const left = existsSync(join(dir, '.mirra')) ? readdirSync(join(dir, '.mirra')) : [];
    expect(left.filter((f) => f.startsWith('state'))).toEqual([]);
  }, 60_000);

  it('passes `--cassette X --strict` on every rerun, counting only what this run served', async () => {
    const dir = cwd();
    const cassette = cassetteOf('fresh/send', [{ method: 'POST', path: MSGS, status: 201, form: { To: '+15551230000', From: '+15555550123', Body: 'hello' }, body: recordedMessage('{SM#1}') }]);
    mkdirSync(join(dir, 'cassettes', 'fresh'), { recursive: true });
    writeFileSync(join(dir, 'cassettes', 'fresh', 'send.cassette.json'), JSON.stringify(cassette, null, 2));
    const send = `
      require(${TWILIO})().messages.create({ to: '+15551230000', from: '+15555550123', body: 'hello' })
        .then((m) => console.log(m.status)).catch((e) => { console.log('error ' + e.code); process.exit(3); });
    `;
    for (let run = 1; run <= 2; run++) {
      const res = await replay(dir, ['--seed', 'twilio:verified-numbers', '--cassette', 'fresh/send', '--strict'], send);
      expect({ run, code: res.code, out: res.stdout.trim() }).toEqual({ run, code: 0, out: 'queued' });
      expect(res.stderr).toContain('mirra replay fresh/send: 1 served from the cassette (of 1), 0 unused, 0 misses');
    }
  }, 60_000);

  it('resumes the previous run’s state only when asked to with --resume', async () => {
    const dir = cwd();
    const runs = [];
    for (let i = 0; i < 2; i++) runs.push((await replay(dir, ['--seed', 'twilio:verified-numbers', '--resume'])).stdout.trim());
    expect(runs).toEqual(['1', '2']);
    // A run without --resume after them is fresh again.
    expect((await replay(dir, ['--seed', 'twilio:verified-numbers'])).stdout.trim()).toBe('1');
  }, 60_000);
});
