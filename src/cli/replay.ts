/**
 * `mirra replay [-- CMD ARGS...]`: like `mirra up`; with a command, starts the mirror, runs the
 * command with the mirror's environment, stops the mirror and exits with the command's status.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { CommandModule } from 'yargs';
import { createMirror } from '../server/mirror';
import { toShell } from '../server/env';
import { toMirrorOptions, withMirrorFlags, type MirrorFlags } from './options';
import { onShutdown } from './up';
import { removeRunInfo, writeRunInfo } from './run-file';

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

export const replayCommand: CommandModule<object, MirrorFlags & { '--'?: string[] }> = {
  command: 'replay',
  describe: 'Run the mirror; with `-- CMD ARGS...`, run CMD against it and exit with its status',
  builder: (y) =>
    withMirrorFlags(y, 4010).example('$0 replay --seed twilio:verified-numbers -- npm test', 'run a test suite against a fresh mirror'),
  handler: async (argv) => {
    const cmd = argv['--'] ?? [];
    const options = toMirrorOptions(argv);
    // With a command, pick a free port unless one was given, so parallel CI jobs never collide.
    if (cmd.length > 0 && !process.argv.some((a) => a === '--port' || a.startsWith('--port='))) options.port = 0;
    const mirror = await createMirror(options);
    const url = await mirror.listen();
    if (cmd.length === 0) {
      writeRunInfo(mirror.options.dataDir, { url, pid: process.pid });
      onShutdown(async () => {
        removeRunInfo(mirror.options.dataDir);
        await mirror.close();
      });
      process.stdout.write(`# mirra is up at ${url}\n${toShell({ ...mirror.env() })}\n`);
      return;
    }
    const status = await runCommand(cmd, { ...mirror.env() });
    await mirror.close();
    process.exit(status);
  },
};
