/**
 * Finding a cassette for replay, through the recorder's codec (src/cassette/codec.ts), so both
 * sides read the same format with the same checks: `NAME` is `cassettes/NAME.cassette.json`
 * (names may have folders, `team/signup`), a value ending in `.json` is a file path, and an object
 * (tests) is checked like a file would be. A bad cassette fails at start-up, naming what is wrong.
 *
 * A small cassette is parsed and indexed in memory. A large file (8 MiB or more: tens of thousands
 * of interactions) is indexed once into LMDB under the data dir and served from there
 * (src/cassette/index-store.ts): later starts skip parsing it while it is unchanged, and memory
 * does not grow with its size.
 */
import { cassettePath, loadCassette as loadNamed, parseCassette, readCassetteFile } from '../cassette/codec';
import { servableInMemory, type ServableCassette } from '../cassette/serve';
import type { Cassette } from '../cassette/types';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { MirraError } from '../errors';
import type * as IndexStoreModule from '../cassette/index-store';

/** The directory cassettes are read from by name. */
export const CASSETTE_DIR = 'cassettes';

/** Files of at least this size are indexed on disk instead of parsed at every start. */
export const DISK_INDEX_BYTES = 8 * 1024 * 1024;

/** Reads a cassette by name or path, or checks one given as an object. */
export function loadCassette(source: string | Cassette, dir = CASSETTE_DIR): Cassette {
  if (typeof source !== 'string') return parseCassette(JSON.stringify(source), `cassette ${source.name ?? ''}`.trim());
  if (source.endsWith('.json')) return readCassetteFile(source);
  return loadNamed(dir, source);
}

/** A cassette opened for replay; `close` releases its on-disk index, if it has one. */
export type OpenedCassette = ServableCassette & {
  /** `memory`, or `disk` with whether this start built the index or reused it. */
  readonly storage: 'memory' | 'disk (built)' | 'disk (reused)';
  close(): Promise<void>;
};

/** Where {@link openCassette} looks and keeps what it makes. */
export interface OpenCassetteOptions {
  /** The mirror's data dir: on-disk indexes live in its `cassette-index/`. */
  dataDir: string;
  /** Where cassettes named without a path are read (default `cassettes`). */
  dir?: string;
  /** Files of at least this many bytes are indexed on disk (default {@link DISK_INDEX_BYTES}). */
  diskIndexBytes?: number;
}

/** The size of `file`, failing with MIRRA_ERR_UNKNOWN_CASSETTE when it is not there. */
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `${file} does not exist`);
    throw err;
  }
}

/** Opens a cassette by name, path or object for serving: in memory, or from its on-disk index when the file is large. */
export async function openCassette(source: string | Cassette, opts: OpenCassetteOptions): Promise<OpenedCassette> {
  const file = typeof source !== 'string' ? null : source.endsWith('.json') ? source : cassettePath(opts.dir ?? CASSETTE_DIR, source);
  if (file !== null && sizeOf(file) >= (opts.diskIndexBytes ?? DISK_INDEX_BYTES)) {
    const { INDEX_DIR, openStoredCassette } = require('../cassette/index-store') as typeof IndexStoreModule;
    try {
      return await openStoredCassette(file, join(opts.dataDir, INDEX_DIR));
    } catch (err) {
      if (err instanceof MirraError) throw err; // the cassette itself is bad
      // The data dir cannot hold an index (read-only, full): parse the file, as for a small one.
      process.emitWarning(`mirra: cannot index ${file} under ${opts.dataDir} (${(err as Error).message}); parsing it in memory instead`);
    }
  }
  const cassette = file === null ? loadCassette(source) : readCassetteFile(file);
  return { ...servableInMemory(cassette), storage: 'memory', close: async () => undefined };
}
