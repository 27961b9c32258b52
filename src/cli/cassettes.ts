/**
 * `mirra cassettes list|show|diff|recover`: look at cassettes, compare two of them (or one with a
 * git revision of its file) semantically, and write the text form of a recording that was cut
 * short (the working store kept every answered interaction).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type * as CodecModule from '../cassette/codec';
import type * as DescribeModule from '../cassette/describe';
import type * as DiffModule from '../cassette/diff';
import type * as DiffFormatModule from '../cassette/diff-format';
import type * as LintModule from '../cassette/lint';
import type { Cassette } from '../cassette/types';
import type { RecordingStore } from '../record/recording-store';
import type * as RecordingStoreModule from '../record/recording-store';
import type * as TextFormModule from '../record/text-form';
import type * as LmdbStoreModule from '../store/lmdb-store';
import { realTime } from '../clock';

// What the subcommands run is required when they run (see main.ts).
const codecLib = () => require('../cassette/codec') as typeof CodecModule;
const describeLib = () => require('../cassette/describe') as typeof DescribeModule;

/** Where cassettes and the working store are. */
export interface CassetteDirs {
  cassettesDir: string;
  dataDir: string;
}

/** A cassette read for display or diff, with the label to show for it. */
export interface LoadedCassette {
  cassette: Cassette;
  label: string;
}

/**
 * Resolves a command-line operand: an existing file; `REV:PATH` (a git revision of a file); or a
 * cassette name under `cassettesDir`.
 */
export function resolveOperand(operand: string, dirs: CassetteDirs): LoadedCassette {
  const { cassettePath, loadCassette, readCassetteFile } = codecLib();
  if (existsSync(operand) && statSync(operand).isFile()) return { cassette: readCassetteFile(operand), label: operand };
  const rev = /^([^:]+):(.+)$/.exec(operand);
  if (rev) return fromGit(rev[1], rev[2]);
  const file = cassettePath(dirs.cassettesDir, operand);
  return { cassette: loadCassette(dirs.cassettesDir, operand), label: file };
}

