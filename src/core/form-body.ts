/**
 * Form bodies, as every part of mirra reads them: `application/x-www-form-urlencoded` and
 * `multipart/form-data` alike (Twilio accepts both; twilio-node 3.0–3.40 sends the latter,
 * twilio-voice-and-more.md §14), parsed into params where a repeated name is an array.
 */

/** Params of a form body: a repeated name is an array, in the order sent. */
export type FormBody = Record<string, string | string[]>;

/** The params of name/value pairs, repeated names as arrays. */
export function paramsOf(pairs: Iterable<[string, string]>): FormBody {
  const out: FormBody = {};
  for (const [k, v] of pairs) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The name/value pairs of params, in order (an array's values one by one). */
export function pairsOf(params: Record<string, string | string[] | undefined>): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, one]);
  }
  return out;
}

/** True when a Content-Type names a form body params are read from. */
export function isFormBody(contentType: string | undefined): boolean {
  return /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(contentType?.trim() ?? '');
}
