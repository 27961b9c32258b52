/**
 * `mirra record --cassette NAME [--record once|new|none|all] [-- CMD ARGS...]`: records what an
 * app does against Twilio (or `--upstream`) into a cassette — or, by the record mode
 * (src/record/modes.ts), answers from the cassette it already has and records only what it lacks,
 * or nothing. Without a command it runs until SIGINT/SIGTERM; with one, it runs the command with
 * the recorder's environment, waits for late callbacks, writes the cassette and exits with the
 * command's status. A live count goes to stderr, and at the end a summary of the interactions
 * recorded new and the recorded ones not used.
 */
import type { CommandModule } from 'yargs';
import { DEFAULT_RECORD_MODE, RECORD_MODES, type RecordMode } from '../record/modes';
import type { RunningRecorder } from '../mirror/start-recorder';
import type * as StartRecorderModule from '../mirror/start-recorder';
import { describeCounts, ProgressLine, recordSummary } from '../record/progress';
import { toShell } from '../server/env';
import { caDirOption, cassettesDirOption, checkDataDir, portOption } from './options';
import { runCommand } from './replay';
import { removeRunInfo, writeRunInfo } from './run-file';
import { envCommandLine, onShutdown } from './up';
import { MirraError } from '../errors';

/** Parsed flags of `mirra record`. */
export interface RecordArgs {
  cassette: string;
  port: number;
  host: string;
  upstream?: string;
  publicUrl?: string;
  dataDir: string;
  caDir?: string;
  cassettesDir: string;
  upstreamTimeout: number;
  callbackWait?: number;
  authToken?: string;
  overwrite: boolean;
  record: RecordMode;
  '--'?: string[];
}

