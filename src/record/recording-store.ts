/**
 * The working store of `mirra record`: each interaction and callback is one key, committed as soon
 * as it completes (before the client gets the last byte of its answer), so a recorder killed with
 * `kill -9` loses nothing it already answered. Values are redacted before they get here.
 *
 * Layout (keys.ts): `recs␟NAME` → {@link RecordingMeta}; `rec␟NAME␟i␟SEQ` → {@link RawInteraction};
 * `rec␟NAME␟cb␟N` → {@link RawCallback}.
 */
import type { RawCallback, RawInteraction, RecordingMeta } from '../cassette/raw';
import { keys } from '../store/keys';
import type { Store } from '../store/store';

/** Recordings kept in a {@link Store}. */
export class RecordingStore {
  constructor(readonly store: Store) {}

  /** The meta of recording `name`, if one was ever started. */
  meta(name: string): RecordingMeta | undefined {
    return this.store.get<RecordingMeta>(keys.recording(name));
  }

  /** Every recording's meta, by name. */
  list(): RecordingMeta[] {
    return [...this.store.range<RecordingMeta>({ prefix: keys.recordings() })].map((e) => e.value);
  }

  /** Starts recording `meta.name` afresh: whatever an earlier run stored under that name is dropped. */
  begin(meta: RecordingMeta): void {
    this.store.transaction(() => {
      this.store.clearPrefix(keys.recordingData(meta.name));
      this.store.put(keys.recording(meta.name), meta);
    });
  }

  /** Replaces the meta of a recording in progress (e.g. the aliases a `--record new` run was served). */
  updateMeta(meta: RecordingMeta): void {
    this.store.put(keys.recording(meta.name), meta);
  }

  /** Commits one finished interaction. */
  putInteraction(name: string, interaction: RawInteraction): void {
    this.store.put(keys.recInteraction(name, interaction.seq), interaction);
  }

  /** Commits one captured callback. */
  putCallback(name: string, callback: RawCallback): void {
    this.store.put(keys.recCallback(name, callback.n), callback);
  }

  /** The stored interactions of `name`, in sequence order. */
  interactions(name: string): RawInteraction[] {
    return [...this.store.range<RawInteraction>({ prefix: keys.recInteractions(name) })].map((e) => e.value);
  }

  /** The stored callbacks of `name`, in arrival order. */
  callbacks(name: string): RawCallback[] {
    return [...this.store.range<RawCallback>({ prefix: keys.recCallbacks(name) })].map((e) => e.value);
  }

  /** Marks `name` as stopped (its text form was written). */
  finish(name: string, stoppedAt: number): void {
    const meta = this.meta(name);
    if (meta) this.store.put(keys.recording(name), { ...meta, state: 'stopped', stoppedAt });
  }

  /** Forgets recording `name` entirely. */
  remove(name: string): void {
    this.store.transaction(() => {
      this.store.clearPrefix(keys.recordingData(name));
      this.store.remove(keys.recording(name));
    });
  }
}
