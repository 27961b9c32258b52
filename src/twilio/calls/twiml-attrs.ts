/**
 * Reading a TwiML element's attributes the way Twilio does: an attribute the verb does not know is
 * a 12200 schema warning and is ignored; a known attribute with a bad value is the verb's own
 * warning (13xxx) and its default applies (errors/NNNNN: "Twilio skips the offending attribute").
 */
import { alert, type TwimlAlertCode, type TwimlIssue } from '../twiml/alerts';
import type { XmlElement } from '../twiml/xml';
import { CALL_EVENTS, type CallEvent, type HttpMethod } from './types';

/** Typed, defaulted access to one element's attributes; bad values are reported to `issues`. */
export interface AttrReader {
  /** The raw value, or null when absent. */
  str(name: string): string | null;
  /** A URL-ish value: null when absent or blank. */
  url(name: string): string | null;
  /** `GET`/`POST` in any case; POST when absent or bad. */
  method(name: string, code: TwimlAlertCode): HttpMethod;
  /** A whole number in [min, max]; `fallback` when absent or bad. */
  int(name: string, code: TwimlAlertCode, fallback: number, min?: number, max?: number): number;
  /** `true`/`false` in any case; `fallback` when absent or bad. */
  bool(name: string, code: TwimlAlertCode, fallback: boolean): boolean;
  /** One of `values` (exact case); `fallback` when absent or bad. */
  oneOf<T extends string>(name: string, code: TwimlAlertCode, values: readonly T[], fallback: T): T;
  /** Space-separated words, each one of `values`; `fallback` when absent or any is bad. */
  words<T extends string>(name: string, code: TwimlAlertCode, values: readonly T[], fallback: T[]): T[];
  /** A `statusCallbackEvent`-style list of call events (default `completed` only, §3). */
  events(name: string, code: TwimlAlertCode): CallEvent[];
}

/**
 * A reader of `el`'s attributes. Those not in `allowed` are reported once, here, as 12200; the
 * reader's getters then only read allowed names.
 */
export function readAttrs(el: XmlElement, allowed: readonly string[], issues: TwimlIssue[]): AttrReader {
  for (const name of Object.keys(el.attrs)) {
    if (!allowed.includes(name)) issues.push(alert(12200, `attribute "${name}" is not allowed on <${el.name}>`));
  }
  const raw = (name: string): string | undefined => el.attrs[name];
  const bad = (code: TwimlAlertCode, name: string, value: string): void => {
    issues.push(alert(code, `<${el.name} ${name}="${value}">`));
  };
  return {
    str: (name) => raw(name) ?? null,
    url: (name) => {
      const v = raw(name)?.trim();
      return v ? v : null;
    },
    method(name, code) {
      const v = raw(name);
      if (v === undefined) return 'POST';
      const m = v.trim().toUpperCase();
      if (m === 'GET' || m === 'POST') return m;
      bad(code, name, v);
      return 'POST';
    },
    int(name, code, fallback, min = 1, max = Number.MAX_SAFE_INTEGER) {
      const v = raw(name);
      if (v === undefined) return fallback;
      const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
      if (Number.isInteger(n) && n >= min && n <= max) return n;
      bad(code, name, v);
      return fallback;
    },
    bool(name, code, fallback) {
      const v = raw(name);
      if (v === undefined) return fallback;
      const b = v.trim().toLowerCase();
      if (b === 'true' || b === 'false') return b === 'true';
      bad(code, name, v);
      return fallback;
    },
    oneOf(name, code, values, fallback) {
      const v = raw(name);
      if (v === undefined) return fallback;
      if ((values as readonly string[]).includes(v.trim())) return v.trim() as typeof fallback;
      bad(code, name, v);
      return fallback;
    },
    words(name, code, values, fallback) {
      const v = raw(name);
      if (v === undefined) return fallback;
      const list = v.split(/\s+/).filter(Boolean);
      if (list.length > 0 && list.every((w) => (values as readonly string[]).includes(w))) return [...new Set(list)] as typeof fallback;
      bad(code, name, v);
      return fallback;
    },
    events(name, code) {
      return this.words(name, code, CALL_EVENTS, ['completed']);
    },
  };
}
