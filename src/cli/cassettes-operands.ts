/**
 * How the cassette commands find the cassettes they are given: a file, `REV:PATH` (a file as of a
 * git revision), or a name under `--cassettes-dir`. A missing or broken one is MIRRA_ERR_*, never
 * a stack trace.
 */
import { existsSync, statSync } from 'node:fs';
import type { Argv } from 'yargs';
import type * as CodecModule from '../cassette/codec';
import type { Cassette } from '../cassette/types';
import { MirraError } from '../errors';
import { gitPath, readAtRevision } from './cassettes-git';
import { cassettesDirOption } from './options';

/** The cassette codec, required when a command runs rather than when the CLI loads (see main.ts). */
export const codecLib = () => require('../cassette/codec') as typeof CodecModule;

/** Where cassettes and the working store are. */
export interface CassetteDirs {
  cassettesDir: string;
  dataDir: string;
}

/** A cassette read for display or diff, with the label to show for it. */
export interface LoadedCassette {
  cassette: Cassette;
  label: string;
}

/** Adds `--cassettes-dir` and `--data-dir`. */
export function withDirs<T>(y: Argv<T>): Argv<T & CassetteDirs> {
  return y
    .option('cassettes-dir', cassettesDirOption)
    .option('data-dir', { type: 'string', default: '.mirra', describe: 'Working store of recordings (LMDB)' }) as unknown as Argv<T & CassetteDirs>;
}

/** True for an operand that names a file rather than a cassette: an existing file, or a path ending in `.json`. */
function isFileOperand(operand: string): boolean {
  return (existsSync(operand) && statSync(operand).isFile()) || /\.json5?$/i.test(operand);
}

/** The working-tree file an operand stands for (it may not exist). */
export function operandFile(operand: string, dirs: CassetteDirs): string {
  return isFileOperand(operand) ? operand : codecLib().cassettePath(dirs.cassettesDir, operand);
}

/** Cassette `file` as of git revision `rev` (path relative to the current directory). */
export function fromGit(rev: string, file: string): LoadedCassette {
  const label = `${rev}:${gitPath(file)}`;
  const text = readAtRevision(rev, file);
  if (text === undefined) throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `${gitPath(file)} does not exist at ${rev}`);
  return { cassette: codecLib().parseCassette(text, label), label };
}

/**
 * Resolves a command-line operand: an existing file; `REV:PATH` (a git revision of a file); a path
 * ending in `.json`; or a cassette name under `cassettesDir`.
 */
export function resolveOperand(operand: string, dirs: CassetteDirs): LoadedCassette {
  const { readCassetteFile } = codecLib();
  if (existsSync(operand) && statSync(operand).isFile()) return { cassette: readCassetteFile(operand), label: operand };
  const rev = /^([^:]+):(.+)$/.exec(operand);
  if (rev) return fromGit(rev[1], rev[2]);
  const file = operandFile(operand, dirs);
  return { cassette: readCassetteFile(file), label: file };
}
