/**
 * Dates in cassettes. Twilio writes dates in a few fixed formats (twilio-api.md §1, §5); a cassette
 * stores each as a token `{date:FORMAT:+MS}`, MS milliseconds after the recording's start, so the
 * committed text does not change with the day it was recorded on.
 *
 * Offsets are quantised to {@link TIME_QUANTUM_MS} (one minute): the few milliseconds by which two
 * recordings of the same scenario differ vanish, so recording twice gives the same bytes. Exact
 * timings stay in the working store (LMDB). The cost: a date in a replayed answer is right to
 * within about half a minute, which no test of an app can tell apart from Twilio's own latency.
 */

/** The date formats a cassette knows. `dlr` is `RawDlrDoneDate`'s `YYMMDDhhmm` (UTC, minutes). */
export type DateFormat = 'rfc2822' | 'iso' | 'isoms' | 'dlr';

/** Resolution of every time offset written to a cassette's text form. */
export const TIME_QUANTUM_MS = 60_000;

/**
 * Dates this long before the recording started are facts about the account (a number bought last
 * year), not about the run: they are kept verbatim. Generous, so a clock skew between Twilio and
 * this machine never turns "now" into a literal.
 */
export const PAST_WINDOW_MS = 5 * 60_000;

/** Dates this far after the recording's end are kept verbatim too (a literal far-future date). */
export const FUTURE_WINDOW_MS = 30 * 86_400_000;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

const RFC2822 = /^(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ISOMS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DLR = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** Params whose value is a `YYMMDDhhmm` date (a bare 10-digit number elsewhere is not a date). */
const DLR_KEYS = new Set(['RawDlrDoneDate']);

/** A date recognised in a value: its instant and format. */
export interface ParsedDate {
  format: DateFormat;
  /** Epoch milliseconds of the start of the value's resolution (whole second or minute). */
  ms: number;
  /** How much time the value stands for (1 s, or 60 s for `dlr`): the value is truncated. */
  resolutionMs: number;
}

/** Recognises a whole value as one of Twilio's date formats; `key` enables key-specific formats. */
export function parseDate(value: string, key?: string): ParsedDate | undefined {
  if (value.length < 10 || value.length > 31) return undefined;
  if (RFC2822.test(value) || ISO.test(value) || ISOMS.test(value)) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return undefined;
    const format: DateFormat = value.endsWith('+0000') ? 'rfc2822' : value.length === 24 ? 'isoms' : 'iso';
    return { format, ms, resolutionMs: format === 'isoms' ? 1 : 1000 };
  }
  const m = key !== undefined && DLR_KEYS.has(key) ? DLR.exec(value) : null;
  if (m) {
    const ms = Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
    return Number.isNaN(ms) ? undefined : { format: 'dlr', ms, resolutionMs: 60_000 };
  }
  return undefined;
}

/** Writes `ms` in `format`, as Twilio would. */
export function formatDate(format: DateFormat, ms: number): string {
  const d = new Date(ms);
  switch (format) {
    case 'rfc2822':
      return (
        `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
        `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
      );
    case 'iso':
      return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    case 'isoms':
      return d.toISOString();
    case 'dlr':
      return `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
  }
}

/** Rounds a duration to the cassette's resolution ({@link TIME_QUANTUM_MS}); never `-0`. */
export function quantise(ms: number): number {
  const q = Math.round(ms / TIME_QUANTUM_MS) * TIME_QUANTUM_MS;
  return q === 0 ? 0 : q;
}

/** The token of a date `offsetMs` after the recording's start. */
export function dateToken(format: DateFormat, offsetMs: number): string {
  return `{date:${format}:${offsetMs < 0 ? '-' : '+'}${Math.abs(offsetMs)}}`;
}

/**
 * The token for `value` in a recording that ran from `startMs` to `endMs`, or undefined when the
 * value is no date or lies outside the window (then it is kept verbatim). A truncated value is
 * placed at the middle of the interval it stands for, so truncation never tips the rounding.
 *
 * `atMs` is when the value was sent (a callback's arrival). A value as coarse as the quantum (a
 * DLR date, to the minute) stands for that moment when its interval holds it, give or take an
 * interval of clock skew: which minute it names depends on where the recording started within a
 * minute, so the same scenario recorded twice would otherwise tip either way of the rounding.
 */
export function tokenizeDate(value: string, startMs: number, endMs: number, key?: string, atMs?: number): string | undefined {
  const parsed = parseDate(value, key);
  if (!parsed) return undefined;
  if (parsed.ms + parsed.resolutionMs < startMs - PAST_WINDOW_MS || parsed.ms > endMs + FUTURE_WINDOW_MS) return undefined;
  const coarse = parsed.resolutionMs >= TIME_QUANTUM_MS;
  if (coarse && atMs !== undefined && atMs >= parsed.ms - parsed.resolutionMs && atMs < parsed.ms + 2 * parsed.resolutionMs) {
    return dateToken(parsed.format, quantise(atMs - startMs));
  }
  const middle = parsed.ms + parsed.resolutionMs / 2;
  return dateToken(parsed.format, quantise(middle - startMs));
}
