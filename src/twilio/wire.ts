/**
 * Twilio's wire formats: JSON bytes exactly as the real API writes them, and its two date formats.
 * Real responses are one line with `", "` and `": "` separators, non-ASCII escaped as \uXXXX and no
 * trailing newline (see ../shared/twilio-real-traffic.md "JSON bytes").
 */

const NON_ASCII = /[\u007f-\uffff]/g;
/** A character JSON.stringify escapes (quote, backslash, control) or that Twilio writes as \uXXXX. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

function escapeString(s: string): string {
  // Most values (SIDs, numbers, dates, URIs) are plain ASCII: quote them without a second pass.
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  return JSON.stringify(s).replace(NON_ASCII, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Object keys as written (`"key": `), by key: keys repeat across every answer of a resource. */
const keyCache = new Map<string, string>();

function quotedKey(k: string): string {
  let q = keyCache.get(k);
  if (q === undefined) {
    q = escapeString(k) + ': ';
    if (keyCache.size < 4096) keyCache.set(k, q); // keys come from code and specs, but bound it anyway
  }
  return q;
}

/** Serialises `value` the way Twilio does (key order as given). */
export function twilioJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return escapeString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      // Built by concatenation (no arrays of parts, no [key, value] pairs): an answer is a few
      // dozen fields, serialised once per request.
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ', ') + twilioJson(value[i]);
        return out + ']';
      }
      let out = '{';
      let first = true;
      const obj = value as Record<string, unknown>;
      for (const k of Object.keys(obj)) {
        const v = obj[k];
        if (v === undefined) continue;
        out += (first ? '' : ', ') + quotedKey(k) + twilioJson(v);
        first = false;
      }
      return out + '}';
    }
    default:
      return 'null';
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Recently formatted seconds (a message's three dates are often the same second). */
const rfc2822Cache = new Map<number, string>();

/** RFC 2822 date in UTC, whole seconds, as the 2010 API writes it: `Thu, 30 Jul 2015 20:12:31 +0000`. */
export function rfc2822(ms: number | null): string | null {
  if (ms === null) return null;
  const second = Math.floor(ms / 1000);
  const known = rfc2822Cache.get(second);
  if (known !== undefined) return known;
  const d = new Date(second * 1000);
  const text =
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
  if (rfc2822Cache.size >= 1024) rfc2822Cache.clear();
  rfc2822Cache.set(second, text);
  return text;
}

/** ISO 8601 in UTC, whole seconds, as Verify v2 and Messaging v1 write it: `2015-07-30T20:00:00Z`. */
export function iso8601(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** ISO 8601 with milliseconds (Verify's `send_code_attempts[].time`). */
export function iso8601Millis(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Parses a date filter value: `YYYY-MM-DD` (a whole UTC day) or a full ISO 8601 date-time.
 * Returns the instant range it denotes, or null when the value is not a date.
 */
export function parseDateFilter(value: string): { start: number; end: number } | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = Date.parse(value + 'T00:00:00Z');
    return Number.isNaN(start) ? null : { start, end: start + 86_400_000 - 1 };
  }
  const t = Date.parse(value);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  return { start: t, end: t };
}
