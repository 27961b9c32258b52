/**
 * `mirra cassettes diff`: the same scenario recorded against two upstreams that differ in one
 * behaviour (the message ends `sent` instead of `delivered`) diffs as exactly that change — in
 * text, in Markdown, and against a git revision of the same file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { runDiff } from '../../src/cli/cassettes';
import { startRecorder } from '../../src/mirror/start-recorder';
import { REPO_ROOT } from '../helpers/child';
import { pointAt, startTestMirror, tempDir } from '../helpers/mirror';

const FROM = '+15555550123';
const TO = '+15551230000';

/** Records create → advance → fetch against an emulator whose message outcome is `outcome`. */
async function record(cassettesDir: string, name: string, outcome: 'delivered' | 'sent'): Promise<string> {
  const up = await startTestMirror({
    seed: { name: 'diff', numbers: [{ phoneNumber: FROM }], clock: { frozen: true }, messages: { outcomes: [{ to: TO, status: outcome }] } },
  });
  const rec = await startRecorder({ cassette: name, upstream: up.url, port: 0, proxy: false, dataDir: join(cassettesDir, '..', `data-${name}`), cassettesDir });
  try {
    const client = pointAt(twilio(up.accountSid, up.authToken), rec.url);
    const m = await client.messages.create({ to: TO, from: FROM, body: 'hello' });
    await up.advance(10_000);
    await client.messages(m.sid).fetch();
    return (await rec.stop()).file;
  } finally {
    await rec.stop();
    await up.close();
  }
}

/** Runs the CLI from its TypeScript sources in `cwd`; resolves with its exit code and output. */
function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `
    const fs = require('fs'); const swc = require(${JSON.stringify(join(REPO_ROOT, 'node_modules', '@swc', 'core'))});
    require.extensions['.ts'] = (m, f) => m._compile(swc.transformSync(fs.readFileSync(f, 'utf8'),
      { filename: f, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }).code, f);
    require(${JSON.stringify(join(REPO_ROOT, 'src', 'cli', 'main.ts'))}).main(process.argv.slice(1));
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const CHANGE = '    response.body.status: "delivered" → "sent"';

describe('cassettes diff on a changed response', () => {
  let dir: string;
  let cassettesDir: string;
  beforeAll(async () => {
    dir = tempDir('mirra-diff-');
    cassettesDir = join(dir, 'cassettes');
    await record(cassettesDir, 'before', 'delivered');
    await record(cassettesDir, 'after', 'sent');
    await record(cassettesDir, 'again', 'delivered');
  }, 30_000);

  it('prints exactly that change, and nothing for a re-recording of unchanged behaviour', () => {
    const out = runDiff('before', 'after', { cassettesDir, dataDir: dir, format: 'text' });
    expect(out.differs).toBe(true);
    expect(out.text.split('\n').slice(2)).toEqual([
      '~ #2 GET api /2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json',
      CHANGE,
      '1 changed, 0 added, 0 removed, 1 unchanged',
      '',
    ]);
    const same = runDiff('before', 'again', { cassettesDir, dataDir: dir, format: 'text' });
    expect(same.differs).toBe(false);
    expect(same.text).toContain('no differences (2 interactions)');
  });

  it('renders a Markdown table for a pull-request comment', () => {
    const md = runDiff('before', 'after', { cassettesDir, dataDir: dir, format: 'markdown' }).text;
    expect(md).toContain('| ~ | 2 | `GET api /2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json` | `response.body.status`: `"delivered"` → `"sent"` |');
    expect(md.match(/^\| ~ /gm)).toHaveLength(1);
  });

  it('compares a cassette with a git revision of its own file (CLI; exit 1 on a difference)', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'cassettes'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=mirra', '-c', 'user.email=mirra@example.com', ...args], { cwd: repo });
    git('init', '-q');
    copyFileSync(join(cassettesDir, 'before.cassette.json'), join(repo, 'cassettes', 'flow.cassette.json'));
    git('add', '.');
    git('commit', '-qm', 'record flow');
    // Re-recorded: the file now says what `after` says (its name field aside).
    const after = readFileSync(join(cassettesDir, 'after.cassette.json'), 'utf8').replace('"name": "after"', '"name": "flow"');
    writeFileSync(join(repo, 'cassettes', 'flow.cassette.json'), after);

    const viaRev = await cli(['cassettes', 'diff', 'flow', '--rev', 'HEAD'], repo);
    expect(viaRev.stderr).toBe('');
    expect(viaRev.code).toBe(1);
    expect(viaRev.stdout).toContain('--- HEAD:cassettes/flow.cassette.json');
    expect(viaRev.stdout).toContain(`~ #2 GET api /2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json\n${CHANGE}\n1 changed`);

    const viaPath = await cli(['cassettes', 'diff', 'HEAD:cassettes/flow.cassette.json', 'cassettes/flow.cassette.json', '--format', 'markdown'], repo);
    expect(viaPath.code).toBe(1);
    expect(viaPath.stdout).toContain('`response.body.status`: `"delivered"` → `"sent"`');

    const unchanged = await cli(['cassettes', 'diff', 'HEAD:cassettes/flow.cassette.json', 'HEAD:cassettes/flow.cassette.json'], repo);
    expect(unchanged.code).toBe(0);
  }, 30_000);
});
