/**
 * The cassette: what `mirra record` captures and `mirra replay` serves. Its text form (one file per
 * cassette under `cassettes/`) is what users commit and review, so every field is deterministic:
 * the real AccountSid is a placeholder, SIDs the recording created are stable aliases, and times
 * are offsets from the start of the recording.
 */

/** A name=value pair of a form or query, kept as a list so repeated keys and order are explicit. */
export type Pair = [string, string];

/** The Twilio product a request addressed (by host, or by path in base-URL mode). */
export type Product = 'api' | 'verify' | 'messaging' | string;

/** A recorded request, normalised for matching and review. */
export interface RecordedRequest {
  method: string;
  product: Product;
  /** Path with the AccountSid placeholder and SID aliases, e.g. `/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json`. */
  path: string;
  /** Query pairs, sorted by key then value, aliased. */
  query: Pair[];
  /** Form pairs, sorted by key then value, aliased; secrets never appear. */
  form: Pair[];
}

/** A recorded response. */
export interface RecordedResponse {
  status: number;
  /** Only headers that matter to clients (content-type); never auth or cookies. */
  headers: Record<string, string>;
  /** Parsed JSON (aliased, dates as offsets) or raw text when the body is not JSON. */
  body: unknown;
}

/** A status callback (or other webhook) Twilio sent because of an interaction. */
export interface RecordedCallback {
  /** Milliseconds after the interaction's request. */
  offsetMs: number;
  /** Which request param held the URL it went to (e.g. `StatusCallback`), to re-target on replay. */
  urlParam: string;
  /** Form pairs sent, aliased, sorted by key. */
  params: Pair[];
}

/** One request/response pair. */
export interface Interaction {
  /** 1-based order within the recording. */
  seq: number;
  /** Milliseconds from the start of the recording to the request. */
  offsetMs: number;
  request: RecordedRequest;
  /** Absent when the upstream failed without answering (see `fault`). */
  response?: RecordedResponse;
  /** Upstream failure without a response (connection reset, timeout). */
  fault?: 'reset' | 'timeout';
  callbacks: RecordedCallback[];
}

/** How a cassette's requests are matched on replay (tunable per cassette). */
export interface MatchRules {
  /** Params never compared (e.g. `Body` when it contains a timestamp). */
  ignoreParams?: string[];
  /** Params compared by regular expression instead of equality. */
  patterns?: Record<string, string>;
}

/** A whole cassette. */
export interface Cassette {
  version: 1;
  name: string;
  match?: MatchRules;
  /**
   * Whether Twilio's callbacks were captured while recording (`recorded`, with `--public-url`) or
   * not (`synthesised`: replay must let the emulator synthesise them). Absent means `synthesised`.
   */
  callbacks?: 'recorded' | 'synthesised';
  interactions: Interaction[];
}

/** Placeholder written instead of the recording account's SID. */
export const ACCOUNT_PLACEHOLDER = '{AccountSid}';

/**
 * Volatile values in a cassette's text are written as tokens:
 * - `{XX#n}`: the n-th distinct SID with prefix XX that the recording saw created (1-based, in
 *   order of first appearance), e.g. `{SM#1}`, `{VE#2}`. SIDs that existed before the recording
 *   (seeded numbers, services) are aliased the same way; they are resolved on replay by looking
 *   up the session state (or minted fresh and kept consistent).
 * - `{date:rfc2822:+MS}`, `{date:iso:+MS}`, `{date:isoms:+MS}`: a date in that format, MS
 *   milliseconds after the recording's start (shifted to "now" on replay). `{date:dlr:+MS}` is
 *   `RawDlrDoneDate`'s `YYMMDDhhmm` (UTC). MS is a multiple of a minute (see dates.ts).
 * - `{AccountSid}`: the recording account.
 */
export const SID_ALIAS = /\{([A-Z]{2})#(\d+)\}/g;
export const DATE_TOKEN = /\{date:(rfc2822|iso|isoms|dlr):([+-]\d+)\}/g;
