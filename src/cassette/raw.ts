/**
 * A recording as the working store (LMDB) holds it while `mirra record` runs: exact times, real
 * SIDs and the real AccountSid, but already redacted — no secret is ever stored. compile.ts turns
 * it into the deterministic {@link Cassette} of the text form.
 */
import type { Pair, RecordedRequest, RecordedResponse } from './types';

/** Facts about one recording run. */
export interface RecordingMeta {
  name: string;
  /** Epoch ms when recording started. */
  startedAt: number;
  /** Epoch ms when the text form was written; absent while recording (or after a crash). */
  stoppedAt?: number;
  state: 'recording' | 'stopped';
  /** `--upstream`, when every request went to one base URL instead of Twilio's hosts. */
  upstream?: string;
  /** `--public-url`, when callbacks were captured. */
  publicUrl?: string;
  /** Origins that stood in for Twilio (the recorder's own, a local upstream). */
  localOrigins: string[];
  /** Tells this run's callback URLs from a previous run's. */
  runId: string;
  /**
   * `--record new`: this run is appended to the cassette file, whose interactions up to this seq
   * are the old recording (so writing the text form twice never appends twice).
   */
  extendsSeq?: number;
  /** `--record new`: real SID → alias of the SIDs the run was served from the cassette. */
  aliases?: [string, string][];
}

/** One interaction as stored: normalised and redacted, not yet aliased. */
export interface RawInteraction {
  seq: number;
  /** Epoch ms when the request arrived. */
  at: number;
  /** Milliseconds until the answer was complete (or the fault happened). */
  durationMs: number;
  /** The Host the client addressed (`api.twilio.com`, or the recorder's in base-URL mode). */
  host: string;
  /** The account the request authenticated as, or addressed in its path. */
  accountSid?: string;
  request: RecordedRequest;
  response?: RecordedResponse;
  fault?: 'reset' | 'timeout';
}

/** One callback Twilio sent, as stored. */
export interface RawCallback {
  /** The interaction whose request carried the callback URL. */
  seq: number;
  /** Arrival order within the recording (1-based). */
  n: number;
  /** Epoch ms when it arrived. */
  at: number;
  /** The request param that held the app's URL (`StatusCallback`). */
  urlParam: string;
  /** Form pairs in the order received, redacted. */
  params: Pair[];
  /** False when no auth token was known to check Twilio's signature. */
  verified: boolean;
}
