/**
 * X-Twilio-Signature, computed exactly as Twilio's SDK validators expect (twilio-api.md §8):
 * base64(HMAC-SHA1(authToken, url + concat(sorted keys: key + value))), repeated values
 * de-duplicated and sorted, keys in UTF-16 code-unit order (upper-case before lower-case).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters of a webhook; a repeated key is an array. */
export type FormParams = Record<string, string | string[]>;

/** The string Twilio signs for a POST with form `params` to `url`. */
export function signingPayload(url: string, params: FormParams): string {
  let data = url;
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (Array.isArray(value)) {
      for (const v of Array.from(new Set(value)).sort()) data += key + v;
    } else {
      data += key + value;
    }
  }
  return data;
}

/** The `X-Twilio-Signature` header value for a request to `url` with form `params`. */
export function computeSignature(authToken: string, url: string, params: FormParams): string {
  return createHmac('sha1', authToken).update(Buffer.from(signingPayload(url, params), 'utf8')).digest('base64');
}

/** Constant-time check of a received signature (used by record mode for Twilio's real callbacks). */
export function isValidSignature(authToken: string, url: string, params: FormParams, signature: string): boolean {
  const expected = Buffer.from(computeSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
