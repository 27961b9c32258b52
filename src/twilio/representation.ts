/**
 * Reading a Twilio JSON representation (a served recording's answer) back into a resource's
 * record: what each resource's replay hooks share.
 */
import type { Pair } from '../cassette/types';

/** True for a plain JSON object (not an array or null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `date_created` → `dateCreated`. */
export function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * A record updated from a JSON representation: every snake_case field whose camelCase name the
 * record has and whose value has the same type (or null) is copied; `date_*` strings become epoch
 * ms. Objects are left to the caller.
 */
export function overlay<T extends object>(base: T, json: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(json)) {
    const key = camel(k);
    if (!(key in out) || key === 'sid') continue;
    const current = out[key];
    if (key.startsWith('date') && typeof v === 'string') {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) out[key] = t;
      continue;
    }
    if (v !== null && typeof v === 'object') continue;
    if (v === null || current === null || typeof current === typeof v) out[key] = v;
  }
  return out as T;
}

/** A date of a representation (RFC 2822 or ISO 8601), or `fallback`. */
export function dateOf(v: unknown, fallback: number): number;
export function dateOf(v: unknown, fallback: null): number | null;
export function dateOf(v: unknown, fallback: number | null): number | null {
  if (typeof v !== 'string') return fallback;
  const t = Date.parse(v);
  return Number.isNaN(t) ? fallback : t;
}

/** The first value of a request param. */
export function pairValue(pairs: Pair[], name: string): string | undefined {
  return pairs.find(([k]) => k === name)?.[1];
}

/** True for a 2xx status. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The objects of a list page under `key` (2010 array, or v1/v2 `meta.key`). */
export function listItems(body: unknown, key: string): Record<string, unknown>[] {
  if (!isObject(body)) return [];
  const items = body[key];
  return Array.isArray(items) ? items.filter(isObject) : [];
}

