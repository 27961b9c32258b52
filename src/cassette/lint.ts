/**
 * `mirra cassettes lint`: finds anything in a cassette that looks like a secret, for pre-commit
 * hooks. The recorder never writes secrets; this catches hand edits, files recorded or converted
 * by other tools, and values that slipped past redaction (a token pasted into a message body).
 *
 * It reads the parsed structure, not the lines of the file: a secret-named param is found whatever
 * the formatting (`jq .` puts the name and the value of a pair on separate lines), and every key
 * and value is looked at wherever it sits — form and query pairs, headers, bodies, JSON held in a
 * string, query strings inside URLs. A file that does not parse is refused
 * (MIRRA_ERR_INVALID_CASSETTE), never reported clean.
 */
import { MirraError } from '../errors';
import { REDACTED, isSecretName } from './redact';

/** One suspicious value. */
export interface LintFinding {
  /** Where it sits, e.g. `interactions[0].request.form[2]`. */
  path: string;
  rule: string;
  /** The value with its middle masked, so the report itself leaks nothing. */
  excerpt: string;
}

interface Rule {
  name: string;
  pattern: RegExp;
}

/** Patterns looked for in every string (keys included). */
const VALUE_RULES: Rule[] = [
  { name: 'basic-auth header', pattern: /Basic\s+[A-Za-z0-9+/]{16,}={0,2}/g },
  { name: 'bearer token', pattern: /Bearer\s+[A-Za-z0-9._~+/-]{16,}/g },
  { name: 'twilio account sid', pattern: /\bAC[0-9a-f]{32}\b/g },
  { name: 'twilio api key sid', pattern: /\bSK[0-9a-f]{32}\b/g },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { name: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
  { name: 'aws access key', pattern: /\bAKIA[0-9A-Z]{16}\b/g },
  { name: 'credentials in a URL', pattern: /\bhttps?:\/\/[^\s/:@"]+:[^\s/@"]+@/g },
];

/** Keys whose mere presence is a leak: mirra never writes request auth or cookie headers. */
const AUTH_KEYS = /^(?:authorization|proxy-authorization|cookie|set-cookie)$/i;

/** `name=value` inside a query string or form text (`?AuthToken=…`, `a=1&Password=…`). */
const PARAM_IN_TEXT = /(?:^|[?&;])([^=&?#;\s]+)=([^&#;\s]*)/g;

function mask(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return value.slice(0, 4) + '…' + value.slice(-2);
}

/** True for a value a secret-named field may hold: nothing, or the redaction marker. */
function isHarmless(value: unknown): boolean {
  return value === null || value === undefined || value === '' || value === REDACTED || typeof value === 'boolean' || typeof value === 'object';
}

function childPath(path: string, key: string): string {
  const step = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return path === '' ? step.replace(/^\./, '') : path + step;
}

/** Walks a parsed cassette; collects findings. */
class Linter {
  readonly findings: LintFinding[] = [];

  private add(path: string, rule: string, value: string): void {
    this.findings.push({ path: path || '(top)', rule, excerpt: mask(value) });
  }

  /** A name with its value (an object's field, or a `[name, value]` pair). */
  private named(path: string, name: string, value: unknown): void {
    if (AUTH_KEYS.test(name)) this.add(path, 'authorization field', `${name}`);
    else if (isSecretName(name) && !isHarmless(value)) this.add(path, 'secret-named field', `${name} = ${String(value)}`);
  }

  string(text: string, path: string): void {
    for (const rule of VALUE_RULES) for (const m of text.matchAll(rule.pattern)) this.add(path, rule.name, m[0]);
    if (text.includes('=')) {
      for (const m of text.matchAll(PARAM_IN_TEXT)) {
        let name = m[1];
        let value = m[2];
        try {
          name = decodeURIComponent(name.replace(/\+/g, ' '));
          value = decodeURIComponent(value.replace(/\+/g, ' '));
        } catch {
          /* not percent-encoded after all: looked at as written */
        }
        if (isSecretName(name) && !isHarmless(value)) this.add(path, 'secret-named param in text', `${name}=${value}`);
      }
    }
    // JSON kept as text (a raw body, a param carrying JSON) is looked into as well.
    const trimmed = text.trim();
    if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
      let inner: unknown;
      try {
        inner = JSON.parse(trimmed);
      } catch {
        return;
      }
      this.value(inner, `${path}(json)`);
    }
  }

  value(value: unknown, path: string): void {
    if (typeof value === 'string') return this.string(value, path);
    if (Array.isArray(value)) {
      // A `[name, value]` pair (form, query, callback params): the name says what the value is.
      if (value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') this.named(path, value[0], value[1]);
      value.forEach((v, i) => this.value(v, `${path}[${i}]`));
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const at = childPath(path, k);
        this.string(k, at);
        this.named(at, k, v);
        this.value(v, at);
      }
    }
  }
}

/** Every suspicious key or value in a parsed cassette (or any JSON value). */
export function lintCassetteValue(value: unknown): LintFinding[] {
  const linter = new Linter();
  linter.value(value, '');
  return linter.findings;
}

/**
 * Every suspicious key or value in `text` (a cassette file's contents). Throws
 * MIRRA_ERR_INVALID_CASSETTE when the text is not JSON: what cannot be read cannot be called clean.
 */
export function lintCassetteText(text: string, source = 'cassette'): LintFinding[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MirraError('MIRRA_ERR_INVALID_CASSETTE', `${source}: not JSON (${(err as Error).message}), so it cannot be checked for secrets`);
  }
  return lintCassetteValue(value);
}
