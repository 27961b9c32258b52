/**
 * Why a request found no recording: the nearest recorded entries and the fields that differ, as
 * data (for the strict-mode error body and the control plane) and as text a person can act on.
 * Pure, like matching itself.
 */
import { compareRequests, entryOf, pathShape, type AliasView, type CassetteIndex, type Difference, type Group, type GroupHead, type IndexedEntry, type Ledger, type RequestIdentity } from './match';
import type { Pair } from './types';

/** A recorded entry close to a request that missed. */
export interface NearEntry {
  seq: number;
  method: string;
  product: string;
  path: string;
  /** Every entry with this request was served already. */
  used: boolean;
  differences: Difference[];
}

/** A request that matched nothing. */
export interface Miss {
  cassette: string;
  identity: RequestIdentity;
  /** `exhausted`: the request was recorded, but fewer times than it was made now. */
  reason: 'no-match' | 'exhausted';
  /** Up to three nearest entries, nearest first (empty when not explained). */
  nearest: NearEntry[];
  /** One paragraph for people: what missed and how the nearest entry differs. */
  text: string;
}

/** How many nearest entries a miss names. */
const NEAREST = 3;
/** Groups scanned beyond the request's own route when that route is (nearly) empty. */
const WIDE_SCAN = 5000;
/**
 * Groups of the request's path shape a miss compares at most: a million-entry cassette's index is
 * read from disk, and a miss must still answer within a fraction of a second.
 */
const SCAN_LIMIT = 200_000;

function score(differences: Difference[]): number {
  let s = 0;
  for (const d of differences) s += d.field === 'path' || d.field === 'product' ? 4 : d.field === 'method' ? 3 : 1;
  return s;
}

/** The entry a group stands for: its next unused one, else its last. */
function representative(group: Group, index: CassetteIndex, ledger: Ledger): { entry: IndexedEntry; used: boolean } {
  const unused = ledger.firstUnused(group);
  return { entry: entryOf(index, unused ?? group.seqs[group.seqs.length - 1]), used: unused === undefined };
}

function near(group: Group, identity: RequestIdentity, index: CassetteIndex, ledger: Ledger, aliases: AliasView): NearEntry & { score: number } {
  const { entry, used } = representative(group, index, ledger);
  const { differences } = compareRequests(entry.request, identity, index.rules, aliases);
  const { method, product, path } = entry.request;
  return { seq: entry.seq, method, product, path, used, differences, score: score(differences) };
}

/** Pairs in one list and not the other (both sorted), skipping ignored and pattern params. */
function pairDistance(a: Pair[], b: Pair[], rules: CassetteIndex['rules']): number {
  let i = 0;
  let j = 0;
  let d = 0;
  const skip = (p: Pair) => rules.ignore.has(p[0]) || rules.patterns.has(p[0]);
  while (i < a.length || j < b.length) {
    if (i < a.length && skip(a[i])) i++;
    else if (j < b.length && skip(b[j])) j++;
    else if (i < a.length && j < b.length && a[i][0] === b[j][0] && a[i][1] === b[j][1]) (i++, j++);
    else if (j >= b.length || (i < a.length && (a[i][0] < b[j][0] || (a[i][0] === b[j][0] && a[i][1] < b[j][1])))) (i++, d++);
    else (j++, d++);
  }
  return d;
}

/** A cheap distance, to pick the few groups worth a full comparison (a group's requests match alike). */
function roughScore(r: RequestIdentity, identity: RequestIdentity, index: CassetteIndex): number {
  let s = r.method.toUpperCase() === identity.method.toUpperCase() ? 0 : 3;
  if (r.product !== identity.product) s += 4;
  if (r.path !== identity.path) s += 4;
  return s + pairDistance(r.query, identity.query, index.rules) + pairDistance(r.form, identity.form, index.rules);
}

/**
 * The `size` lowest-scored items seen, ties kept in the order they came: what a stable sort and a
 * slice would give, without holding every candidate of a million-entry cassette.
 */
