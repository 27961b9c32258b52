/**
 * `mirra replay [--cassette NAME [--strict]] [-- CMD ARGS...]`: like `mirra up`, serving recorded
 * answers from a cassette first; with a command, starts the mirror, runs the command with the
 * mirror's environment, prints what the cassette served, stops the mirror and exits with the
 * command's status. Every run is a fresh mirror (issue #15): its state lives in memory, so it
 * starts from its seed and an unserved cassette whatever an earlier run left; `--resume` keeps
 * the state in the data dir instead and carries on from the last run. While it runs, a live line on stderr counts what the cassette served, the
 * misses and the callbacks fired again (src/record/progress.ts, shared with `mirra record`).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { CommandModule } from 'yargs';
import { describeReplayCounts, formatReplaySummary, ProgressLine, type ProgressOptions, type ProgressOutput } from '../record/progress';
import type { Mirror } from '../mirror/create-mirror';
import type * as MirrorModule from '../mirror/create-mirror';
import { cassettesDirOption, toMirrorOptions, withMirrorFlags, type MirrorFlags } from './options';
import { bannerEnv, onShutdown, seedNote } from './up';
import { removeRunInfo, writeRunInfo } from './run-file';
import { MirraError } from '../errors';

/** Runs `cmd` with `env` added; resolves with its exit status (128+signal when killed). */
export function runCommand(cmd: string[], env: Record<string, string | undefined>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      process.stderr.write(`mirra: cannot run ${cmd[0]}: ${err.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 1) : 1));
    });
  });
}

/** Flags of `mirra replay` beyond the shared ones. */
export interface ReplayFlags {
  cassette?: string;
  cassettesDir: string;
  strict: boolean;
  resume: boolean;
  '--'?: string[];
}

/** What the cassette served the default session, for the end of a run (stderr). */
export function replayReport(mirror: Mirror): string {
  if (!mirror.replay) return '';
  const s = mirror.replay.summary();
  return formatReplaySummary({ ...s, misses: s.unmatched });
}

/**
 * The live line of a replay: the default session's counts, shown as they change. Undefined when
 * the mirror replays no cassette. `done()` it before the summary.
 */
export function watchReplay(mirror: Mirror, out: ProgressOutput, opts?: ProgressOptions): ProgressLine | undefined {
  const replay = mirror.replay;
  if (!replay) return undefined;
  const line = new ProgressLine(out, opts);
  const id = mirror.options.defaultSessionId;
  replay.onProgress((sessionId, counts) => {
    if (sessionId === id) line.show(describeReplayCounts(replay.cassette, counts));
  });
  return line;
}

export const replayCommand: CommandModule<object, MirrorFlags & ReplayFlags> = {
  command: 'replay',
  describe: 'Run the mirror (serving a cassette with --cassette); with `-- CMD ARGS...`, run CMD against it and exit with its status',
  builder: (y) =>
    withMirrorFlags(y, 4010)
      .option('cassette', { type: 'string', describe: 'Serve recorded answers from <cassettes-dir>/NAME.cassette.json (or a path) before emulating' })
      .option('cassettes-dir', cassettesDirOption)
      .option('strict', { type: 'boolean', default: false, describe: 'Answer requests no recording matches with MIRRA_ERR_NO_RECORDING (400) instead of emulating them' })
      .option('resume', {
        type: 'boolean',
        default: false,
        describe: "Carry on from the last run's state in --data-dir (default: every run starts fresh from its seed and an unserved cassette)",
      })
      .check((a) => {
        if (a.strict && !a.cassette) throw new MirraError('MIRRA_ERR_BAD_OPTION', '--strict needs --cassette', 'name the cassette to answer from: --cassette NAME');
        if (a.resume && a.ephemeral) throw new MirraError('MIRRA_ERR_BAD_OPTION', '--resume carries on from the state in --data-dir, which --ephemeral never writes', 'drop one of them');
        return true;
      })
      .example('$0 replay --seed twilio:verified-numbers -- npm test', 'run a test suite against a fresh mirror')
      .example('$0 replay --cassette signup --strict -- npm test', 'run a test suite against recorded answers only')
      .example('$0 replay --resume -- npm test', "carry on from the last run's state in .mirra") as never,
  handler: async (argv) => {
    const cmd = argv['--'] ?? [];
    // A fresh mirror: the run's state stays in memory unless the user asks to resume the last one.
    const options = { ...toMirrorOptions(argv), ephemeral: argv.ephemeral || !argv.resume, cassette: argv.cassette, cassettesDir: argv.cassettesDir, strict: argv.strict };
    // With a command, pick a free port unless one was given, so parallel CI jobs never collide.
    if (cmd.length > 0 && !process.argv.some((a) => a === '--port' || a.startsWith('--port='))) options.port = 0;
    const { createMirror } = require('../mirror/create-mirror') as typeof MirrorModule;
    const mirror = await createMirror(options);
    const url = await mirror.listen();
    process.stderr.write(seedNote(mirror, argv.seed));
    const progress = watchReplay(mirror, process.stderr);
    if (cmd.length === 0) {
      writeRunInfo(mirror.options.dataDir, { url, pid: process.pid, token: mirror.options.token ?? undefined });
      onShutdown(async () => {
        removeRunInfo(mirror.options.dataDir);
        progress?.done();
        process.stderr.write(replayReport(mirror));
        await mirror.close();
      });
      process.stdout.write(`# mirra is up at ${url}\n${bannerEnv(mirror)}\n`);
      return;
    }
    const status = await runCommand(cmd, { ...mirror.env() });
    progress?.done();
    process.stderr.write(replayReport(mirror));
    await mirror.close();
    process.exit(status);
  },
};
