/**
 * `mirra up`: runs the mirror until SIGINT/SIGTERM, printing the environment that routes an
 * unchanged SDK to it.
 */
import type { CommandModule } from 'yargs';
import { createMirror } from '../server/mirror';
import { toShell } from '../server/env';
import { toMirrorOptions, withMirrorFlags, type MirrorFlags } from './options';
import { removeRunInfo, writeRunInfo } from './run-file';

/** Stops `close` once on the first SIGINT/SIGTERM, then exits. */
export function onShutdown(close: () => Promise<void>, exitCode: () => number = () => 0): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    close().then(
      () => process.exit(exitCode()),
      (err) => {
        process.stderr.write(`mirra: error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export const upCommand: CommandModule<object, MirrorFlags> = {
  command: 'up',
  describe: 'Run the Twilio mirror (stateful emulator) until stopped',
  builder: (y) => withMirrorFlags(y, 4010),
  handler: async (argv) => {
    const mirror = await createMirror(toMirrorOptions(argv));
    const url = await mirror.listen();
    writeRunInfo(mirror.options.dataDir, { url, pid: process.pid });
    onShutdown(async () => {
      removeRunInfo(mirror.options.dataDir);
      await mirror.close();
    });
    const seed = mirror.ctx.sessions.require(mirror.options.defaultSessionId).seed.name;
    process.stdout.write(
      `# mirra is up at ${url} (seed: ${seed}). In another shell: eval "$(npx mirra env)", or paste:\n${toShell({ ...mirror.env() })}\n`,
    );
  },
};
