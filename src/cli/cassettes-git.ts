/**
 * What the cassette commands read from git: a file as of a revision (or that it did not exist
 * there: a cassette added since is a normal diff, not an error), and the cassette files a
 * revision holds. A git failure becomes MIRRA_ERR_NOT_A_REPOSITORY (no repository, no git) or
 * MIRRA_ERR_UNKNOWN_REVISION naming git's own words.
 */
import { execFileSync } from 'node:child_process';
import { isAbsolute, relative } from 'node:path';
import { MirraError } from '../errors';

/**
 * Runs git in the current directory; throws MIRRA_ERR_NOT_A_REPOSITORY outside a repository (or
 * without git), else MIRRA_ERR_UNKNOWN_REVISION with git's message (or `silent` when git says nothing).
 */
export function git(args: string[], rev: string, silent = `git ${args[0]} failed`): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MirraError('MIRRA_ERR_NOT_A_REPOSITORY', 'git is not installed (or not on PATH)');
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
    if (/not a git repository/i.test(stderr)) throw new MirraError('MIRRA_ERR_NOT_A_REPOSITORY', `${process.cwd()} is not in a git repository`);
    throw new MirraError('MIRRA_ERR_UNKNOWN_REVISION', `${rev}: ${stderr || silent}`);
  }
}

/** A path as git's `REV:./PATH` syntax wants it: relative to the current directory, `/`-separated. */
export function gitPath(file: string): string {
  const rel = isAbsolute(file) ? relative(process.cwd(), file) : file;
  return rel.split('\\').join('/').replace(/^\.\//, '');
}

/** Fails with MIRRA_ERR_UNKNOWN_REVISION unless `rev` names a commit (`HEAD`, `origin/main`, a SHA). */
export function checkRevision(rev: string): void {
  if (rev.startsWith('-')) throw new MirraError('MIRRA_ERR_UNKNOWN_REVISION', `${JSON.stringify(rev)} is not a revision`);
  git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], rev, 'no commit of that name in this repository');
}

/** The text of `file` as of `rev`, or undefined when the file did not exist there (`checked`: rev is known good). */
export function readAtRevision(rev: string, file: string, checked = false): string | undefined {
  if (!checked) checkRevision(rev);
  const spec = `${rev}:./${gitPath(file)}`;
  try {
    execFileSync('git', ['cat-file', '-e', spec], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return git(['show', spec], rev);
}

/** The files under `dir` whose names end with `suffix`, as of `rev` (paths relative to the current directory). */
export function listAtRevision(rev: string, dir: string, suffix: string): string[] {
  checkRevision(rev);
  const out = git(['ls-tree', '-r', '--name-only', rev, '--', `./${gitPath(dir)}`], rev);
  return out
    .split('\n')
    .filter((line) => line.endsWith(suffix))
    .sort();
}
