/**
 * Issue #13 item 3: examples/github-actions/mirra-cassette-review.yml posts the cassette diff of a
 * pull request as one comment, updated on every push. Offline, this checks what can be checked:
 * the workflow parses and has the steps it needs; its diff step, run for real by bash in a scratch
 * repository with `node bin/mirra.js` for `npx mirra`, writes the Markdown and `differs`, and fails
 * only on an error (exit 2); and its github-script step, run against an in-memory GitHub, creates
 * one comment, updates that same comment on later pushes (also when the diff is gone), ignores a
 * reviewer's comment that quotes the marker, and posts nothing for a pull request without changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { formatCassette } from '../../src/cassette/codec';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { tempDir } from '../helpers/mirror';
import { cassetteOf, recordedMessage } from '../helpers/replay-cassette';

const EXAMPLE = join(REPO_ROOT, 'examples', 'github-actions');
const BIN = join(REPO_ROOT, 'bin', 'mirra.js');
const commentLib = require(join(EXAMPLE, 'cassette-comment.js')) as {
  MARKER: string;
  upsertCassetteComment(args: { github: unknown; context: unknown; markdown: string; differs: boolean }): Promise<{ action: string; id?: number }>;
};

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

const workflow = parse(readFileSync(join(EXAMPLE, 'mirra-cassette-review.yml'), 'utf8'));
const steps: Step[] = workflow.jobs['cassette-diff'].steps;
const diffStep = steps.find((s) => s.id === 'diff')!;
const scriptStep = steps.find((s) => s.uses?.startsWith('actions/github-script@'))!;

function message(status: string) {
  return cassetteOf('signup', [{ method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json', body: recordedMessage('{SM#1}', { status }) }]);
}

/** An in-memory GitHub with the calls the script makes. */
function fakeGitHub(initial: { id: number; body: string; user: { login: string } }[] = []) {
  const comments = [...initial];
  let next = 100;
  const calls: string[] = [];
  const github = {
    paginate: async (fn: (p: unknown) => Promise<{ data: unknown[] }>, params: unknown) => (await fn(params)).data,
    rest: {
      issues: {
        listComments: async () => ({ data: comments.map((c) => ({ ...c })) }),
        createComment: async ({ body }: { body: string }) => {
          calls.push('create');
          const c = { id: ++next, body, user: { login: 'github-actions[bot]' } };
          comments.push(c);
          return { data: c };
        },
        updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
          calls.push(`update ${comment_id}`);
          comments.find((c) => c.id === comment_id)!.body = body;
          return { data: {} };
        },
      },
    },
  };
  return { github, comments, calls };
}

const context = (sha: string) => ({ repo: { owner: 'acme', repo: 'app' }, issue: { number: 7 }, sha, payload: { pull_request: { head: { sha } } } });

