/**
 * `mirra cassettes export --to har NAME|FILE [--out F] [--start ISO]`: a cassette as HAR 1.2, to
 * open a recording in browser dev tools or a HAR viewer (src/cassette/export-har.ts). Written to
 * stdout, or to `--out`. Times count from `--start` (a cassette keeps offsets only), by default a
 * fixed instant, so the same cassette always exports to the same bytes.
 */
import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import type * as ExportModule from '../cassette/export-har';
import { resolveOperand, withDirs, type CassetteDirs } from './cassettes-operands';

/** Where exported times start when `--start` is not given. */
export const DEFAULT_EXPORT_START = '2000-01-01T00:00:00.000Z';

/** mirra's version, for the HAR's `creator` (the package file is two folders up from src/cli and dist/cli). */
function version(): string {
  try {
    return String((require('../../package.json') as { version?: unknown }).version ?? '0');
  } catch {
    return '0';
  }
}

/** The HAR text of cassette `operand` (name, file or REV:PATH). */
export function exportHar(operand: string, opts: CassetteDirs & { start?: string }): string {
  const start = Date.parse(opts.start ?? DEFAULT_EXPORT_START);
  const { cassette } = resolveOperand(operand, opts);
  const { cassetteToHar } = require('../cassette/export-har') as typeof ExportModule;
  return JSON.stringify(cassetteToHar(cassette, { startedAt: start, version: version() }), null, 2) + '\n';
}

type ExportArgs = CassetteDirs & { cassette: string; to: string; out?: string; start?: string };

/** `mirra cassettes export`. */
export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <cassette>',
  describe: 'Write a cassette (name, file or REV:PATH) as HAR 1.2, for browser dev tools and HAR viewers',
  builder: (y) =>
    withDirs(y)
      .positional('cassette', { type: 'string', demandOption: true })
      .option('to', { type: 'string', demandOption: true, choices: ['har'], describe: 'The format to write' })
      .option('out', { type: 'string', describe: 'Write to this file instead of stdout' })
      .option('start', { type: 'string', describe: `The instant the recording's offsets count from (default ${DEFAULT_EXPORT_START})` })
      .check((argv) => (argv.start === undefined || !Number.isNaN(Date.parse(argv.start)) ? true : `--start ${JSON.stringify(argv.start)} is not a date: give an ISO 8601 instant, e.g. 2026-06-02T10:00:00Z.`)) as never,
  // Async, so that an error reaches the CLI's failure handler (exit 2, one line) instead of escaping yargs.
  handler: async (argv) => {
    const har = exportHar(argv.cassette, argv);
    if (argv.out) {
      writeFileSync(argv.out, har);
      process.stdout.write(`mirra cassettes export: wrote ${argv.out}\n`);
    } else process.stdout.write(har);
  },
};
