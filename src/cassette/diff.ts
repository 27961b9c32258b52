/**
 * The semantic diff of two cassettes: which interactions were added or removed, which response
 * fields, statuses or faults changed, and how callback sequences changed — with volatile values
 * ignored (alias numbers, date offsets, timing), so re-recording an unchanged scenario diffs empty
 * and a real change in Twilio's behaviour shows as exactly that change.
 *
 * Interactions are aligned by their request (longest common subsequence), then requests left
 * over between two aligned ones are paired when they address the same route, so a changed
 * parameter shows as a change of that parameter rather than as one removal and one addition.
 */
import type { Cassette, Interaction, Pair } from './types';

/** One changed value; `a`/`b` are JSON texts, undefined when the field is absent on that side. */
export interface FieldChange {
  field: string;
  a?: string;
  b?: string;
}

/** An interaction present on one side only. */
export interface SideEntry {
  seq: number;
  title: string;
  outcome: string;
}

/** An interaction present on both sides whose request or answer differs. */
export interface ChangedEntry {
  seqA: number;
  seqB: number;
  title: string;
  changes: FieldChange[];
}

/** The differences between cassette A and cassette B. */
export interface CassetteDiff {
  name: string;
  header: FieldChange[];
  changed: ChangedEntry[];
  added: SideEntry[];
  removed: SideEntry[];
  /** Interactions on both sides with no difference. */
  unchanged: number;
}

/** Masks what differs between recordings without meaning anything: alias numbers, date offsets. */
export function maskVolatile(text: string): string {
  return text.replace(/\{([A-Z]{2})#\d+\}/g, '{$1}').replace(/\{date:([a-z0-9]+):[+-]\d+\}/g, '{date:$1}');
}

/** A request in one line: `POST api /2010-04-01/Accounts/{AccountSid}/Messages.json`. */
export function titleOf(i: Interaction): string {
  return `${i.request.method} ${i.request.product} ${i.request.path}`;
}

/** What an interaction answered: `201`, or `fault: reset`. */
export function outcomeOf(i: Interaction): string {
  return i.response ? String(i.response.status) : `fault: ${i.fault ?? 'unknown'}`;
}

function requestKey(i: Interaction): string {
  const r = i.request;
  return maskVolatile(JSON.stringify([r.method.toUpperCase(), r.product, r.path, r.query, r.form]));
}

function routeOf(i: Interaction): string {
  return maskVolatile(`${i.request.method.toUpperCase()} ${i.request.product} ${i.request.path}`);
}

/** Index pairs of a longest common subsequence of `a` and `b`. */
function lcs(a: string[], b: string[]): [number, number][] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] = a[i] === b[j] ? table[(i + 1) * cols + j + 1] + 1 : Math.max(table[(i + 1) * cols + j], table[i * cols + j + 1]);
    }
  }
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) out.push([i++, j++]);
    else if (table[(i + 1) * cols + j] >= table[i * cols + j + 1]) i++;
    else j++;
  }
  return out;
}

/** Flattens a JSON value into `path → JSON text` (volatile values masked). */
function flatten(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (Array.isArray(value) && value.length > 0) value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, out);
  } else out.set(path, maskVolatile(JSON.stringify(value ?? null)));
  return out;
}

function compareMaps(a: Map<string, string>, b: Map<string, string>, out: FieldChange[]): void {
  for (const [field, av] of a) {
    const bv = b.get(field);
    if (bv !== av) out.push(bv === undefined ? { field, a: av } : { field, a: av, b: bv });
  }
  for (const [field, bv] of b) if (!a.has(field)) out.push({ field, b: bv });
}

function pairsMap(pairs: Pair[], prefix: string): Map<string, string> {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of pairs) grouped.set(k, [...(grouped.get(k) ?? []), v]);
  const out = new Map<string, string>();
  for (const [k, vs] of grouped) out.set(`${prefix}.${k}`, maskVolatile(JSON.stringify(vs.length === 1 ? vs[0] : vs)));
  return out;
}

/** A callback's one-word summary: its status when it has one. */
function callbackLabel(params: Pair[]): string {
  for (const key of ['MessageStatus', 'SmsStatus', 'CallStatus', 'VerificationStatus', 'Status', 'EventType']) {
    const hit = params.find(([k]) => k === key);
    if (hit) return hit[1];
  }
  return '?';
}

