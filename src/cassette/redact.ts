/**
 * What never reaches a cassette or the working store: Authorization and cookie headers (only an
 * allow-list of response headers is kept at all), any param or JSON field named like a secret
 * (`AuthToken`, `auth_token`, `Password`, `ApiKeySecret`, `secret`, ...), and every occurrence of a
 * known secret value anywhere — the Basic-auth password of each request the recorder forwards, and
 * its base64 credentials — even inside a message body the app chose to send.
 *
 * Redaction happens before anything is written, so neither LMDB nor the text form ever holds a
 * secret. Replay must redact a live request the same way before matching it (call
 * {@link Redactor.pairs} with the live credentials), or a request that carried a secret never
 * matches its redacted recording.
 */
import type { Pair } from './types';

/** The value written in place of a secret. */
export const REDACTED = '[REDACTED]';

/** Response headers worth keeping: what a client reads. Everything else (cookies, ids) is dropped. */
export const KEPT_RESPONSE_HEADERS = ['content-type', 'retry-after'] as const;

/** Secrets shorter than this are not scrubbed from text: they would match innocent words. */
const MIN_SECRET_LENGTH = 8;

/** True for a param or field name that holds a secret (case, `_` and `-` ignored). */
export function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[_-]/g, '');
  return n.includes('authtoken') || n.includes('password') || n.includes('secret');
}

/** How many values a {@link Redactor} replaced, for a report of what was dropped. */
export interface RedactionCounts {
  /** Values of secret-named params and JSON fields. */
  byName: number;
  /** Occurrences of a known secret value inside other text. */
  byValue: number;
}

/** Removes secrets from values; knows the secret values it has been told about. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;
  /** What this redactor has replaced so far (read by `mirra cassettes import` to report it). */
  readonly counts: RedactionCounts = { byName: 0, byValue: 0 };

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.addSecret(s);
  }

  /** Adds a secret value to scrub from now on (too short ones are ignored). */
  addSecret(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    // Longest first, so a secret that contains another is removed whole.
    const sources = [...this.secrets].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern = new RegExp(sources.join('|'), 'g');
  }

  /** Adds the password of a Basic `Authorization` header and the header's credentials. */
  addBasicAuth(header: string | undefined): { username: string; password: string } | undefined {
    const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
    if (!m) return undefined;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return undefined;
    const password = decoded.slice(colon + 1);
    this.addSecret(password);
    this.addSecret(m[1]);
    return { username: decoded.slice(0, colon), password };
  }

  /** `text` with every known secret replaced by {@link REDACTED}. */
  string(text: string): string {
    if (!this.pattern) return text;
    this.pattern.lastIndex = 0;
    if (!this.pattern.test(text)) return text;
    return text.replace(this.pattern, () => {
      this.counts.byValue++;
      return REDACTED;
    });
  }

  /** {@link REDACTED}, counted when it replaces a real value. */
  private byName(value: unknown): string {
    if (value !== REDACTED && value !== '') this.counts.byName++;
    return REDACTED;
  }

  /** Pairs with secret-named values replaced and secrets scrubbed from the rest. */
  pairs(pairs: readonly Pair[]): Pair[] {
    return pairs.map(([k, v]): Pair => [k, isSecretName(k) ? this.byName(v) : this.string(v)]);
  }

  /** A deep copy of a JSON value with secret-named fields replaced and secrets scrubbed. */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out[this.string(k)] = isSecretName(k) && v !== null && typeof v !== 'object' ? this.byName(v) : this.value(v);
      }
      return out;
    }
    return value;
  }

  /** The kept response headers (lower-case names, sorted), secrets scrubbed. */
  headers(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of KEPT_RESPONSE_HEADERS) {
      const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
      const v = key === undefined ? undefined : headers[key];
      if (v !== undefined) out[name] = this.string(Array.isArray(v) ? v.join(', ') : String(v));
    }
    return out;
  }
}
