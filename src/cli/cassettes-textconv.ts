/**
 * `git diff` of cassettes as a semantic diff of interactions:
 *
 * - `mirra cassettes textconv FILE` is the git textconv program: it gets one file and prints the
 *   semantic view (describe.ts `formatSemantic`), or the file's own text when it is not a cassette
 *   (a merge conflict, a file of another tool), so `git diff` never fails because of it.
 * - `mirra cassettes git-setup` configures it once per clone: a `.gitattributes` line
 *   (`*.cassette.json … diff=mirra-cassette`) and `git config diff.mirra-cassette.textconv` plus an
 *   `xfuncname`, so each hunk header names the request the change is in.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import type * as DescribeModule from '../cassette/describe';
import { MirraError } from '../errors';
import { git } from './cassettes-git';
import { codecLib } from './cassettes-operands';

/** The git diff driver's name (README and docs/record-cassettes.md use it). */
export const DIFF_DRIVER = 'mirra-cassette';

/** The `.gitattributes` line git-setup adds: LF (byte-identical re-recordings), the driver, no line merges. */
export const GITATTRIBUTES_LINE = `*.cassette.json text eol=lf diff=${DIFF_DRIVER} merge=binary`;

/** Hunk headers: the request line of the interaction block a change is in. */
export const XFUNCNAME = '^([A-Z]+ [a-z0-9.-]+ /.*)$';

/** The textconv text of `file`: the semantic view, or the text as it is when it is not a cassette. */
export function textconv(file: string): string {
  const text = readFileSync(file, 'utf8');
  try {
    const cassette = codecLib().parseCassette(text, file);
    return (require('../cassette/describe') as typeof DescribeModule).formatSemantic(cassette);
  } catch (err) {
    if (err instanceof MirraError && err.code === 'MIRRA_ERR_INVALID_CASSETTE') return text;
    throw err;
  }
}

/** Configures the diff driver in the repository around the current directory; returns what it did. */
export function gitSetup(command: string): string[] {
  const top = git(['rev-parse', '--show-toplevel'], 'git-setup').trim();
  const done: string[] = [];
  const attributes = join(top, '.gitattributes');
  const current = existsSync(attributes) ? readFileSync(attributes, 'utf8') : '';
  if (current.split('\n').some((line) => !line.trimStart().startsWith('#') && line.includes(`diff=${DIFF_DRIVER}`))) {
    done.push(`${attributes} already names diff=${DIFF_DRIVER}`);
  } else {
    const sep = current === '' || current.endsWith('\n') ? '' : '\n';
    writeFileSync(attributes, `${current}${sep}# mirra cassettes: LF, a semantic diff (mirra cassettes git-setup), no line merges (re-record instead)\n${GITATTRIBUTES_LINE}\n`);
    done.push(`added to ${attributes}: ${GITATTRIBUTES_LINE}`);
  }
  const textconvCommand = `${command} cassettes textconv`;
  git(['config', `diff.${DIFF_DRIVER}.textconv`, textconvCommand], 'git-setup');
  git(['config', `diff.${DIFF_DRIVER}.xfuncname`, XFUNCNAME], 'git-setup');
  done.push(`git config diff.${DIFF_DRIVER}.textconv "${textconvCommand}"`, `git config diff.${DIFF_DRIVER}.xfuncname '${XFUNCNAME}'`);
  return done;
}

/** `mirra cassettes textconv FILE`. */
export const textconvCommand: CommandModule<object, { file: string }> = {
  command: 'textconv <file>',
  describe: 'Print a cassette file as semantic text, one block per interaction (the git textconv of `mirra cassettes git-setup`)',
  builder: (y) => y.positional('file', { type: 'string', demandOption: true }) as never,
  // Async, so that an error reaches the CLI's failure handler (exit 2, one line) instead of escaping yargs.
  handler: async (argv) => {
    process.stdout.write(textconv(argv.file));
  },
};

/** `mirra cassettes git-setup [--command CMD]`. */
export const gitSetupCommand: CommandModule<object, { command: string }> = {
  command: 'git-setup',
  describe: 'Make `git diff` show cassettes as semantic diffs: a .gitattributes line and the diff driver in git config (once per clone)',
  builder: (y) => y.option('command', { type: 'string', default: 'npx --no-install mirra', describe: 'How git runs mirra' }) as never,
  handler: async (argv) => {
    process.stdout.write(gitSetup(argv.command).join('\n') + '\n');
  },
};