function compareCallbacks(a: Interaction, b: Interaction, out: FieldChange[]): void {
  const ca = a.callbacks;
  const cb = b.callbacks;
  if (ca.length !== cb.length) {
    out.push({ field: 'callbacks', a: JSON.stringify(ca.map((c) => callbackLabel(c.params))), b: JSON.stringify(cb.map((c) => callbackLabel(c.params))) });
    return;
  }
  ca.forEach((c, i) => {
    if (c.urlParam !== cb[i].urlParam) out.push({ field: `callbacks[${i}].urlParam`, a: JSON.stringify(c.urlParam), b: JSON.stringify(cb[i].urlParam) });
    compareMaps(pairsMap(c.params, `callbacks[${i}]`), pairsMap(cb[i].params, `callbacks[${i}]`), out);
  });
}

/** The differences between two interactions that answer the same request (or the same route). */
export function compareInteractions(a: Interaction, b: Interaction): FieldChange[] {
  const out: FieldChange[] = [];
  if (maskVolatile(a.request.path) !== maskVolatile(b.request.path)) out.push({ field: 'request.path', a: JSON.stringify(a.request.path), b: JSON.stringify(b.request.path) });
  compareMaps(pairsMap(a.request.query, 'request.query'), pairsMap(b.request.query, 'request.query'), out);
  compareMaps(pairsMap(a.request.form, 'request.form'), pairsMap(b.request.form, 'request.form'), out);
  if (a.fault !== b.fault) out.push({ field: 'fault', a: a.fault && JSON.stringify(a.fault), b: b.fault && JSON.stringify(b.fault) });
  if (a.response && b.response) {
    if (a.response.status !== b.response.status) out.push({ field: 'response.status', a: String(a.response.status), b: String(b.response.status) });
    compareMaps(flatten(a.response.headers, 'response.headers', new Map()), flatten(b.response.headers, 'response.headers', new Map()), out);
    compareMaps(flatten(a.response.body, 'response.body', new Map()), flatten(b.response.body, 'response.body', new Map()), out);
  } else if (a.response || b.response) {
    out.push({ field: 'response', a: a.response && String(a.response.status), b: b.response && String(b.response.status) });
  }
  compareCallbacks(a, b, out);
  return out;
}

/** The semantic diff of cassette `a` (before) and `b` (after). */
export function diffCassettes(a: Cassette, b: Cassette): CassetteDiff {
  const diff: CassetteDiff = { name: b.name, header: [], changed: [], added: [], removed: [], unchanged: 0 };
  const ia = [...a.interactions].sort((x, y) => x.seq - y.seq);
  const ib = [...b.interactions].sort((x, y) => x.seq - y.seq);
  const modeA = a.callbacks ?? 'synthesised';
  const modeB = b.callbacks ?? 'synthesised';
  if (modeA !== modeB) diff.header.push({ field: 'callbacks', a: JSON.stringify(modeA), b: JSON.stringify(modeB) });
  const matchA = JSON.stringify(a.match ?? {});
  const matchB = JSON.stringify(b.match ?? {});
  if (matchA !== matchB) diff.header.push({ field: 'match', a: matchA, b: matchB });

  const pairs: [number, number][] = [];
  const anchors = [...lcs(ia.map(requestKey), ib.map(requestKey)), [ia.length, ib.length] as [number, number]];
  let pa = 0;
  let pb = 0;
  for (const [na, nb] of anchors) {
    // Between two anchors: pair leftovers that address the same route, in order.
    const restB = Array.from({ length: nb - pb }, (_, k) => pb + k);
    for (let x = pa; x < na; x++) {
      const at = restB.findIndex((y) => routeOf(ib[y]) === routeOf(ia[x]));
      if (at === -1) diff.removed.push({ seq: ia[x].seq, title: titleOf(ia[x]), outcome: outcomeOf(ia[x]) });
      else pairs.push([x, restB.splice(at, 1)[0]]);
    }
    for (const y of restB) diff.added.push({ seq: ib[y].seq, title: titleOf(ib[y]), outcome: outcomeOf(ib[y]) });
    if (na < ia.length) pairs.push([na, nb]);
    pa = na + 1;
    pb = nb + 1;
  }
  for (const [x, y] of pairs.sort((p, q) => p[1] - q[1])) {
    const changes = compareInteractions(ia[x], ib[y]);
    if (changes.length === 0) diff.unchanged++;
    else diff.changed.push({ seqA: ia[x].seq, seqB: ib[y].seq, title: titleOf(ib[y]), changes });
  }
  diff.added.sort((p, q) => p.seq - q.seq);
  return diff;
}

/** True when the diff found nothing. */
export function isEmptyDiff(d: CassetteDiff): boolean {
  return d.header.length + d.changed.length + d.added.length + d.removed.length === 0;
}
