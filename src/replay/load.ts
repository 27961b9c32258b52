/**
 * Finding a cassette for replay, through the recorder's codec (src/cassette/codec.ts), so both
 * sides read the same format with the same checks: `NAME` is `cassettes/NAME.cassette.json`
 * (names may have folders, `team/signup`), a value ending in `.json` is a file path, and an object
 * (tests) is checked like a file would be. A bad cassette fails at start-up, naming what is wrong.
 */
import { loadCassette as loadNamed, parseCassette, readCassetteFile } from '../cassette/codec';
import type { Cassette } from '../cassette/types';

/** The directory cassettes are read from by name. */
export const CASSETTE_DIR = 'cassettes';

/** Reads a cassette by name or path, or checks one given as an object. */
export function loadCassette(source: string | Cassette, dir = CASSETTE_DIR): Cassette {
  if (typeof source !== 'string') return parseCassette(JSON.stringify(source), `cassette ${source.name ?? ''}`.trim());
  if (source.endsWith('.json')) return readCassetteFile(source);
  return loadNamed(dir, source);
}
