/**
 * Form encoding exactly like Twilio's webhooks: application/x-www-form-urlencoded with `%20` for
 * spaces and repeated keys for arrays; and the inverse helpers the routes use to read params.
 */
import type { FormParams } from '../signing/signature';

/** Encodes `params` as a form body (repeated keys for arrays, keys in the given order). */
export function encodeForm(params: FormParams): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(v));
    }
  }
  return parts.join('&');
}

/** Request params after parsing: a repeated key is an array. */
export type Params = Record<string, string | string[] | undefined>;

/** The single value of a param (the last one when repeated), or undefined. */
export function one(params: Params, key: string): string | undefined {
  const v = params[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** All values of a param (`MediaUrl=a&MediaUrl=b`), accepting the `Key[]` spelling too. */
export function many(params: Params, key: string): string[] {
  const out: string[] = [];
  for (const k of [key, key + '[]']) {
    const v = params[k];
    if (Array.isArray(v)) out.push(...v);
    else if (v !== undefined) out.push(v);
  }
  return out;
}

/** A boolean param as Twilio reads it (`true`/`True`/`1`), or `fallback` when absent. */
export function bool(params: Params, key: string, fallback: boolean): boolean {
  const v = one(params, key);
  if (v === undefined) return fallback;
  return /^(true|1)$/i.test(v);
}
