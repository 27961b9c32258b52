/**
 * What an in-process recording left behind, as a handle reports it (it crosses threads, so it is
 * plain data).
 */
import type { RecordResult } from '../record/recording';

/** The outcome of an in-process recording. */
export interface RecordingSummary {
  /** The cassette file. */
  file: string;
  /** False when the file was left as it was (nothing recorded into an existing cassette). */
  written: boolean;
  /** Interactions in the file. */
  interactions: number;
  /** Interactions this run recorded. */
  recorded: number;
  /** Interactions of the cassette answered from that this run did not use. */
  unused: number;
}

/** The summary of a recording's result (null when the mirror did not record). */
export function recordingSummary(result: RecordResult | undefined): RecordingSummary | null {
  if (!result) return null;
  return { file: result.file, written: result.written, interactions: result.cassette.interactions.length, recorded: result.recorded.length, unused: result.unused.length };
}