describe('examples/github-actions/mirra-cassette-review.yml', () => {
  it('parses, runs on pull requests that touch cassettes, and may write pull-request comments', () => {
    expect(workflow.on.pull_request.paths).toEqual(['cassettes/**']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(diffStep.env).toEqual({ BASE: 'origin/${{ github.base_ref }}' });
    expect(diffStep.run).toContain('npx mirra cassettes diff --rev "$BASE" --format markdown > cassette-diff.md');
    expect(scriptStep.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(String(scriptStep.with?.script)).toContain("require('./.github/scripts/cassette-comment.js')");
  });

  it('its diff step writes the Markdown and `differs`, and fails only on an error', async () => {
    const repo = tempDir('mirra-review-');
    try {
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=mirra', '-c', 'user.email=mirra@example.com', ...args], { cwd: repo, encoding: 'utf8' });
      git('init', '-q');
      mkdirSync(join(repo, 'cassettes'));
      writeFileSync(join(repo, 'cassettes', 'signup.cassette.json'), formatCassette(message('delivered')));
      git('add', '.');
      git('commit', '-qm', 'base');
      git('update-ref', 'refs/remotes/origin/main', 'HEAD'); // what actions/checkout fetches
      const script = diffStep.run!.replace('npx mirra', `"${process.execPath}" "${BIN}"`);
      const run = async (base: string) => {
        const output = join(repo, 'github-output');
        writeFileSync(output, '');
        // GitHub runs `run:` with `bash --noprofile --norc -eo pipefail {0}`.
        const res = await runCommand('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { BASE: base, GITHUB_OUTPUT: output }, 20_000, repo);
        return { ...res, output: readFileSync(output, 'utf8') };
      };

      const same = await run('origin/main');
      expect(same.code).toBe(0);
      expect(same.output).toBe('differs=false\n');

      writeFileSync(join(repo, 'cassettes', 'signup.cassette.json'), formatCassette(message('undelivered')));
      const changed = await run('origin/main');
      expect(changed.code).toBe(0);
      expect(changed.output).toBe('differs=true\n');
      expect(readFileSync(join(repo, 'cassette-diff.md'), 'utf8')).toContain('`response.body.status`: `"delivered"` → `"undelivered"`');

      const broken = await run('origin/nosuch');
      expect(broken.code).toBe(2);
      expect(broken.stderr).toContain('MIRRA_ERR_UNKNOWN_REVISION');
      expect(broken.output).toBe('');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('its github-script step keeps one comment per pull request, found again by its marker', async () => {
    const dir = tempDir('mirra-review-script-');
    try {
      // The step's script as actions/github-script runs it: an async body with require, github, context, core.
      const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
      const step = new AsyncFunction('require', 'github', 'context', 'core', 'process', String(scriptStep.with!.script));
      const workspaceRequire = (id: string) => (id === './.github/scripts/cassette-comment.js' ? commentLib : id === 'fs' ? { readFileSync: (f: string, e: string) => readFileSync(join(dir, f), e as BufferEncoding) } : require(id));
      const push = async (gh: ReturnType<typeof fakeGitHub>, sha: string, markdown: string, differs: boolean) => {
        writeFileSync(join(dir, 'cassette-diff.md'), markdown);
        const logs: string[] = [];
        await step(workspaceRequire, gh.github, context(sha), { info: (m: string) => logs.push(m) }, { env: { DIFFERS: String(differs) } });
        return logs.join('\n');
      };

      // A reviewer quoting the marker is not the bot's comment.
      const gh = fakeGitHub([{ id: 1, body: `> ${commentLib.MARKER}\n> old diff`, user: { login: 'reviewer' } }]);
      expect(await push(gh, 'aaaaaaa1', '### mirra cassette diff: `signup`\n| ~ | 1 | … |\n', true)).toBe('cassette diff comment: created');
      expect(await push(gh, 'bbbbbbb2', '### mirra cassette diff: `signup`\n| ~ | 1 | changed again |\n', true)).toBe('cassette diff comment: updated');
      expect(await push(gh, 'bbbbbbb2', '### mirra cassette diff: `signup`\n| ~ | 1 | changed again |\n', true)).toBe('cassette diff comment: unchanged');
      expect(await push(gh, 'ccccccc3', 'No cassette differences since `origin/main` (1 cassette).\n', false)).toBe('cassette diff comment: updated');
      expect(gh.calls).toEqual(['create', 'update 101', 'update 101']);
      const bot = gh.comments.filter((c) => c.user.login === 'github-actions[bot]');
      expect(bot).toHaveLength(1);
      expect(bot[0].body).toContain(commentLib.MARKER);
      expect(bot[0].body).toContain('No cassette differences');
      expect(bot[0].body).toContain('for ccccccc');
      expect(gh.comments[0].body).toContain('old diff');

      // A pull request whose cassettes did not change gets no comment at all.
      const quiet = fakeGitHub();
      expect(await push(quiet, 'ddddddd4', 'No cassette differences since `origin/main` (1 cassette).\n', false)).toBe('cassette diff comment: none');
      expect(quiet.comments).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
