/**
 * Issue #15 items 3–5: `mirra cassettes diff` and `lint` as a user runs them (the built CLI), on
 * what users really hand them — a missing or malformed file, a revision git does not know, a
 * cassette new or gone relative to the revision, a cassette reformatted by `jq .` — and the whole
 * review loop in a scratch git repository. Exit codes: 0 same / clean, 1 differences / secrets,
 * 2 an error, told in one `mirra: MIRRA_ERR_* …` line with its fix and no stack trace.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCassette } from '../../src/cassette/codec';
import type { Cassette } from '../../src/cassette/types';
import { REPO_ROOT, runCommand, type ChildResult } from '../helpers/child';
import { tempDir } from '../helpers/mirror';
import { cassetteOf, recordedMessage } from '../helpers/replay-cassette';

const BIN = join(REPO_ROOT, 'bin', 'mirra.js');
const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';

function mirra(args: string[], cwd: string): Promise<ChildResult> {
  return runCommand(process.execPath, [BIN, ...args], {}, 20_000, cwd);
}

/** One error line `mirra: CODE: … Fix: …`, nothing else: no yargs source, no stack trace. */
function expectOneErrorLine(res: ChildResult, code: string): void {
  expect(res.code).toBe(2);
  const lines = res.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^mirra: ${code}: .+ Fix: .+`));
  expect(res.stderr).not.toMatch(/\n\s+at /);
}

/** A small signup scenario; `status` is what the fetch of the message answered. */
function signup(status = 'delivered', extra: { body?: string } = {}): Cassette {
  return cassetteOf('signup', [
    { method: 'POST', path: MSGS, status: 201, form: { To: '+15551230000', From: '+15555550123', Body: extra.body ?? 'hello' }, body: recordedMessage('{SM#1}') },
    { method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json', body: recordedMessage('{SM#1}', { status }) },
  ]);
}

function write(dir: string, name: string, c: Cassette): string {
  const file = join(dir, 'cassettes', `${name}.cassette.json`);
  mkdirSync(join(dir, 'cassettes'), { recursive: true });
  writeFileSync(file, formatCassette({ ...c, name }));
  return file;
}

function gitRepo(dir: string): (...args: string[]) => string {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=mirra', '-c', 'user.email=mirra@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  return git;
}

describe('mirra cassettes diff never crashes', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir('mirra-cassettes-cli-');
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('a missing cassette: exit 2, MIRRA_ERR_UNKNOWN_CASSETTE', async () => {
    const d = dir();
    write(d, 'signup', signup());
    expectOneErrorLine(await mirra(['cassettes', 'diff', 'signup', 'missing.json'], d), 'MIRRA_ERR_UNKNOWN_CASSETTE');
    expectOneErrorLine(await mirra(['cassettes', 'diff', 'nosuch', 'signup'], d), 'MIRRA_ERR_UNKNOWN_CASSETTE');
    const git = gitRepo(d);
    git('add', '.');
    git('commit', '-qm', 'signup');
    expectOneErrorLine(await mirra(['cassettes', 'diff', 'nosuch', '--rev', 'HEAD'], d), 'MIRRA_ERR_UNKNOWN_CASSETTE');
    // A usage mistake is told with its fix too.
    const usage = await mirra(['cassettes', 'diff', 'signup'], d);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^mirra: Give two cassettes .* Fix: see `mirra cassettes diff --help`/);
  });

  it('a malformed cassette: exit 2, MIRRA_ERR_INVALID_CASSETTE', async () => {
    const d = dir();
    write(d, 'signup', signup());
    writeFileSync(join(d, 'broken.json'), '{"version": 1, "interactions": [');
    expectOneErrorLine(await mirra(['cassettes', 'diff', 'signup', 'broken.json'], d), 'MIRRA_ERR_INVALID_CASSETTE');
  });

  it('a revision git does not know (MIRRA_ERR_UNKNOWN_REVISION), or no git repository (MIRRA_ERR_NOT_A_REPOSITORY): exit 2', async () => {
    const d = dir();
    write(d, 'signup', signup());
    expectOneErrorLine(await mirra(['cassettes', 'diff', 'signup', '--rev', 'HEAD'], d), 'MIRRA_ERR_NOT_A_REPOSITORY');
    const git = gitRepo(d);
    git('add', '.');
    git('commit', '-qm', 'signup');
    expectOneErrorLine(await mirra(['cassettes', 'diff', 'signup', '--rev', 'nosuchrev'], d), 'MIRRA_ERR_UNKNOWN_REVISION');
  });

  it('a cassette new relative to --rev is all added; one deleted since is all removed (exit 1)', async () => {
    const d = dir();
    const git = gitRepo(d);
    write(d, 'old', signup());
    git('add', '.');
    git('commit', '-qm', 'old');
    write(d, 'signup', signup());
    const added = await mirra(['cassettes', 'diff', 'signup', '--rev', 'HEAD'], d);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(1);
    expect(added.stdout).toContain('+ #1 POST api /2010-04-01/Accounts/{AccountSid}/Messages.json → 201');
    expect(added.stdout).toContain('0 changed, 2 added, 0 removed, 0 unchanged');

    unlinkSync(join(d, 'cassettes', 'old.cassette.json'));
    const removed = await mirra(['cassettes', 'diff', 'cassettes/old.cassette.json', '--rev', 'HEAD'], d);
    expect(removed.stderr).toBe('');
    expect(removed.code).toBe(1);
    expect(removed.stdout).toContain('0 changed, 0 added, 2 removed, 0 unchanged');
  });

  it('the review loop: add one cassette, change one, remove one; --rev HEAD --format markdown renders all three (exit 1)', async () => {
    const d = dir();
    const git = gitRepo(d);
    write(d, 'changed', signup('delivered'));
    write(d, 'removed', signup());
    write(d, 'same', signup());
    git('add', '.');
    git('commit', '-qm', 'record');
    write(d, 'changed', signup('undelivered'));
    unlinkSync(join(d, 'cassettes', 'removed.cassette.json'));
    write(d, 'added', signup('sent', { body: 'welcome' }));

    const res = await mirra(['cassettes', 'diff', '--rev', 'HEAD', '--format', 'markdown'], d);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(1);
    const md = res.stdout;
    expect(md).toContain('### mirra cassette diff: `added`');
    expect(md).toContain('| + | 1 | `POST api /2010-04-01/Accounts/{AccountSid}/Messages.json` | added (→ 201) |');
    expect(md).toContain('### mirra cassette diff: `changed`');
    expect(md).toContain('`response.body.status`: `"delivered"` → `"undelivered"`');
    expect(md).toContain('### mirra cassette diff: `removed`');
    expect(md).toContain('| − | 2 | `GET api /2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json` | removed (was → 200) |');
    expect(md).not.toContain('`same`');
    // Sections in name order, each once.
    expect([...md.matchAll(/^### mirra cassette diff: `(\w+)`/gm)].map((m) => m[1])).toEqual(['added', 'changed', 'removed']);

    git('add', '-A');
    git('commit', '-qm', 'rerecord');
    const clean = await mirra(['cassettes', 'diff', '--rev', 'HEAD'], d);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('no differences');
  });
});

describe('mirra cassettes lint reads the structure', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const dir = () => {
    const d = tempDir('mirra-lint-cli-');
    dirs.push(d);
    return d;
  };

  it('a missing file: exit 2, MIRRA_ERR_UNKNOWN_CASSETTE', async () => {
    expectOneErrorLine(await mirra(['cassettes', 'lint', 'missing.json'], dir()), 'MIRRA_ERR_UNKNOWN_CASSETTE');
  });

  it('a secret param split over lines by `jq .` is still found (exit 1), masked', async () => {
    const d = dir();
    const c = signup();
    c.interactions[0].request.form.unshift(['AuthToken', '0123456789abcdef0123456789abcdef']);
    // `jq .` puts each element of a pair on its own line: name and value are never on one line.
    const file = join(d, 'reformatted.cassette.json');
    writeFileSync(file, JSON.stringify(c, null, 2) + '\n');
    const res = await mirra(['cassettes', 'lint', file], d);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('interactions[0].request.form[0]: secret-named field');
    expect(res.stdout).not.toContain('0123456789abcdef0123456789abcdef');
  });

  it('a file that is not JSON is an error, never "clean" (exit 2, MIRRA_ERR_INVALID_CASSETTE)', async () => {
    const d = dir();
    const file = join(d, 'notjson.cassette.json');
    writeFileSync(file, 'AuthToken: 0123456789abcdef0123456789abcdef\n');
    expectOneErrorLine(await mirra(['cassettes', 'lint', file], d), 'MIRRA_ERR_INVALID_CASSETTE');
  });
});

describe('git diff of cassettes (mirra cassettes git-setup, issue #13 item 3)', () => {
  let d: string;
  afterAll(() => rmSync(d, { recursive: true, force: true }));

  it('configures the textconv driver; git diff then shows the changed facts under their request, and a new interaction as one block', async () => {
    d = tempDir('mirra-git-diff-');
    const git = gitRepo(d);
    write(d, 'signup', signup('delivered'));
    writeFileSync(join(d, '.gitattributes'), '*.png binary\n');
    const setup = await mirra(['cassettes', 'git-setup', '--command', `"${process.execPath}" "${BIN}"`], d);
    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);
    expect(git('config', 'diff.mirra-cassette.textconv')).toBe(`"${process.execPath}" "${BIN}" cassettes textconv\n`);
    const attributes = readFileSync(join(d, '.gitattributes'), 'utf8');
    expect(attributes.startsWith('*.png binary\n')).toBe(true);
    expect(attributes).toContain('*.cassette.json text eol=lf diff=mirra-cassette merge=binary\n');
    expect(git('check-attr', 'diff', 'cassettes/signup.cassette.json')).toBe('cassettes/signup.cassette.json: diff: mirra-cassette\n');
    // Running it again changes nothing.
    await mirra(['cassettes', 'git-setup', '--command', `"${process.execPath}" "${BIN}"`], d);
    expect(readFileSync(join(d, '.gitattributes'), 'utf8')).toBe(attributes);
    git('add', '.');
    git('commit', '-qm', 'record signup');

    // Re-recorded: the message now ends undelivered, and the app lists messages afterwards.
    const changed = signup('undelivered');
    changed.interactions.push({ ...changed.interactions[1], seq: 3, request: { ...changed.interactions[1].request, path: MSGS, query: [['PageSize', '20']] } });
    write(d, 'signup', changed);
    const diff = git('diff', '--', 'cassettes/signup.cassette.json');
    expect(diff).toContain('@@ GET api /2010-04-01/Accounts/{AccountSid}/Messages/{SM}.json');
    expect(diff).toContain('\n-  body.status = "delivered"\n+  body.status = "undelivered"\n');
    expect(diff).toMatch(/\n\+GET api \/2010-04-01\/Accounts\/\{AccountSid\}\/Messages\.json\n\+  query\.PageSize = "20"\n\+  → 200\n/);
    // No raw JSON lines: the text is the semantic view.
    expect(diff).not.toContain('"interactions"');

    // The textconv view is `show --format semantic`; a file that is not a cassette passes through as it is.
    const shown = await mirra(['cassettes', 'show', 'signup', '--format', 'semantic'], d);
    const conv = await mirra(['cassettes', 'textconv', join('cassettes', 'signup.cassette.json')], d);
    expect(conv.code).toBe(0);
    expect(conv.stdout).toBe(shown.stdout);
    writeFileSync(join(d, 'conflict.cassette.json'), '<<<<<<< HEAD\n{}\n=======\n');
    const raw = await mirra(['cassettes', 'textconv', 'conflict.cassette.json'], d);
    expect(raw.code).toBe(0);
    expect(raw.stdout).toBe('<<<<<<< HEAD\n{}\n=======\n');
  });

  it('outside a git repository: exit 2, MIRRA_ERR_NOT_A_REPOSITORY', async () => {
    const outside = tempDir('mirra-no-git-');
    try {
      expectOneErrorLine(await mirra(['cassettes', 'git-setup'], outside), 'MIRRA_ERR_NOT_A_REPOSITORY');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('mirra cassettes list (issue #15 item 9)', () => {
  it('names each cassette by its file, says when the name inside differs, and takes --cassettes-dir or MIRRA_CASSETTES_DIR', async () => {
    const d = tempDir('mirra-cassettes-list-');
    write(d, 'send', signup());
    copyFileSync(join(d, 'cassettes', 'send.cassette.json'), join(d, 'cassettes', 'copy.cassette.json'));
    const listed = await mirra(['cassettes', 'list'], d);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^copy\b.*; the name inside is send$/);
    expect(lines[1]).toMatch(/^send\b/);
    expect(lines[1]).not.toContain('name inside');
    const elsewhere = tempDir('mirra-cassettes-list-other-');
    const byFlag = await mirra(['cassettes', '--cassettes-dir', join(d, 'cassettes'), 'list'], elsewhere);
    expect(byFlag.stdout.trimEnd().split('\n')).toHaveLength(2);
    const byEnv = await runCommand(process.execPath, [BIN, 'cassettes', 'list'], { MIRRA_CASSETTES_DIR: join(d, 'cassettes') }, 20_000, elsewhere);
    expect(byEnv.stdout.trimEnd().split('\n')).toHaveLength(2);
    rmSync(d, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });
});
