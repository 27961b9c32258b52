/**
 * Record modes, after VCR's (`record: :once | :new_episodes | :none | :all`): whether `mirra
 * record` answers from the cassette it already has, forwards to Twilio, or both, and what it
 * writes at the end. Pure: the transport and the recorder only follow the {@link RecordPlan}.
 *
 * | mode   | cassette file missing        | cassette file exists                                        |
 * |--------|------------------------------|-------------------------------------------------------------|
 * | `once` | record everything            | answer from it, forward nothing, leave the file as it is    |
 * | `new`  | record everything            | answer from it, forward (and append) only what it lacks     |
 * | `none` | refuse to start              | answer from it, forward nothing, leave the file as it is    |
 * | `all`  | record everything            | forward everything, overwrite the file                      |
 *
 * `once` is the default (VCR's): a first run records, a later run with the same command cannot
 * silently overwrite a committed cassette — re-recording is asked for by name (`--record all`).
 */

/** The values of `--record`. */
export const RECORD_MODES = ['once', 'new', 'none', 'all'] as const;

/** A record mode (see the table above). */
export type RecordMode = (typeof RECORD_MODES)[number];

/** The default mode. */
export const DEFAULT_RECORD_MODE: RecordMode = 'once';

/** What a run does, given its mode and whether the cassette file exists. */
export interface RecordPlan {
  mode: RecordMode;
  /** Load the existing cassette and answer the requests it holds from it. */
  serve: boolean;
  /** Forward the requests not answered from the cassette to the upstream (and record them). */
  forward: boolean;
  /** At the end: `overwrite` the file with this run's recording, `append` it to the file, or leave it (`keep`). */
  write: 'overwrite' | 'append' | 'keep';
}

/**
 * The plan of a run in `mode` when the cassette file does (`exists`) or does not exist. Undefined
 * for `none` without a cassette: there is nothing to answer from, and nothing may be recorded.
 */
export function planRecording(mode: RecordMode, exists: boolean): RecordPlan | undefined {
  if (!exists) return mode === 'none' ? undefined : { mode, serve: false, forward: true, write: 'overwrite' };
  switch (mode) {
    case 'all':
      return { mode, serve: false, forward: true, write: 'overwrite' };
    case 'new':
      return { mode, serve: true, forward: true, write: 'append' };
    case 'once':
    case 'none':
      return { mode, serve: true, forward: false, write: 'keep' };
  }
}

/** The fix named when a request is not in a cassette that is only served (`once` on an existing file, `none`). */
export function missFix(cassette: string, mode: RecordMode): string {
  const why = mode === 'none' ? '--record none never records' : `--record once does not record into an existing cassette`;
  return `${why}: add what is missing with \`mirra record --cassette ${cassette} --record new\`, or re-record everything with \`--record all\``;
}
