/**
 * Comparing one recorded request with an incoming one, field by field, under a cassette's match
 * rules: what differs (for explaining a miss) and which alias bindings a match would imply (an
 * unknown SID where the recording has an unbound alias). Pure.
 */
import type { MatchRules, Pair, RecordedRequest } from './types';

/** Compiled {@link MatchRules}. */
export interface CompiledRules {
  ignore: ReadonlySet<string>;
  patterns: ReadonlyMap<string, RegExp>;
  /** Regexes of recorded values with tokens, compiled once per cassette (see tokenRegex). */
  tokenRegexes: Map<string, RegExp | null>;
}

/** What the session already knows about aliases (read-only for matching). */
export interface AliasView {
  /** True when the alias (`{SM#1}`) is bound to a SID of the session. */
  isBound(alias: string): boolean;
}

/** A SID alias the match implies: `alias` now stands for `sid` in this session. */
export interface Binding {
  alias: string;
  sid: string;
}

/** Compiles a cassette's rules (patterns match the whole value). */
export function compileRules(rules: MatchRules = {}): CompiledRules {
  const patterns = new Map<string, RegExp>();
  for (const [name, source] of Object.entries(rules.patterns ?? {})) patterns.set(name, new RegExp(`^(?:${source})$`, 's'));
  return { ignore: new Set(rules.ignoreParams ?? []), patterns, tokenRegexes: new Map() };
}

/** A field of a request where a recorded request and an incoming one differ. */
export interface Difference {
  /** `method`, `product`, `path`, `query.NAME`, `form.NAME`, or `repeat`. */
  field: string;
  recorded: string | null;
  actual: string | null;
}

function valuesByName(pairs: Pair[], rules: CompiledRules): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of pairs) {
    if (rules.ignore.has(k)) continue;
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}

/** A regex for a recorded value with tokens (aliases match a SID or the alias; dates anything). */
function tokenRegex(recorded: string, cache: Map<string, RegExp | null>): RegExp | null {
  let re = cache.get(recorded);
  if (re !== undefined) return re;
  const tokens = /\{([A-Z]{2})#\d+\}|\{date:[a-z0-9]+:[+-]\d+\}/g;
  if (!tokens.test(recorded)) re = null;
  else {
    tokens.lastIndex = 0;
    let src = '^';
    let last = 0;
    for (let m = tokens.exec(recorded); m; m = tokens.exec(recorded)) {
      src += escapeRegex(recorded.slice(last, m.index));
      src += m[1] ? `(\\{${m[1]}#\\d+\\}|${m[1]}[0-9a-f]{32})` : '(.+?)';
      last = m.index + m[0].length;
    }
    re = new RegExp(src + escapeRegex(recorded.slice(last)) + '$', 's');
  }
  cache.set(recorded, re);
  return re;
}

/** `s` with regex metacharacters escaped. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Unifies one recorded value with an actual one, adding implied bindings; false when they differ. */
function unify(recorded: string, actual: string, aliases: AliasView, bindings: Map<string, string>, rules: CompiledRules): boolean {
  if (recorded === actual) return true;
  const re = tokenRegex(recorded, rules.tokenRegexes);
  if (!re) return false;
  const m = re.exec(actual);
  if (!m) return false;
  const aliasTokens = recorded.match(/\{[A-Z]{2}#\d+\}|\{date:[a-z0-9]+:[+-]\d+\}/g) ?? [];
  for (let i = 0; i < aliasTokens.length; i++) {
    const token = aliasTokens[i];
    const got = m[i + 1];
    if (token.startsWith('{date:') || got === token) continue;
    if (got.startsWith('{')) return false; // a different alias the session already bound
    const prior = bindings.get(token);
    if (prior !== undefined ? prior !== got : aliases.isBound(token)) return false;
    for (const [a, sid] of bindings) if (sid === got && a !== token) return false;
    bindings.set(token, got);
  }
  return true;
}

/**
 * Compares a recorded request with an incoming identity under `rules`: the fields that differ,
 * and the alias bindings a match would imply.
 */
export function compareRequests(
  recorded: RecordedRequest,
  actual: RecordedRequest,
  rules: CompiledRules,
  aliases: AliasView,
): { differences: Difference[]; bindings: Binding[] } {
  const differences: Difference[] = [];
  const bindings = new Map<string, string>();
  if (recorded.method.toUpperCase() !== actual.method.toUpperCase()) differences.push({ field: 'method', recorded: recorded.method, actual: actual.method });
  if (recorded.product !== actual.product) differences.push({ field: 'product', recorded: recorded.product, actual: actual.product });
  if (!unify(recorded.path, actual.path, aliases, bindings, rules)) differences.push({ field: 'path', recorded: recorded.path, actual: actual.path });
  for (const part of ['query', 'form'] as const) {
    const rec = valuesByName(recorded[part], rules);
    const act = valuesByName(actual[part], rules);
    for (const name of new Set([...rec.keys(), ...act.keys()])) {
      const r = rec.get(name);
      const a = act.get(name);
      const field = `${part}.${name}`;
      const show = (v: string[] | undefined) => (v === undefined ? null : v.join(', '));
      if (!r || !a) {
        differences.push({ field, recorded: show(r), actual: show(a) });
        continue;
      }
      const pattern = rules.patterns.get(name);
      const same = pattern
        ? a.every((v) => pattern.test(v))
        : r.length === a.length && r.every((v, i) => unify(v, a[i], aliases, bindings, rules));
      if (!same) differences.push({ field, recorded: pattern ? `/${pattern.source.slice(4, -2)}/` : show(r), actual: show(a) });
    }
  }
  return { differences, bindings: [...bindings].map(([alias, sid]) => ({ alias, sid })) };
}
