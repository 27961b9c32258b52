/**
 * The keys matching is indexed by: a request's route (method, product, path shape) and its exact
 * key under a cassette's rules (what must be equal for a fast match), and which slow comparisons
 * (aliases, dates) a recorded request needs. Pure; shared by every index (./match.ts).
 */
import type { CompiledRules } from './compare';
import type { Pair, RecordedRequest } from './types';

const ALIAS = /\{[A-Z]{2}#\d+\}/;
const DATE = /\{date:[a-z0-9]+:[+-]\d+\}/;
/** A SID alias or a real SID: both have the same shape for routing. */
const SID_OR_ALIAS = /\{([A-Z]{2})#\d+\}|(?<![A-Za-z0-9])([A-Z]{2})[0-9a-f]{32}(?![0-9A-Za-z])/g;
/** A real SID (also inside a `PA`/`PB` page token), as the tokenizer finds them. */
export const RAW_SID = /(?<![A-Za-z0-9])(?:P[AB])?[A-Z]{2}[0-9a-f]{32}(?![0-9A-Za-z])/;
/** Placeholder of a pattern-matched value in an exact key (only its presence counts there). */
const PATTERN_VALUE = '\u0000pattern';

/** The path with every SID and alias replaced by its prefix: `/Messages/{SM}.json`. */
export function pathShape(path: string): string {
  return path.replace(SID_OR_ALIAS, (_m, a?: string, b?: string) => `{${a ?? b}}`);
}

/** The routing key of a request: method, product and path shape. */
export function routeKey(r: Pick<RecordedRequest, 'method' | 'product' | 'path'>): string {
  return `${r.method.toUpperCase()} ${r.product} ${pathShape(r.path)}`;
}

function keyPairs(pairs: Pair[], rules: CompiledRules): Pair[] {
  const out: Pair[] = [];
  for (const [k, v] of pairs) {
    if (rules.ignore.has(k)) continue;
    out.push([k, rules.patterns.has(k) ? PATTERN_VALUE : v]);
  }
  return out;
}

/** The exact key of a request under `rules`: what must be equal for a fast match. */
export function exactKey(r: RecordedRequest, rules: CompiledRules): string {
  return JSON.stringify([r.method.toUpperCase(), r.product, r.path, keyPairs(r.query, rules), keyPairs(r.form, rules)]);
}

export function hasToken(r: RecordedRequest, rules: CompiledRules, token: RegExp): boolean {
  if (token.test(r.path)) return true;
  for (const [k, v] of [...r.query, ...r.form]) if (!rules.ignore.has(k) && !rules.patterns.has(k) && token.test(v)) return true;
  return false;
}

/** Whether a recorded request has an alias, a date token (the slow kinds it falls under). */
export function slowKinds(r: RecordedRequest, rules: CompiledRules): { aliased: boolean; dated: boolean } {
  return { aliased: hasToken(r, rules, ALIAS), dated: hasToken(r, rules, DATE) };
}
