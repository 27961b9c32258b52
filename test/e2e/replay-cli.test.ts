/**
 * `mirra replay --cassette NAME --strict -- CMD` as a user runs it: the command (the real SDK,
 * configured only by the environment mirra gives it) is answered from the cassette, its exit status
 * is mirra's, a live line counts what was served and missed (plain lines: stderr is no terminal
 * here), and the run ends with what the cassette served and did not.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { tempDir } from '../helpers/mirror';
import { cassetteOf, recordedMessage } from '../helpers/replay-cassette';

const BIN = join(REPO_ROOT, 'bin', 'mirra.js');
const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';

/** The app: one send; prints the answer, or the error code and exits 3. */
const app = (body: string) => `
  const client = require('twilio')();
  client.messages.create({ to: '+15551230000', from: '+15555550123', body: '${body}' })
    .then((m) => console.log(JSON.stringify({ sid: m.sid, status: m.status, account: m.accountSid === process.env.TWILIO_ACCOUNT_SID })))
    .catch((e) => { console.log(JSON.stringify({ code: e.code, status: e.status, message: e.message })); process.exit(3); });
`;

describe('mirra replay --cassette', () => {
  const dir = tempDir('mirra-replay-cli-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    const cassette = cassetteOf('cli/send', [{ method: 'POST', path: MSGS, status: 201, form: { To: '+15551230000', From: '+15555550123', Body: 'hello' }, body: recordedMessage('{SM#1}') }]);
    mkdirSync(join(dir, 'cassettes', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'cassettes', 'cli', 'send.cassette.json'), JSON.stringify(cassette, null, 2));
  });

  const replay = (args: string[], body: string) =>
    runCommand(process.execPath, [BIN, 'replay', '--ephemeral', '--data-dir', join(dir, 'data'), '--seed', 'twilio:verified-numbers', ...args, '--', process.execPath, '-e', app(body)], {}, 30_000);

  it('answers the command from the cassette and reports what it served', async () => {
    const res = await replay(['--cassette', join(dir, 'cassettes', 'cli', 'send.cassette.json'), '--strict'], 'hello');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ status: 'queued', account: true });
    expect(res.stderr).toContain('mirra replay cli/send: 1 served from the cassette (of 1), 0 unused, 0 misses, 0 callbacks fired again\n');
  });

  it('shows a live line of what was served and missed, as plain lines when stderr is no terminal', async () => {
    const res = await replay(['--cassette', join(dir, 'cassettes', 'cli', 'send.cassette.json')], 'hello');
    expect(res.code).toBe(0);
    const live = res.stderr.split('\n').filter((l) => /^mirra replay cli\/send: \d+ served, /.test(l));
    expect(live).toEqual(['mirra replay cli/send: 1 served, 0 misses, 0 callbacks']);
    expect(res.stderr).not.toContain('\x1b[2K');
    const missed = await replay(['--cassette', join(dir, 'cassettes', 'cli', 'send.cassette.json')], 'unrecorded');
    expect(missed.stderr).toContain('mirra replay cli/send: 0 served, 1 miss, 0 callbacks\n');
    expect(missed.stderr).toContain('1 miss (emulated instead)');
  });

  it('with --strict, fails an unrecorded request with MIRRA_ERR_NO_RECORDING and passes on the command’s status', async () => {
    const res = await replay(['--cassette', join(dir, 'cassettes', 'cli', 'send.cassette.json'), '--strict'], 'bye');
    expect(res.code).toBe(3);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ code: 'MIRRA_ERR_NO_RECORDING', status: 400 });
    expect(out.message).toContain('form.Body: recorded "hello", got "bye"');
    expect(res.stderr).toContain('0 served from the cassette (of 1), 1 unused, 1 miss (answered with MIRRA_ERR_NO_RECORDING)');
    expect(res.stderr).toContain(`  unused #1 POST ${MSGS}\n`);
  });

  it('finds a cassette by name under cassettes/ and refuses --strict without one', async () => {
    const byName = await runCommand(process.execPath, [BIN, 'replay', '--ephemeral', '--data-dir', join(dir, 'data'), '--cassette', 'nope/missing', '--', 'true'], {}, 30_000);
    expect(byName.code).not.toBe(0);
    expect(byName.stderr).toMatch(/MIRRA_ERR_UNKNOWN_CASSETTE|No such cassette/);
    const strictAlone = await runCommand(process.execPath, [BIN, 'replay', '--strict', '--', 'true'], {}, 30_000);
    expect(strictAlone.code).toBe(2);
    expect(strictAlone.stderr).toContain('--strict needs --cassette');
  });
});
