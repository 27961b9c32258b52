/**
 * `mirra cassettes import --from FORMAT FILE…`: reads other tools' recordings of Twilio traffic
 * (one parser per format in this folder) and compiles them into a mirra cassette (to-raw.ts).
 * A directory stands for the files of that format inside it, found recursively, in path order.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MirraError } from '../../errors';
import type { ToolRecording } from './exchange';
import { parseNock } from './nock';
import { parseHar } from './polly';
import { parseTalkback } from './talkback';
import { importRecordings, type ImportOptions, type ImportReport } from './to-raw';
import { parseVcr } from './vcr';
import type { Cassette } from '../types';

export type { ImportOptions, ImportReport } from './to-raw';

/** The formats `--from` takes (`har` is `polly`, `vcrpy` is `vcr`). */
export const IMPORT_FORMATS = ['polly', 'har', 'nock', 'vcr', 'vcrpy', 'talkback'] as const;

/** A format name `--from` takes. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const PARSERS: Record<ImportFormat, { parse: (text: string, source: string) => ToolRecording; files: RegExp }> = {
  polly: { parse: parseHar, files: /\.har$/i },
  har: { parse: parseHar, files: /\.har$/i },
  nock: { parse: parseNock, files: /\.json$/i },
  vcr: { parse: parseVcr, files: /\.ya?ml$/i },
  vcrpy: { parse: parseVcr, files: /\.ya?ml$/i },
  talkback: { parse: parseTalkback, files: /\.json5?$/i },
};

/** The files `paths` stand for: each file as given, each directory's files of the format. */
export function importFiles(format: ImportFormat, paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (PARSERS[format].files.test(entry)) out.push(full);
    }
  };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new MirraError('MIRRA_ERR_INVALID_IMPORT', `${p} does not exist`);
    }
    if (isDir) walk(p);
    else out.push(p);
  }
  return out;
}

/** Reads `files` in `format` and compiles them into a cassette. */
export function importCassette(format: ImportFormat, files: string[], opts: ImportOptions): { cassette: Cassette; report: ImportReport; files: string[] } {
  const list = importFiles(format, files);
  if (list.length === 0) throw new MirraError('MIRRA_ERR_INVALID_IMPORT', `no ${format} files in ${files.join(', ')}`);
  const recordings = list.map((file) => PARSERS[format].parse(readFileSync(file, 'utf8'), file));
  return { ...importRecordings(recordings, opts), files: list };
}
