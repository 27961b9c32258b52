/**
 * `mirra cassettes lint [files..]`: a pre-commit check that no cassette holds anything that looks
 * like a secret. Exit 0 clean, 1 possible secrets (each printed as `FILE: PATH: RULE: masked`),
 * 2 a file that is missing or is not JSON (MIRRA_ERR_*; the other files are still checked first).
 */
import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import type * as LintModule from '../cassette/lint';
import { MirraError } from '../errors';
import { codecLib, withDirs, type CassetteDirs } from './cassettes-operands';

/** The result of linting some files: the report lines, and the first error met (if any). */
export interface LintRun {
  lines: string[];
  findings: number;
  error?: MirraError;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `${file} ${code === 'ENOENT' ? 'does not exist' : 'is a directory'}`);
    throw err;
  }
}

/** Lints `files` without touching the process. */
export function runLint(files: string[]): LintRun {
  const { lintCassetteText } = require('../cassette/lint') as typeof LintModule;
  const run: LintRun = { lines: [], findings: 0 };
  const errors: MirraError[] = [];
  for (const file of files) {
    try {
      for (const f of lintCassetteText(readText(file), file)) {
        run.findings++;
        run.lines.push(`${file}: ${f.path}: ${f.rule}: ${f.excerpt}`);
      }
    } catch (err) {
      if (!(err instanceof MirraError)) throw err;
      errors.push(err);
    }
  }
  if (errors.length === 1) run.error = errors[0];
  else if (errors.length > 1) {
    const code = errors.every((e) => e.code === errors[0].code) ? errors[0].code : 'MIRRA_ERR_INVALID_CASSETTE';
    run.error = new MirraError(code, `${errors.length} files could not be checked (${errors.map((e) => e.message.replace(/\. Fix: .*$/, '')).join('; ')})`);
  }
  return run;
}

type LintArgs = CassetteDirs & { files?: string[] };

/** `mirra cassettes lint [files..]`. */
export const lintCommand: CommandModule<object, LintArgs> = {
  command: 'lint [files..]',
  describe: 'Exit 1 when a cassette holds anything that looks like a secret (2 when one is missing or not JSON); for pre-commit hooks',
  builder: (y) => withDirs(y).positional('files', { type: 'string', array: true, describe: 'Cassette files (default: every cassette)' }) as never,
  // Async, so that an error reaches the CLI's failure handler (exit 2, one line) instead of escaping yargs.
  handler: async (argv) => {
    const { cassettePath, listCassetteNames } = codecLib();
    const files = argv.files?.length ? argv.files : listCassetteNames(argv.cassettesDir).map((n) => cassettePath(argv.cassettesDir, n));
    const run = runLint(files);
    if (run.lines.length) process.stdout.write(run.lines.join('\n') + '\n');
    if (run.error) throw run.error;
    process.stdout.write(run.findings ? `${run.findings} possible secret(s): re-record, or replace them by hand before committing\n` : `${files.length} cassette(s) clean\n`);
    process.exitCode = run.findings ? 1 : 0;
  },
};
