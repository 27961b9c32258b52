/**
 * The text form of a cassette: `cassettes/NAME.cassette.json`, the file users commit and review.
 * It is written deterministically — fixed key order for mirra's own fields (body fields keep the
 * order Twilio sent), two-space indentation, each form/query pair on one line, UTF-8 as is, LF
 * line endings and a final newline — so the same cassette always has the same bytes and a review
 * diff shows one changed line per changed value.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { MirraError } from '../errors';
import type { Cassette, Interaction, Pair, RecordedCallback } from './types';

/** The file-name suffix of cassettes. */
export const CASSETTE_SUFFIX = '.cassette.json';

/** Key order of mirra's own objects; unknown keys follow in sorted order. */
const ORDER = {
  cassette: ['version', 'name', 'callbacks', 'match', 'interactions'],
  match: ['ignoreParams', 'patterns'],
  interaction: ['seq', 'offsetMs', 'request', 'response', 'fault', 'callbacks'],
  request: ['method', 'product', 'path', 'query', 'form'],
  response: ['status', 'headers', 'body'],
  callback: ['offsetMs', 'urlParam', 'params'],
} as const;

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

/** True for a usable cassette name: letters, digits, `_ . -`, folders separated by `/`. */
export function isValidCassetteName(name: string): boolean {
  return NAME.test(name) && !name.split('/').some((part) => part === '.' || part === '..') && name.length <= 200;
}

/** The file of cassette `name` under `dir`; throws MIRRA_ERR_UNKNOWN_CASSETTE for a bad name. */
export function cassettePath(dir: string, name: string): string {
  if (!isValidCassetteName(name)) throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `${JSON.stringify(name)} is not a cassette name (letters, digits, _ . - and /)`);
  return join(dir, ...name.split('/')) + CASSETTE_SUFFIX;
}

function ordered(obj: Record<string, unknown>, order: readonly string[]): [string, unknown][] {
  const known = order.filter((k) => obj[k] !== undefined).map((k): [string, unknown] => [k, obj[k]]);
  const rest = Object.keys(obj)
    .filter((k) => !order.includes(k) && obj[k] !== undefined)
    .sort()
    .map((k): [string, unknown] => [k, obj[k]]);
  return [...known, ...rest];
}

function isPair(v: unknown): v is Pair {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';
}

/** Prints a JSON value; `entries` gives the key order of objects mirra owns. */
function print(value: unknown, indent: string, entries?: (obj: Record<string, unknown>) => [string, unknown][]): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => (isPair(v) ? `[${JSON.stringify(v[0])}, ${JSON.stringify(v[1])}]` : print(v, inner)));
    return `[\n${items.map((s) => inner + s).join(',\n')}\n${indent}]`;
  }
  const obj = value as Record<string, unknown>;
  const list = entries ? entries(obj) : Object.entries(obj).filter(([, v]) => v !== undefined);
  if (list.length === 0) return '{}';
  // `entries` orders this object only: nested values (a response body) keep the order they have.
  return `{\n${list.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${print(v, inner)}`).join(',\n')}\n${indent}}`;
}

function interactionText(i: Interaction, indent: string): string {
  const inner = indent + '  ';
  const fields = ordered(i as unknown as Record<string, unknown>, ORDER.interaction).map(([k, v]) => {
    let text: string;
    if (k === 'request') text = print(v, inner, (o) => ordered(o, ORDER.request));
    else if (k === 'response') text = responseText(v as Record<string, unknown>, inner);
    else if (k === 'callbacks') text = listText(v as RecordedCallback[], inner, (o) => print(o, inner + '  ', (c) => ordered(c, ORDER.callback)));
    else text = print(v, inner);
    return `${inner}${JSON.stringify(k)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n${indent}}`;
}

function responseText(res: Record<string, unknown>, indent: string): string {
  const inner = indent + '  ';
  const fields = ordered(res, ORDER.response).map(([k, v]) => {
    const text = k === 'headers' ? print(v, inner, (o) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))) : print(v, inner);
    return `${inner}${JSON.stringify(k)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n${indent}}`;
}

function listText<T>(items: T[], indent: string, each: (item: T) => string): string {
  if (items.length === 0) return '[]';
  const inner = indent + '  ';
  return `[\n${items.map((item) => inner + each(item)).join(',\n')}\n${indent}]`;
}

/** The text form of `cassette` (deterministic; ends with a newline). */
export function formatCassette(cassette: Cassette): string {
  const fields = ordered(cassette as unknown as Record<string, unknown>, ORDER.cassette).map(([k, v]) => {
    let text: string;
    if (k === 'interactions') text = listText(v as Interaction[], '  ', (i) => interactionText(i, '    '));
    else if (k === 'match') text = print(v, '  ', (o) => ordered(o, ORDER.match));
    else text = print(v, '  ');
    return `  ${JSON.stringify(k)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}

