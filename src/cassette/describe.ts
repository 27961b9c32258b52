/**
 * Human views of a cassette for `mirra cassettes show`: a summary (one block per interaction), a
 * flat listing (one `#n field = value` line per fact, volatile values masked), and the semantic
 * view that is the git `textconv` of cassette files: one block per interaction headed by its
 * request, facts indented under it, no sequence numbers — so an interaction added or removed is
 * one added or removed block, not a renumbering of every later line, and git's hunk headers
 * (`xfuncname`) name the interaction a change is in.
 */
import { maskVolatile, outcomeOf, titleOf } from './diff';
import type { Cassette, Interaction, Pair } from './types';

function pairsText(pairs: Pair[]): string {
  return pairs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
}

function callbackStatuses(i: Interaction): string {
  return i.callbacks.map((c) => c.params.find(([k]) => k === 'MessageStatus' || k === 'SmsStatus' || k === 'Status')?.[1] ?? '?').join(', ');
}

function seconds(ms: number): string {
  return `+${(ms / 1000).toFixed(0)}s`;
}

/** Totals of a cassette. */
export function countsOf(c: Cassette): { interactions: number; callbacks: number; faults: number } {
  return {
    interactions: c.interactions.length,
    callbacks: c.interactions.reduce((n, i) => n + i.callbacks.length, 0),
    faults: c.interactions.filter((i) => i.fault).length,
  };
}

/** The one-line summary of a cassette. */
export function headline(c: Cassette): string {
  const n = countsOf(c);
  const faults = n.faults ? `, ${n.faults} fault${n.faults === 1 ? '' : 's'}` : '';
  return `${c.name}: ${n.interactions} interaction${n.interactions === 1 ? '' : 's'}, ${n.callbacks} callback${n.callbacks === 1 ? '' : 's'}${faults} (callbacks ${c.callbacks ?? 'synthesised'})`;
}

/** One block per interaction: request, params, outcome, callbacks. */
export function formatSummary(c: Cassette): string {
  const lines = [headline(c)];
  if (c.match) lines.push(`match rules: ${JSON.stringify(c.match)}`);
  for (const i of c.interactions) {
    lines.push(`#${i.seq} ${seconds(i.offsetMs)} ${titleOf(i)} → ${outcomeOf(i)}`);
    if (i.request.query.length) lines.push(`    query ${pairsText(i.request.query)}`);
    if (i.request.form.length) lines.push(`    form  ${pairsText(i.request.form)}`);
    const body = i.response?.body as { code?: unknown; message?: unknown } | undefined;
    if (i.response && i.response.status >= 400 && body && typeof body === 'object' && body.code !== undefined) lines.push(`    error ${String(body.code)}: ${String(body.message)}`);
    if (i.callbacks.length) lines.push(`    callbacks ${callbackStatuses(i)}`);
  }
  return lines.join('\n') + '\n';
}

function flatLines(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value) && value.length > 0) value.forEach((v, n) => flatLines(v, `${path}[${n}]`, out));
  else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatLines(v, `${path}.${k}`, out);
  } else out.push(`${path} = ${maskVolatile(JSON.stringify(value ?? null))}`);
}

/** One `field = value` line per fact, volatile values masked (the git textconv view). */
export function formatFlat(c: Cassette): string {
  const out = [`cassette ${c.name}`, `callbacks = ${JSON.stringify(c.callbacks ?? 'synthesised')}`];
  if (c.match) flatLines(c.match, 'match', out);
  for (const i of c.interactions) {
    const id = `#${i.seq}`;
    out.push('', `${id} ${maskVolatile(titleOf(i))}`);
    for (const [k, v] of i.request.query) out.push(`${id} query.${k} = ${maskVolatile(JSON.stringify(v))}`);
    for (const [k, v] of i.request.form) out.push(`${id} form.${k} = ${maskVolatile(JSON.stringify(v))}`);
    if (i.fault) out.push(`${id} fault = ${JSON.stringify(i.fault)}`);
    if (i.response) {
      out.push(`${id} status = ${i.response.status}`);
      flatLines(i.response.headers, `${id} headers`, out);
      flatLines(i.response.body, `${id} body`, out);
    }
    i.callbacks.forEach((cb, n) => {
      for (const [k, v] of cb.params) out.push(`${id} callbacks[${n}].${k} = ${maskVolatile(JSON.stringify(v))}`);
    });
  }
  return out.join('\n') + '\n';
}

/** The block lines of a value, `path = value`, indented under its interaction. */
function semanticLines(value: unknown, path: string, out: string[]): void {
  const at: string[] = [];
  flatLines(value, path, at);
  for (const line of at) out.push(`  ${line}`);
}

/**
 * The semantic view (the git textconv): a header, then per interaction its request line
 * (`POST api /2010-04-01/Accounts/{AccountSid}/Messages.json`), its params, `→ STATUS` (or the
 * fault), the kept headers, the body's facts and the callbacks' params, volatile values masked.
 */
export function formatSemantic(c: Cassette): string {
  const out = [`cassette ${c.name} (callbacks ${c.callbacks ?? 'synthesised'})`];
  if (c.match) out.push(`match ${JSON.stringify(c.match)}`);
  for (const i of [...c.interactions].sort((a, b) => a.seq - b.seq)) {
    out.push('', maskVolatile(titleOf(i)));
    for (const [k, v] of i.request.query) out.push(`  query.${k} = ${maskVolatile(JSON.stringify(v))}`);
    for (const [k, v] of i.request.form) out.push(`  form.${k} = ${maskVolatile(JSON.stringify(v))}`);
    if (i.response) {
      out.push(`  → ${i.response.status}`);
      for (const [k, v] of Object.entries(i.response.headers).sort(([a], [b]) => (a < b ? -1 : 1))) out.push(`  header ${k} = ${JSON.stringify(v)}`);
      semanticLines(i.response.body, 'body', out);
    } else out.push(`  → fault ${i.fault ?? 'reset'}`);
    i.callbacks.forEach((cb, n) => {
      for (const [k, v] of cb.params) out.push(`  callback[${n}] ${k} = ${maskVolatile(JSON.stringify(v))}`);
    });
  }
  return out.join('\n') + '\n';
}
