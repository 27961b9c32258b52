/**
 * `mirra cassettes import --from polly|nock|vcr|talkback FILE… --name N`: turns other tools'
 * recordings of Twilio traffic into a mirra cassette (src/cassette/import/), written like a
 * recording's, and says what it imported, skipped and dropped. It never replaces an existing
 * cassette unless told (`--force`, which keeps that cassette's match rules, as re-recording does).
 */
import { existsSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import type * as ImportModule from '../cassette/import';
import type { ImportReport } from '../cassette/import';
import type { MatchRules } from '../cassette/types';
import { MirraError } from '../errors';
import { codecLib, withDirs, type CassetteDirs } from './cassettes-operands';

const FORMATS = ['polly', 'har', 'nock', 'vcr', 'vcrpy', 'talkback'];

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The report lines of an import. */
export function reportLines(report: ImportReport): string[] {
  const d = report.dropped;
  const others = report.otherHosts.length ? ` (${report.otherHosts.join(', ')})` : '';
  return [
    `  skipped: ${report.skipped.notTwilio} not Twilio${others}, ${report.skipped.unreadable} unreadable`,
    `  dropped: ${plural(d.authorizationHeaders, 'Authorization header')}, ${plural(d.cookieHeaders, 'cookie header')}, ${plural(d.urlCredentials, 'URL credential')}, ` +
      `${plural(d.secretParams, 'secret param')}, ${plural(d.secretFields, 'secret field')}, ${plural(d.secretValues, 'secret value')} elsewhere`,
  ];
}

/** What `runImport` wrote. */
export interface ImportRun {
  file: string;
  report: ImportReport;
  lines: string[];
}

/** Runs an import without touching the process (for tests and the command). */
/** Environment variables whose values are secrets to remove from an import when they are set. */
export const SECRET_ENV = ['TWILIO_AUTH_TOKEN', 'TWILIO_API_SECRET', 'MIRRA_RECORD_AUTH_TOKEN'];

/** Runs an import without touching the process (for tests and the command); `env` supplies {@link SECRET_ENV}. */
export function runImport(
  opts: CassetteDirs & { from: string; files: string[]; name: string; upstream?: string[]; force?: boolean; secret?: string[] },
  env: NodeJS.ProcessEnv = {},
): ImportRun {
  const { cassettePath, readCassetteFile, saveCassette } = codecLib();
  const target = cassettePath(opts.cassettesDir, opts.name);
  let match: MatchRules | undefined;
  if (existsSync(target)) {
    if (!opts.force) throw new MirraError('MIRRA_ERR_CASSETTE_EXISTS', `${target} exists`);
    try {
      match = readCassetteFile(target).match;
    } catch {
      match = undefined; // an unreadable file being replaced has no rules to keep
    }
  }
  for (const u of opts.upstream ?? []) {
    if (!URL.canParse(u)) throw new MirraError('MIRRA_ERR_INVALID_IMPORT', `--upstream ${JSON.stringify(u)} is not a URL`, 'give the origin the recording was made against, e.g. --upstream http://127.0.0.1:8080');
  }
  const { importCassette } = require('../cassette/import') as typeof ImportModule;
  const secrets = [...(opts.secret ?? []), ...SECRET_ENV.map((k) => env[k]).filter((v): v is string => !!v)];
  const { cassette, report, files } = importCassette(opts.from as ImportModule.ImportFormat, opts.files, { name: opts.name, upstreams: opts.upstream, match, secrets });
  if (report.interactions === 0) {
    const seen = report.otherHosts.length ? `: only ${report.otherHosts.join(', ')}` : '';
    throw new MirraError('MIRRA_ERR_INVALID_IMPORT', `no Twilio traffic in ${plural(files.length, 'file')}${seen}`, 'import recordings of requests to *.twilio.com; for one made against a stand-in, name its origin with --upstream URL');
  }
  const file = saveCassette(opts.cassettesDir, cassette);
  const lines = [`mirra cassettes import: wrote ${file} (${plural(report.interactions, 'interaction')}) from ${plural(files.length, 'file')} (${opts.from})`, ...reportLines(report)];
  if (report.noCredentials && secrets.length === 0) {
    lines.push(
      '  note: the recording holds no credentials, so a token that appears elsewhere (in a message body) cannot be recognised;',
      '        set TWILIO_AUTH_TOKEN (or pass --secret VALUE) and import again with --force to remove it',
    );
  }
  return { file, report, lines };
}

type ImportArgs = CassetteDirs & { from: string; files: string[]; name: string; upstream?: string[]; force: boolean };

/** `mirra cassettes import`. */
export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <files..>',
  describe: 'Turn Polly.js (HAR), nock, VCR/vcrpy or talkback recordings of Twilio traffic into a cassette (redacted, aliased, like a recording)',
  builder: (y) =>
    withDirs(y)
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'Recording files (or directories of them)' })
      .option('from', { type: 'string', demandOption: true, choices: FORMATS, describe: 'The tool that recorded them (har = polly, vcrpy = vcr)' })
      .option('name', { type: 'string', demandOption: true, describe: 'The cassette to write: cassettes/NAME.cassette.json' })
      .option('upstream', { type: 'string', array: true, describe: 'An origin that stood in for Twilio while recording (its requests are Twilio traffic)' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace an existing cassette (keeping its match rules)' })
      .option('secret', { type: 'string', array: true, describe: `A secret to remove wherever it occurs (also the values of ${SECRET_ENV.join(', ')} when set)` }) as never,
  // Async, so that an error reaches the CLI's failure handler (exit 2, one line) instead of escaping yargs.
  handler: async (argv) => {
    process.stdout.write(runImport(argv, process.env).lines.join('\n') + '\n');
  },
};
