/**
 * `mirra cassettes list|show|diff|recover|lint|import|export|textconv|git-setup`: look at
 * cassettes, compare two of them (or one, or all, with a git revision of their files)
 * semantically, write the text form of a recording that was cut short (the working store kept
 * every answered interaction), check them for secrets, import other tools' recordings, export as
 * HAR, and make `git diff` show them semantically (one file per command: cassettes-*.ts). Each
 * subcommand handler is async, so any error reaches the CLI's failure handler: one
 * `mirra: MIRRA_ERR_* …` line and exit 2, never a stack trace.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import type * as DescribeModule from '../cassette/describe';
import type { RecordingStore } from '../record/recording-store';
import type * as RecordingStoreModule from '../record/recording-store';
import type * as TextFormModule from '../record/text-form';
import type * as LmdbStoreModule from '../store/lmdb-store';
import { realTime } from '../clock';
import { MirraError } from '../errors';
import { diffCommand } from './cassettes-diff';
import { exportCommand } from './cassettes-export';
import { importCommand } from './cassettes-import';
import { lintCommand } from './cassettes-lint';
import { gitSetupCommand, textconvCommand } from './cassettes-textconv';
import { codecLib, resolveOperand, withDirs, type CassetteDirs } from './cassettes-operands';
import { cassettesDirOption } from './options';

export { runDiff, type DiffOutput } from './cassettes-diff';
export { fromGit, resolveOperand, type CassetteDirs, type LoadedCassette } from './cassettes-operands';

// What the subcommands run is required when they run (see main.ts).
const describeLib = () => require('../cassette/describe') as typeof DescribeModule;

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
      // Named by its file: a copied cassette keeps the name inside, and two lines would read alike.
      const cassette = loadCassette(dirs.cassettesDir, name);
      const line = describeLib().headline({ ...cassette, name });
      return cassette.name === name ? line : `${line}; the name inside is ${cassette.name}`;
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
  describe: 'Show a cassette (name, file or REV:PATH): summary, flat (one `#n` fact per line), semantic (blocks per request; the git textconv) or json',
  builder: (y) =>
    withDirs(y)
      .positional('cassette', { type: 'string', demandOption: true })
      .option('format', { type: 'string', default: 'summary', choices: ['summary', 'flat', 'semantic', 'json'] })
      .option('timing', { type: 'boolean', default: false, describe: 'Also show exact durations from the working store' }) as never,
  handler: async (argv) => {
    const { cassette } = resolveOperand(argv.cassette, argv);
    if (argv.format === 'json') process.stdout.write(JSON.stringify(cassette, null, 2) + '\n');
    else if (argv.format === 'semantic') process.stdout.write(describeLib().formatSemantic(cassette));
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

const recover: CommandModule<object, RecoverArgs> = {
  command: 'recover <cassette>',
  describe: 'Write the cassette file of a recording that was cut short, from the working store',
  builder: (y) => withDirs(y).positional('cassette', { type: 'string', demandOption: true }) as never,
  handler: async (argv) => {
    const { writeTextForm } = require('../record/text-form') as typeof TextFormModule;
    const written = await withRecordings(argv.dataDir, (r) => {
      if (!r.meta(argv.cassette)) throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `no recording of ${argv.cassette} in ${argv.dataDir}`, '`mirra cassettes list` names the unfinished recordings; pass the --data-dir the recording used (default .mirra)');
      return writeTextForm(r, argv.cassette, argv.cassettesDir, realTime.now());
    });
    if (!written) throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `no recording of ${argv.cassette}: ${argv.dataDir} holds no working store`, 'pass the --data-dir the recording used (default .mirra)');
    const n = describeLib().countsOf(written.cassette);
    process.stdout.write(`wrote ${written.file} (${n.interactions} interactions, ${n.callbacks} callbacks)\n`);
  },
};

/** `mirra cassettes list|show|diff|recover|lint|import|export|textconv|git-setup`. */
export const cassettesCommand: CommandModule<object, object> = {
  command: 'cassettes <command>',
  describe: 'List, show, diff, recover, lint, import and export cassettes; set up git diffs of them',
  builder: (y) => y.option('cassettes-dir', cassettesDirOption).command(list).command(show).command(diffCommand).command(recover).command(lintCommand).command(importCommand).command(exportCommand).command(textconvCommand).command(gitSetupCommand).demandCommand(1) as never,
  handler: () => undefined,
};
