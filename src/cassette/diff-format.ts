/**
 * Renders a {@link CassetteDiff}: plain text for a terminal or CI log, Markdown for a pull-request
 * comment. One line (or table row) per changed field, so "exactly that change" is what is shown.
 */
import type { CassetteDiff, FieldChange } from './diff';
import { isEmptyDiff } from './diff';

/** Labels of the two sides (file names, `HEAD:cassettes/x.cassette.json`). */
export interface DiffLabels {
  a: string;
  b: string;
}

function show(v: string | undefined): string {
  return v === undefined ? '(absent)' : v;
}

/** `field: A → B` */
export function describeChange(c: FieldChange): string {
  return `${c.field}: ${show(c.a)} → ${show(c.b)}`;
}

function seqLabel(a: number, b: number): string {
  return a === b ? `#${b}` : `#${b} (was #${a})`;
}

function summary(d: CassetteDiff): string {
  return `${d.changed.length} changed, ${d.added.length} added, ${d.removed.length} removed, ${d.unchanged} unchanged`;
}

/** The diff as plain text. */
export function formatDiffText(d: CassetteDiff, labels: DiffLabels): string {
  const lines = [`--- ${labels.a}`, `+++ ${labels.b}`];
  if (isEmptyDiff(d)) return `${lines.join('\n')}\nno differences (${d.unchanged} interactions)\n`;
  for (const c of d.header) lines.push(`~ cassette ${describeChange(c)}`);
  const rows: [number, string[]][] = [
    ...d.changed.map((c): [number, string[]] => [c.seqB, [`~ ${seqLabel(c.seqA, c.seqB)} ${c.title}`, ...c.changes.map((x) => `    ${describeChange(x)}`)]]),
    ...d.added.map((e): [number, string[]] => [e.seq, [`+ #${e.seq} ${e.title} → ${e.outcome}`]]),
  ];
  for (const [, text] of rows.sort((p, q) => p[0] - q[0])) lines.push(...text);
  for (const e of d.removed) lines.push(`- #${e.seq} (of ${labels.a}) ${e.title} → ${e.outcome}`);
  lines.push(summary(d));
  return lines.join('\n') + '\n';
}

/** Escapes a Markdown table cell (pipes, newlines) and wraps it in code. */
function code(text: string): string {
  const escaped = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const fence = escaped.includes('`') ? '``' : '`';
  return `${fence}${escaped}${fence}`;
}

/** The diff as Markdown, for a pull-request comment. */
export function formatDiffMarkdown(d: CassetteDiff, labels: DiffLabels): string {
  const lines = [`### mirra cassette diff: ${code(d.name)}`, '', `${code(labels.a)} → ${code(labels.b)}`, ''];
  if (isEmptyDiff(d)) return `${lines.join('\n')}No differences (${d.unchanged} interactions).\n`;
  lines.push('| | # | Request | Change |', '|---|---|---|---|');
  for (const c of d.header) lines.push(`| ~ | | cassette | ${code(c.field)}: ${code(show(c.a))} → ${code(show(c.b))} |`);
  for (const c of d.changed) {
    for (const x of c.changes) lines.push(`| ~ | ${c.seqB} | ${code(c.title)} | ${code(x.field)}: ${code(show(x.a))} → ${code(show(x.b))} |`);
  }
  for (const e of d.added) lines.push(`| + | ${e.seq} | ${code(e.title)} | added (→ ${e.outcome}) |`);
  for (const e of d.removed) lines.push(`| − | ${e.seq} | ${code(e.title)} | removed (was → ${e.outcome}) |`);
  lines.push('', `**${summary(d)}**`);
  return lines.join('\n') + '\n';
}