/** Fails with MIRRA_ERR_INVALID_CASSETTE naming the source and the field. */
function invalid(source: string, what: string): never {
  throw new MirraError('MIRRA_ERR_INVALID_CASSETTE', `${source}: ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkPairs(v: unknown, source: string, at: string): void {
  if (!Array.isArray(v) || !v.every(isPair)) invalid(source, `${at} must be a list of ["name", "value"] pairs`);
}

/** Checks one interaction of a cassette's text (`at` names it in the error, e.g. `interactions[3]`). */
export function checkInteraction(v: unknown, source: string, at: string): asserts v is Interaction {
  if (!isObject(v)) invalid(source, `${at} must be an object`);
  if (!Number.isInteger(v.seq)) invalid(source, `${at}.seq must be an integer`);
  if (typeof v.offsetMs !== 'number') invalid(source, `${at}.offsetMs must be a number`);
  const req = v.request;
  if (!isObject(req)) invalid(source, `${at}.request must be an object`);
  for (const k of ['method', 'product', 'path'] as const) if (typeof req[k] !== 'string') invalid(source, `${at}.request.${k} must be a string`);
  checkPairs(req.query, source, `${at}.request.query`);
  checkPairs(req.form, source, `${at}.request.form`);
  if (v.response !== undefined) {
    const res = v.response;
    if (!isObject(res) || !Number.isInteger(res.status)) invalid(source, `${at}.response.status must be an integer`);
    if (!isObject(res.headers) || !Object.values(res.headers).every((h) => typeof h === 'string')) invalid(source, `${at}.response.headers must map names to strings`);
    if (!('body' in res)) invalid(source, `${at}.response.body is missing`);
  }
  if (v.fault !== undefined && v.fault !== 'reset' && v.fault !== 'timeout') invalid(source, `${at}.fault must be "reset" or "timeout"`);
  if (v.response === undefined && v.fault === undefined) invalid(source, `${at} has neither a response nor a fault`);
  if (!Array.isArray(v.callbacks)) invalid(source, `${at}.callbacks must be a list`);
  v.callbacks.forEach((cb, j) => {
    if (!isObject(cb) || typeof cb.offsetMs !== 'number' || typeof cb.urlParam !== 'string') invalid(source, `${at}.callbacks[${j}] needs offsetMs and urlParam`);
    checkPairs(cb.params, source, `${at}.callbacks[${j}].params`);
  });
}

/**
 * Checks a cassette's fields other than its interactions (`interactions` must be a list; its items
 * are checked by {@link checkInteraction}).
 */
export function checkHeader(value: unknown, source: string): asserts value is Cassette {
  if (!isObject(value)) invalid(source, 'a cassette is a JSON object');
  if (value.version !== 1) invalid(source, `version ${JSON.stringify(value.version)} is not supported (expected 1)`);
  if (typeof value.name !== 'string') invalid(source, 'name must be a string');
  if (value.callbacks !== undefined && value.callbacks !== 'recorded' && value.callbacks !== 'synthesised') invalid(source, 'callbacks must be "recorded" or "synthesised"');
  if (value.match !== undefined && !isObject(value.match)) invalid(source, 'match must be an object');
  if (!Array.isArray(value.interactions)) invalid(source, 'interactions must be a list');
}

/** Parses JSON text, failing with MIRRA_ERR_INVALID_CASSETTE naming `source` (and `at`, a part of it). */
export function parseJson(text: string, source: string, at?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    invalid(source, `${at ? `${at} is ` : ''}not JSON (${(err as Error).message})`);
  }
}

/** Parses and checks the text form; errors name `source` and the offending field. */
export function parseCassette(text: string, source = 'cassette'): Cassette {
  const value = parseJson(text, source);
  checkHeader(value, source);
  value.interactions.forEach((i, n) => checkInteraction(i, source, `interactions[${n}]`));
  return value;
}

/** Reads and parses a cassette file. */
export function readCassetteFile(file: string): Cassette {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `${file} does not exist`);
    throw err;
  }
  return parseCassette(text, file);
}

/** Loads cassette `name` from `dir` (`dir/NAME.cassette.json`). */
export function loadCassette(dir: string, name: string): Cassette {
  return readCassetteFile(cassettePath(dir, name));
}

/** Writes `cassette` to `dir/NAME.cassette.json` atomically (temp file, then rename); returns the path. */
export function saveCassette(dir: string, cassette: Cassette): string {
  const file = cassettePath(dir, cassette.name);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, formatCassette(cassette));
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return file;
}

/** Names of the cassettes under `dir` (folders become `/`), sorted. */
export function listCassetteNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith(CASSETTE_SUFFIX)) out.push(relative(dir, full).slice(0, -CASSETTE_SUFFIX.length).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