class Lowest<T> {
  readonly items: { item: T; score: number }[] = [];

  constructor(private readonly size: number) {}

  add(item: T, score: number): void {
    const items = this.items;
    if (items.length === this.size && score >= items[items.length - 1].score) return;
    let i = items.length;
    while (i > 0 && items[i - 1].score > score) i--;
    items.splice(i, 0, { item, score });
    if (items.length > this.size) items.pop();
  }
}

/** How many groups, by rough score, get a full comparison. */
const REFINE = 16;

function describeRequest(r: { method: string; product: string; path: string }): string {
  return `${r.method.toUpperCase()} ${r.path} (${r.product})`;
}

function quote(v: string | null): string {
  if (v === null) return '(absent)';
  return JSON.stringify(v.length > 120 ? v.slice(0, 117) + '...' : v);
}

/** `form.Body: recorded "hi", got "hello"; ...` */
export function describeDifferences(differences: Difference[]): string {
  if (differences.length === 0) return 'no differences';
  return differences.map((d) => `${d.field}: recorded ${quote(d.recorded)}, got ${quote(d.actual)}`).join('; ');
}

/**
 * Builds the {@link Miss} of `identity`. `exhausted` is the last entry of identical requests when
 * they were all served; with `explain` false the nearest entries are not searched (fall-through).
 */
export function describeMiss(
  index: CassetteIndex,
  identity: RequestIdentity,
  ledger: Ledger,
  aliases: AliasView,
  exhausted: IndexedEntry | undefined,
  explain: boolean,
): Miss {
  const reason = exhausted ? 'exhausted' : 'no-match';
  const head = `No recorded interaction in cassette "${index.name}" matches ${describeRequest(identity)}`;
  if (!explain) return { cassette: index.name, identity, reason, nearest: [], text: head + '.' };
  const seen = new Set<string>();
  const rough = new Lowest<string>(REFINE);
  let scanned = 0;
  const consider = (g: GroupHead) => {
    if (seen.has(g.key)) return;
    seen.add(g.key);
    scanned++;
    rough.add(g.key, roughScore(g.first, identity, index));
  };
  // Same path shape (any method) first: the likeliest intended entries.
  let capped = false;
  const limit = index.scanLimit ?? SCAN_LIMIT;
  for (const g of index.shapeGroups(pathShape(identity.path))) {
    if (scanned >= limit) {
      capped = true;
      break;
    }
    consider(g);
  }
  if (seen.size < NEAREST) for (const g of index.firstGroups(WIDE_SCAN)) consider(g);
  // A rough pass over every candidate, then the exact comparison (aliases, patterns) for the best few.
  const found = rough.items.map((r) => near(index.groupByKey(r.item)!, identity, index, ledger, aliases));
  found.sort((a, b) => a.score - b.score || a.seq - b.seq);
  const nearest = found.slice(0, NEAREST).map(({ score: _s, ...n }) => n);
  if (exhausted) {
    const n = nearest.find((e) => e.seq === exhausted.seq) ?? nearest[0];
    if (n) n.differences = [{ field: 'repeat', recorded: 'served every recorded time', actual: 'requested once more' }, ...n.differences];
  }
  let text = head + (exhausted ? `: it was recorded, but every recorded answer (last #${exhausted.seq}) was already served.` : '.');
  if (nearest.length === 0) text += ' The cassette has no interactions.';
  if (capped) text += ` (Compared with the first ${limit.toLocaleString('en-US')} distinct requests of that path shape.)`;
  nearest.forEach((n, i) => {
    const label = i === 0 ? 'Nearest' : 'Also near';
    text += `\n${label}: #${n.seq} ${describeRequest(n)}${n.used ? ' [already served]' : ''}: ${describeDifferences(n.differences)}.`;
  });
  return { cassette: index.name, identity, reason, nearest, text };
}