function checkUrl(flag: string, value: string | undefined): void {
  if (value === undefined || value === 'self') return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new MirraError('MIRRA_ERR_BAD_OPTION', `--${flag} ${value} is not a URL`, `give --${flag} an http(s) URL, e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MirraError('MIRRA_ERR_BAD_OPTION', `--${flag} ${value} is not an http(s) URL`, `give --${flag} an http(s) URL, e.g. http://127.0.0.1:8080`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function finish(rec: RunningRecorder, progress: ProgressLine, dataDir: string): Promise<void> {
  removeRunInfo(dataDir);
  const result = await rec.stop();
  progress.done();
  const { file, cassette } = result;
  const callbacks = cassette.interactions.reduce((n, i) => n + i.callbacks.length, 0);
  process.stderr.write(
    result.written
      ? `mirra record: wrote ${file} (${cassette.interactions.length} interactions, ${callbacks} callbacks)\n`
      : `mirra record: left ${file} as it was (${cassette.interactions.length} interactions, ${callbacks} callbacks; --record ${rec.plan.mode})\n`,
  );
  process.stderr.write(recordSummary(rec, result));
}

/** What the run will do, in one line. */
function planLine(rec: RunningRecorder, where: string): string {
  const name = rec.recorder.meta.name;
  const n = rec.base?.interactions.length ?? 0;
  switch (rec.plan.write) {
    case 'overwrite':
      return `mirra record: recording ${name} at ${rec.url} → ${where}; cassette: ${rec.file} (--record ${rec.plan.mode})`;
    case 'append':
      return `mirra record: answering from ${rec.file} (${n} interactions) at ${rec.url}; recording what it lacks → ${where} (--record new)`;
    case 'keep':
      return `mirra record: answering from ${rec.file} (${n} interactions) at ${rec.url}; nothing is forwarded or recorded (--record ${rec.plan.mode}; --record new records what it lacks, --record all re-records)`;
  }
}

/** `mirra record`. */
export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record',
  describe: 'Record an app\'s Twilio traffic (and callbacks) into a cassette; with `-- CMD`, record while CMD runs',
  builder: (y) =>
    y
      .option('cassette', { type: 'string', demandOption: true, describe: 'Cassette name: written to <cassettes-dir>/NAME.cassette.json' })
      .option('port', portOption(4010, 'Port to listen on (0 picks a free one; the default with a command)'))
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on' })
      .option('upstream', { type: 'string', describe: 'Send every request to this base URL instead of Twilio\'s hosts' })
      .option('public-url', { type: 'string', describe: 'Public URL of a tunnel to this recorder: capture Twilio\'s callbacks (`self`: this address)' })
      .option('data-dir', { type: 'string', default: '.mirra', describe: 'Working store (LMDB)' })
      .option('ca-dir', caDirOption)
      .option('cassettes-dir', cassettesDirOption)
      .option('upstream-timeout', { type: 'number', default: 30000, describe: 'Milliseconds of upstream silence recorded as a timeout' })
      .option('callback-wait', { type: 'number', describe: 'With a command: milliseconds to wait for late callbacks after it exits (default 3000 with --public-url, else 0)' })
      .option('auth-token', { type: 'string', describe: 'Auth token to check callbacks with when the app authenticates with an API key (never stored)' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'Discard an unfinished (crashed) recording of the same name' })
      .option('record', {
        type: 'string',
        choices: RECORD_MODES,
        default: DEFAULT_RECORD_MODE,
        describe: 'once: record if the cassette is missing, else answer from it; new: answer from it and record what it lacks; none: answer from it only; all: re-record everything',
      })
      .example('$0 record --cassette signup -- npm test', 'record a test run through HTTP_PROXY')
      .example('$0 record --cassette signup --public-url https://abc.ngrok.app', 'also capture status callbacks through a tunnel')
      .example('$0 record --cassette signup --record new -- npm test', 'record only the requests the cassette lacks, appending them')
      .example('$0 record --cassette signup --record all -- npm test', 're-record the whole cassette') as never,
  handler: async (argv) => {
    checkDataDir(argv.dataDir);
    checkUrl('upstream', argv.upstream);
    checkUrl('public-url', argv.publicUrl);
    const cmd = argv['--'] ?? [];
    const explicitPort = process.argv.some((a) => a === '--port' || a.startsWith('--port='));
    const { startRecorder } = require('../mirror/start-recorder') as typeof StartRecorderModule;
    const rec = await startRecorder({
      cassette: argv.cassette,
      port: cmd.length > 0 && !explicitPort ? 0 : argv.port,
      host: argv.host,
      upstream: argv.upstream,
      publicUrl: argv.publicUrl,
      dataDir: argv.dataDir,
      caDir: argv.caDir,
      cassettesDir: argv.cassettesDir,
      upstreamTimeoutMs: argv.upstreamTimeout,
      authToken: argv.authToken ?? process.env.MIRRA_RECORD_AUTH_TOKEN,
      overwrite: argv.overwrite,
      mode: argv.record,
    });
    const progress = new ProgressLine(process.stderr);
    rec.recorder.on('progress', (counts) => progress.show(describeCounts(argv.cassette, counts, rec.plan)));
    rec.recorder.on('note', (message: string) => progress.note(message));
    writeRunInfo(argv.dataDir, { url: rec.url, pid: process.pid, token: rec.env.MIRRA_TOKEN });
    const where = argv.upstream ? `upstream ${argv.upstream}` : "Twilio's hosts";
    process.stderr.write(`${planLine(rec, where)}\n`);
    if (rec.plan.forward) {
      process.stderr.write(
        rec.recorder.meta.publicUrl
          ? `mirra record: StatusCallback URLs are captured at ${rec.recorder.meta.publicUrl}/_mirra/record/callbacks/… and forwarded to the app\n`
          : 'mirra record: callbacks are NOT captured (no --public-url); on replay the emulator will synthesise them\n',
      );
    }
    if (rec.plan.write === 'append' && (rec.base?.callbacks === 'recorded') !== !!rec.recorder.meta.publicUrl) {
      process.stderr.write(
        rec.base?.callbacks === 'recorded'
          ? 'mirra record: the cassette holds recorded callbacks but this run captures none (no --public-url): its new interactions will have no callbacks on replay\n'
          : 'mirra record: the cassette leaves callbacks to the emulator ("synthesised"); callbacks captured now are kept but replay keeps synthesising\n',
      );
    }
    if (cmd.length === 0) {
      process.stdout.write(`# mirra is recording at ${rec.url}\n# eval "$(${envCommandLine(argv.dataDir)})" in another shell, or paste:\n${toShell({ ...rec.env })}\n`);
      onShutdown(() => finish(rec, progress, argv.dataDir));
      return;
    }
    const status = await runCommand(cmd, { ...rec.env });
    const wait = argv.callbackWait ?? (rec.recorder.meta.publicUrl ? 3000 : 0);
    if (wait > 0) await sleep(wait);
    await finish(rec, progress, argv.dataDir);
    process.exit(status);
  },
};
