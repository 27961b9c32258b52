/**
 * `mirra record --cassette NAME [-- CMD ARGS...]`: records what an app does against Twilio (or
 * `--upstream`) into a cassette. Without a command it records until SIGINT/SIGTERM; with one, it
 * runs the command with the recorder's environment, waits for late callbacks, writes the cassette
 * and exits with the command's status. A live count of interactions and callbacks goes to stderr.
 */
import type { CommandModule } from 'yargs';
import { startRecorder, type RunningRecorder } from '../record/server';
import { ProgressLine } from '../record/progress';
import { toShell } from '../server/env';
import { runCommand } from './replay';
import { removeRunInfo, writeRunInfo } from './run-file';
import { onShutdown } from './up';

/** Parsed flags of `mirra record`. */
export interface RecordArgs {
  cassette: string;
  port: number;
  host: string;
  upstream?: string;
  publicUrl?: string;
  dataDir: string;
  cassettesDir: string;
  upstreamTimeout: number;
  callbackWait?: number;
  authToken?: string;
  overwrite: boolean;
  '--'?: string[];
}

function checkUrl(flag: string, value: string | undefined): void {
  if (value === undefined || value === 'self') return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--${flag} ${value} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--${flag} must be an http(s) URL`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function finish(rec: RunningRecorder, progress: ProgressLine, dataDir: string): Promise<void> {
  removeRunInfo(dataDir);
  const { file, cassette } = await rec.stop();
  progress.done();
  const callbacks = cassette.interactions.reduce((n, i) => n + i.callbacks.length, 0);
  process.stderr.write(`mirra record: wrote ${file} (${cassette.interactions.length} interactions, ${callbacks} callbacks)\n`);
}

/** `mirra record`. */
export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record',
  describe: 'Record an app\'s Twilio traffic (and callbacks) into a cassette; with `-- CMD`, record while CMD runs',
  builder: (y) =>
    y
      .option('cassette', { type: 'string', demandOption: true, describe: 'Cassette name: written to <cassettes-dir>/NAME.cassette.json' })
      .option('port', { type: 'number', default: 4010, describe: 'Port to listen on (0 picks a free one; the default with a command)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on' })
      .option('upstream', { type: 'string', describe: 'Send every request to this base URL instead of Twilio\'s hosts' })
      .option('public-url', { type: 'string', describe: 'Public URL of a tunnel to this recorder: capture Twilio\'s callbacks (`self`: this address)' })
      .option('data-dir', { type: 'string', default: '.mirra', describe: 'Working store (LMDB) and the CA' })
      .option('cassettes-dir', { type: 'string', default: 'cassettes', describe: 'Where cassette files go' })
      .option('upstream-timeout', { type: 'number', default: 30000, describe: 'Milliseconds of upstream silence recorded as a timeout' })
      .option('callback-wait', { type: 'number', describe: 'With a command: milliseconds to wait for late callbacks after it exits (default 3000 with --public-url, else 0)' })
      .option('auth-token', { type: 'string', describe: 'Auth token to check callbacks with when the app authenticates with an API key (never stored)' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'Discard an unfinished (crashed) recording of the same name' })
      .example('$0 record --cassette signup -- npm test', 'record a test run through HTTP_PROXY')
      .example('$0 record --cassette signup --public-url https://abc.ngrok.app', 'also capture status callbacks through a tunnel') as never,
  handler: async (argv) => {
    checkUrl('upstream', argv.upstream);
    checkUrl('public-url', argv.publicUrl);
    const cmd = argv['--'] ?? [];
    const explicitPort = process.argv.some((a) => a === '--port' || a.startsWith('--port='));
    const rec = await startRecorder({
      cassette: argv.cassette,
      port: cmd.length > 0 && !explicitPort ? 0 : argv.port,
      host: argv.host,
      upstream: argv.upstream,
      publicUrl: argv.publicUrl,
      dataDir: argv.dataDir,
      cassettesDir: argv.cassettesDir,
      upstreamTimeoutMs: argv.upstreamTimeout,
      authToken: argv.authToken ?? process.env.MIRRA_RECORD_AUTH_TOKEN,
      overwrite: argv.overwrite,
    });
    const progress = new ProgressLine(process.stderr, argv.cassette);
    rec.recorder.on('progress', (counts) => progress.update(counts));
    rec.recorder.on('note', (message: string) => progress.note(message, rec.recorder.counts));
    writeRunInfo(argv.dataDir, { url: rec.url, pid: process.pid });
    const where = argv.upstream ? `upstream ${argv.upstream}` : "Twilio's hosts";
    process.stderr.write(`mirra record: recording ${argv.cassette} at ${rec.url} → ${where}; cassette: ${rec.file}\n`);
    process.stderr.write(
      rec.recorder.meta.publicUrl
        ? `mirra record: StatusCallback URLs are captured at ${rec.recorder.meta.publicUrl}/_mirra/record/callbacks/… and forwarded to the app\n`
        : 'mirra record: callbacks are NOT captured (no --public-url); on replay the emulator will synthesise them\n',
    );
    if (cmd.length === 0) {
      process.stdout.write(`# mirra is recording at ${rec.url}\n# eval "$(npx mirra env)" in another shell, or paste:\n${toShell({ ...rec.env })}\n`);
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
