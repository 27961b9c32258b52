/**
 * `mirra cassettes diff`: the semantic diff of two cassettes, of one cassette against a git
 * revision of its own file, or of every cassette against a revision (`--rev` alone: the review of
 * a pull request). A cassette added or deleted since the revision is a normal diff — all its
 * interactions added or removed. Exit status as diff(1): 0 no difference, 1 differences,
 * 2 an error (one `mirra: MIRRA_ERR_* …` line with its fix, from the CLI's failure handler).
 */
import { existsSync } from 'node:fs';
import { normalize } from 'node:path';
import type { CommandModule } from 'yargs';
import type * as DiffModule from '../cassette/diff';
import type * as DiffFormatModule from '../cassette/diff-format';
import type { CassetteDiff } from '../cassette/diff';
import type { Cassette } from '../cassette/types';
import { MirraError } from '../errors';
import { gitPath, listAtRevision, readAtRevision } from './cassettes-git';
import { codecLib, operandFile, resolveOperand, withDirs, type CassetteDirs, type LoadedCassette } from './cassettes-operands';

/** Output of a diff and whether anything differs. */
export interface DiffOutput {
  text: string;
  differs: boolean;
}

/** The output formats of `cassettes diff`. */
export type DiffFormat = 'text' | 'markdown' | 'json';

/** One cassette compared: its diff and the labels of its two sides. */
interface Compared {
  diff: CassetteDiff;
  labels: { a: string; b: string };
}

/** A cassette with no interactions, standing for the side where `other` does not exist. */
function absent(other: Cassette): Cassette {
  // Same name, callbacks mode and match rules, so the diff shows the interactions and nothing else.
  return { ...other, interactions: [] };
}

/** Compares the working-tree `file` with its version at `rev`; either side may be absent, not both. */
function compareWithRevision(file: string, rev: string, checked = false): Compared {
  const { parseCassette, readCassetteFile } = codecLib();
  const path = gitPath(file);
  const oldText = readAtRevision(rev, file, checked);
  const before = oldText === undefined ? undefined : parseCassette(oldText, `${rev}:${path}`);
  const after = existsSync(file) ? readCassetteFile(file) : undefined;
  if (!before && !after) throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `${path} exists neither in the working tree nor at ${rev}`);
  return compare(
    { cassette: before ?? absent(after!), label: before ? `${rev}:${path}` : `${rev}:${path} (absent)` },
    { cassette: after ?? absent(before!), label: after ? path : `${path} (deleted)` },
  );
}

function compare(left: LoadedCassette, right: LoadedCassette): Compared {
  const { diffCassettes } = require('../cassette/diff') as typeof DiffModule;
  return { diff: diffCassettes(left.cassette, right.cassette), labels: { a: left.label, b: right.label } };
}

function render(c: Compared, format: DiffFormat): string {
  const { formatDiffMarkdown, formatDiffText } = require('../cassette/diff-format') as typeof DiffFormatModule;
  if (format === 'json') return JSON.stringify({ ...c.labels, ...c.diff }, null, 2) + '\n';
  return format === 'markdown' ? formatDiffMarkdown(c.diff, c.labels) : formatDiffText(c.diff, c.labels);
}

function differs(c: Compared): boolean {
  return !(require('../cassette/diff') as typeof DiffModule).isEmptyDiff(c.diff);
}

/** Every cassette under `cassettesDir` in the working tree or at `rev`, compared; only those that differ are shown. */
function diffAll(rev: string, dirs: CassetteDirs, format: DiffFormat): DiffOutput {
  const { CASSETTE_SUFFIX, cassettePath, listCassetteNames } = codecLib();
  const inTree = listCassetteNames(dirs.cassettesDir).map((name) => normalize(gitPath(cassettePath(dirs.cassettesDir, name))));
  const atRev = listAtRevision(rev, dirs.cassettesDir, CASSETTE_SUFFIX).map((p) => normalize(p));
  const files = [...new Set([...inTree, ...atRev])].sort();
  const changed = files.map((file) => compareWithRevision(file, rev, true)).filter(differs);
  if (format === 'json') return { text: JSON.stringify(changed.map((c) => ({ ...c.labels, ...c.diff })), null, 2) + '\n', differs: changed.length > 0 };
  if (changed.length === 0) {
    const text = `no differences in ${files.length} cassette${files.length === 1 ? '' : 's'} (${gitPath(dirs.cassettesDir)}) since ${rev}\n`;
    return { text: format === 'markdown' ? `No cassette differences since \`${rev}\` (${files.length} cassette${files.length === 1 ? '' : 's'}).\n` : text, differs: false };
  }
  return { text: changed.map((c) => render(c, format)).join('\n'), differs: true };
}

/**
 * Runs `mirra cassettes diff` without touching the process (for tests and the command): `a` and
 * `b` are names, files or `REV:PATH`; with `rev`, `a` alone is compared with that revision of its
 * file, and no `a` compares every cassette.
 */
export function runDiff(a: string | undefined, b: string | undefined, opts: CassetteDirs & { rev?: string; format: string }): DiffOutput {
  const format = (opts.format === 'markdown' || opts.format === 'json' ? opts.format : 'text') as DiffFormat;
  let compared: Compared;
  if (opts.rev !== undefined) {
    if (a === undefined) return diffAll(opts.rev, opts, format);
    compared = compareWithRevision(operandFile(a, opts), opts.rev);
  } else {
    compared = compare(resolveOperand(a!, opts), resolveOperand(b!, opts));
  }
  return { text: render(compared, format), differs: differs(compared) };
}

type DiffArgs = CassetteDirs & { a?: string; b?: string; rev?: string; format: string };

/** `mirra cassettes diff [a] [b] [--rev REV]`. */
export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff [a] [b]',
  describe: 'Semantic diff of two cassettes (names, files or REV:PATH), of one against --rev, or of every cassette against --rev; exits 0 same, 1 different, 2 error',
  builder: (y) =>
    withDirs(y)
      .positional('a', { type: 'string', describe: 'A cassette (name, file or REV:PATH); with --rev and no cassette: every cassette' })
      .positional('b', { type: 'string', describe: 'The cassette to compare it with (not with --rev)' })
      .option('rev', { type: 'string', describe: 'Compare with this git revision of the same files (e.g. HEAD, origin/main)' })
      .option('format', { type: 'string', default: 'text', choices: ['text', 'markdown', 'json'] })
      .check((argv) => {
        if (argv.rev !== undefined && argv.b !== undefined) return 'Give one cassette with --rev (it is compared with that revision of its own file), or none to compare them all.';
        if (argv.rev === undefined && (argv.a === undefined || argv.b === undefined)) return 'Give two cassettes (names, files or REV:PATH), or one or none with --rev REV.';
        return true;
      }) as never,
  // Async, so that an error reaches the CLI's failure handler (exit 2, one line) instead of escaping yargs.
  handler: async (argv) => {
    const out = runDiff(argv.a, argv.b, argv);
    process.stdout.write(out.text);
    process.exitCode = out.differs ? 1 : 0;
  },
};