/** Cassette `file` as of git revision `rev` (path relative to the current directory). */
export function fromGit(rev: string, file: string): LoadedCassette {
  const path = file.startsWith('/') ? relative(process.cwd(), file) : file;
  let text: string;
  try {
    text = execFileSync('git', ['show', `${rev}:./${path}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`cannot read ${path} at ${rev} from git${stderr ? `: ${stderr}` : ''}`);
  }
  const label = `${rev}:${path}`;
  return { cassette: codecLib().parseCassette(text, label), label };
}

/** Output of a diff and whether anything differs. */
export interface DiffOutput {
  text: string;
  differs: boolean;
}

/** Runs `mirra cassettes diff` without touching the process (for tests and the command). */
export function runDiff(a: string, b: string | undefined, opts: CassetteDirs & { rev?: string; format: string }): DiffOutput {
  let left: LoadedCassette;
  let right: LoadedCassette;
  if (opts.rev !== undefined) {
    if (b !== undefined) throw new Error('give one cassette with --rev (it is compared with that revision of its own file)');
    right = resolveOperand(a, opts);
    left = fromGit(opts.rev, right.label);
  } else {
    if (b === undefined) throw new Error('give two cassettes (names, files or REV:PATH), or one with --rev REV');
    left = resolveOperand(a, opts);
    right = resolveOperand(b, opts);
  }
  const { diffCassettes, isEmptyDiff } = require('../cassette/diff') as typeof DiffModule;
  const { formatDiffMarkdown, formatDiffText } = require('../cassette/diff-format') as typeof DiffFormatModule;
  const diff = diffCassettes(left.cassette, right.cassette);
  const labels = { a: left.label, b: right.label };
  const text = opts.format === 'markdown' ? formatDiffMarkdown(diff, labels) : opts.format === 'json' ? JSON.stringify(diff, null, 2) + '\n' : formatDiffText(diff, labels);
  return { text, differs: !isEmptyDiff(diff) };
}

function withDirs<T>(y: Argv<T>): Argv<T & CassetteDirs> {
  return y
    .option('cassettes-dir', { type: 'string', default: 'cassettes', describe: 'Where cassette files are' })
    .option('data-dir', { type: 'string', default: '.mirra', describe: 'Working store of recordings (LMDB)' }) as unknown as Argv<T & CassetteDirs>;
}

/** Opens the working store only when it exists (listing must not create one). */
async function withRecordings<R>(dataDir: string, fn: (r: RecordingStore) => R): Promise<R | undefined> {
  if (!existsSync(join(dataDir, 'state.lmdb'))) return undefined;
  const { LmdbStore } = require('../store/lmdb-store') as typeof LmdbStoreModule;
  const { RecordingStore } = require('../record/recording-store') as typeof RecordingStoreModule;
  const store = new LmdbStore({ dir: dataDir });
  try {
    return fn(new RecordingStore(store));
  } finally {
    await store.close();
  }
}

/** Lines of `mirra cassettes list`. */
export async function listLines(dirs: CassetteDirs): Promise<string[]> {
  const { listCassetteNames, loadCassette } = codecLib();
  const lines = listCassetteNames(dirs.cassettesDir).map((name) => {
    try {
      return describeLib().headline(loadCassette(dirs.cassettesDir, name));
    } catch (err) {
      return `${name}: unreadable (${(err as Error).message})`;
    }
  });
  const unfinished = await withRecordings(dirs.dataDir, (r) =>
    r.list().filter((m) => m.state === 'recording').map((m) => `${m.name}: unfinished recording in ${dirs.dataDir} (${r.interactions(m.name).length} interactions) — \`mirra cassettes recover ${m.name}\``),
  );
  return [...lines, ...(unfinished ?? [])];
}

type ShowArgs = CassetteDirs & { cassette: string; format: string; timing: boolean };
type DiffArgs = CassetteDirs & { a: string; b?: string; rev?: string; format: string };
type RecoverArgs = CassetteDirs & { cassette: string };

const list: CommandModule<object, CassetteDirs> = {
  command: 'list',
  describe: 'List cassettes (and unfinished recordings)',
  builder: (y) => withDirs(y),
  handler: async (argv) => {
    const lines = await listLines(argv);
    process.stdout.write(lines.length ? lines.join('\n') + '\n' : `no cassettes in ${argv.cassettesDir}\n`);
  },
};

const show: CommandModule<object, ShowArgs> = {
  command: 'show <cassette>',
  describe: 'Show a cassette (name, file or REV:PATH): summary, flat (one fact per line; the git textconv) or json',
  builder: (y) =>
    withDirs(y)
      .positional('cassette', { type: 'string', demandOption: true })
      .option('format', { type: 'string', default: 'summary', choices: ['summary', 'flat', 'json'] })
      .option('timing', { type: 'boolean', default: false, describe: 'Also show exact durations from the working store' }) as never,
  handler: async (argv) => {
    const { cassette } = resolveOperand(argv.cassette, argv);
    if (argv.format === 'json') process.stdout.write(JSON.stringify(cassette, null, 2) + '\n');
    else process.stdout.write(argv.format === 'flat' ? describeLib().formatFlat(cassette) : describeLib().formatSummary(cassette));
    if (argv.timing) {
      // A `--record new` run holds only the interactions it appended, numbered on from the old ones.
      const lines = await withRecordings(argv.dataDir, (r) => {
        const first = r.meta(cassette.name)?.extendsSeq ?? 0;
        return r.interactions(cassette.name).map((i, n) => `#${first + n + 1} ${i.durationMs} ms`);
      });
      process.stdout.write(lines?.length ? `timing (${argv.dataDir}):\n${lines.join('\n')}\n` : `no timing for ${cassette.name} in ${argv.dataDir}\n`);
    }
  },
};

const diff: CommandModule<object, DiffArgs> = {
  command: 'diff <a> [b]',
  describe: 'Semantic diff of two cassettes (names, files or REV:PATH), or of one against --rev; exits 1 when they differ',
  builder: (y) =>
    withDirs(y)
      .positional('a', { type: 'string', demandOption: true })
      .positional('b', { type: 'string' })
      .option('rev', { type: 'string', describe: 'Compare the cassette with this git revision of its own file (e.g. HEAD, origin/main)' })
      .option('format', { type: 'string', default: 'text', choices: ['text', 'markdown', 'json'] }) as never,
  handler: (argv) => {
    const out = runDiff(argv.a, argv.b, argv);
    process.stdout.write(out.text);
    process.exitCode = out.differs ? 1 : 0;
  },
};

const recover: CommandModule<object, RecoverArgs> = {
  command: 'recover <cassette>',
  describe: 'Write the cassette file of a recording that was cut short, from the working store',
  builder: (y) => withDirs(y).positional('cassette', { type: 'string', demandOption: true }) as never,
  handler: async (argv) => {
    const { writeTextForm } = require('../record/text-form') as typeof TextFormModule;
    const written = await withRecordings(argv.dataDir, (r) => writeTextForm(r, argv.cassette, argv.cassettesDir, realTime.now()));
    if (!written) throw new Error(`no working store in ${argv.dataDir}`);
    const n = describeLib().countsOf(written.cassette);
    process.stdout.write(`wrote ${written.file} (${n.interactions} interactions, ${n.callbacks} callbacks)\n`);
  },
};

type LintArgs = CassetteDirs & { files?: string[] };

const lint: CommandModule<object, LintArgs> = {
  command: 'lint [files..]',
  describe: 'Fail (exit 1) when a cassette holds anything that looks like a secret; for pre-commit hooks',
  builder: (y) => withDirs(y).positional('files', { type: 'string', array: true, describe: 'Cassette files (default: every cassette)' }) as never,
  handler: (argv) => {
    const { cassettePath, listCassetteNames } = codecLib();
    const { lintCassetteText } = require('../cassette/lint') as typeof LintModule;
    const files = argv.files?.length ? argv.files : listCassetteNames(argv.cassettesDir).map((n) => cassettePath(argv.cassettesDir, n));
    let count = 0;
    for (const file of files) {
      for (const f of lintCassetteText(readFileSync(file, 'utf8'))) {
        count++;
        process.stdout.write(`${file}:${f.line}: ${f.rule}: ${f.excerpt}\n`);
      }
    }
    process.stdout.write(count ? `${count} possible secret(s): re-record, or replace them by hand before committing\n` : `${files.length} cassette(s) clean\n`);
    process.exitCode = count ? 1 : 0;
  },
};

/** `mirra cassettes list|show|diff|recover|lint`. */
export const cassettesCommand: CommandModule<object, object> = {
  command: 'cassettes <command>',
  describe: 'List, show, diff, recover and lint cassettes',
  builder: (y) => y.command(list).command(show).command(diff).command(recover).command(lint).demandCommand(1) as never,
  handler: () => undefined,
};
