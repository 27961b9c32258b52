/**
 * The text form of a recording: compiled from the working store and written under
 * `cassettes/` — at the end of a run, and by `mirra cassettes recover` after a crash.
 */
import { cassettePath, loadCassette, saveCassette } from '../cassette/codec';
import { compileCassette } from '../cassette/compile';
import type { Cassette, Interaction } from '../cassette/types';
import { MirraError } from '../errors';
import type { RecordingStore } from './recording-store';

/**
 * Compiles recording `name` from the store and writes its text form, keeping the matching rules
 * of the file it replaces; marks the recording stopped. A `--record new` run is appended to the
 * file's interactions up to its `extendsSeq` (so writing twice never appends twice), and leaves
 * the file alone when it recorded nothing. Also how a crashed recording is recovered.
 */
export function writeTextForm(
  recordings: RecordingStore,
  name: string,
  cassettesDir: string,
  now: number,
): { file: string; cassette: Cassette; written: boolean; recorded: Interaction[] } {
  const meta = recordings.meta(name);
  if (!meta) throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `no recording of ${name} in the working store`, 'list the recordings it holds with `mirra cassettes list`');
  let earlier: Cassette | undefined;
  try {
    earlier = loadCassette(cassettesDir, name);
  } catch {
    earlier = undefined; // no earlier file (or an unreadable one): nothing to keep
  }
  const stoppedAt = meta.stoppedAt ?? now;
  const extendsSeq = meta.extendsSeq;
  const base = extendsSeq !== undefined && earlier ? { ...earlier, interactions: earlier.interactions.filter((i) => i.seq <= extendsSeq) } : undefined;
  const raw = recordings.interactions(name);
  const cassette = compileCassette({ ...meta, stoppedAt }, raw, recordings.callbacks(name), {
    match: earlier?.match,
    extend: base ? { cassette: base, aliases: meta.aliases } : undefined,
  });
  const recorded = cassette.interactions.slice(base ? base.interactions.length : 0);
  const written = !base || recorded.length > 0;
  const file = written ? saveCassette(cassettesDir, cassette) : cassettePath(cassettesDir, name);
  recordings.finish(name, stoppedAt);
  return { file, cassette, written, recorded };
}
