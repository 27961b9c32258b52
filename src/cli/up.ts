/**
 * `mirra up`: runs the mirror until SIGINT/SIGTERM, printing the environment that routes an
 * unchanged SDK to it.
 */
import { relative, sep } from 'node:path';
import type { CommandModule } from 'yargs';
import type { Mirror } from '../mirror/create-mirror';
import type * as MirrorModule from '../mirror/create-mirror';
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

/**
 * The environment lines `mirra up` prints. A token the user supplied is left out: they have it
 * already, and start-up output often ends up in CI logs.
 */
export function bannerEnv(mirror: Mirror): string {
  const env: Record<string, string | undefined> = { ...mirror.env() };
  if (mirror.options.authToken) env.TWILIO_AUTH_TOKEN = undefined;
  const note = mirror.options.authToken ? '# TWILIO_AUTH_TOKEN: the one you gave (not printed)\n' : '';
  return note + toShell(env);
}

/**
 * The `mirra env` command line to give a user for this mirror, spelled as they started mirra:
 * `npx mirra` when it runs from a package's node_modules, else `node <path to bin/mirra.js>` (a
 * checkout, where `npx mirra` would first copy the package: issue #15); with `--data-dir` when
 * it is not the default, so the other shell finds the mirror (and its token) there.
 */
export function envCommandLine(dataDir: string, script = process.argv[1] ?? ''): string {
  const rel = relative(process.cwd(), script);
  const mirra = script.includes(`${sep}node_modules${sep}`) || !script ? 'npx mirra' : `node ${rel.startsWith('..') ? script : rel}`;
  const where = dataDir === '.mirra' ? '' : ` --data-dir ${/^[\w./-]+$/.test(dataDir) ? dataDir : `'${dataDir.replace(/'/g, "'\\''")}'`}`;
  return `${mirra} env${where}`;
}

/**
 * One line when an explicit `--seed` started the stored default session afresh (issue #15), so the
 * state that is gone is never a surprise; '' otherwise.
 */
export function seedNote(mirror: Mirror, seedFlag: string | undefined): string {
  const start = mirror.defaultSessionStart;
  if (start.kind !== 'reseeded') return '';
  const seed = mirror.session().seed;
  return `# --seed ${seedFlag ?? seed}: the default session in ${mirror.options.dataDir} was made from seed ${start.previousSeed}; it starts afresh from ${seed} (without --seed, the stored state resumes)\n`;
}

export const upCommand: CommandModule<object, MirrorFlags> = {
  command: 'up',
  describe: 'Run the Twilio mirror (stateful emulator) until stopped',
  builder: (y) => withMirrorFlags(y, 4010),
  handler: async (argv) => {
    const { createMirror } = require('../mirror/create-mirror') as typeof MirrorModule;
    const mirror = await createMirror(toMirrorOptions(argv));
    const url = await mirror.listen();
    writeRunInfo(mirror.options.dataDir, { url, pid: process.pid, token: mirror.options.token ?? undefined });
    onShutdown(async () => {
      removeRunInfo(mirror.options.dataDir);
      await mirror.close();
    });
    const seed = mirror.session().seed;
    const inspector = `${url}/_mirra/${mirror.options.token ? `?token=${mirror.options.token}` : ''}`;
    process.stdout.write(
      `# mirra is up at ${url} (seed: ${seed}); inspector: ${inspector}\n${seedNote(mirror, argv.seed)}# In another shell: eval "$(${envCommandLine(mirror.options.dataDir)})", or paste:\n${bannerEnv(mirror)}\n`,
    );
  },
};
