/**
 * Searching the inventory (AvailablePhoneNumbers list operations): the blocks that can hold a match
 * are visited in a stable shuffled order, one candidate per block per round (so unfiltered results
 * mix localities the way Twilio's do), and each candidate's digits come from a stable hash — with
 * the fixed digits of `Contains` written in at every position the pattern fits. So a pattern such as
 * `510555****` or `STORM` finds numbers directly instead of by luck, and the answer is the same on
 * every run. Pure: the owned numbers come in as a set.
 */
import { stableHash } from '../stable-hash';
import { blocksOf, numberFor, type AvailableNumber, type Block } from './inventory';
import { matchesPlace, matchesSearch, type SearchFilters } from './search';
import type { NumberType } from './types';

/** A block stops being visited after this many candidates in a row that are not for sale or do not match. */
const MAX_MISSES_IN_A_ROW = 48;

/** `n` pseudo-random digits derived from `seed`. */
function hashDigits(seed: string, n: number): string {
  let out = '';
  for (let i = 0; out.length < n; i++) out += String(stableHash(`${seed}#${i}`) % 1_000_000).padStart(6, '0');
  return out.slice(0, n);
}

/** Offsets in a block's digit string where a `Contains` pattern can sit, agreeing with the block's fixed prefix. */
function offsetsFor(block: Block, f: SearchFilters): (number | null)[] {
  const c = f.contains;
  if (!c) return [null];
  const last = block.length - c.tokens.length;
  const out: number[] = [];
  for (let o = 0; o <= (c.anchored ? Math.min(0, last) : last); o++) {
    const fits = c.tokens.every((t, i) => o + i >= block.prefix.length || t === '*' || t === block.prefix[o + i]);
    if (fits) out.push(o);
  }
  return out;
}

/** Can any number of this block satisfy the block-level filters (area code, places)? */
function blockMatches(block: Block, f: SearchFilters): boolean {
  if (f.areaCode !== undefined) {
    const code = block.area && block.country !== 'GB' ? block.area.prefix : block.tollFreeCode;
    if (code !== f.areaCode) return false;
  }
  if (!hasPlaceFilter(f)) return true;
  return block.area !== undefined && block.area.places.some((p) => matchesPlace(p, f));
}

function hasPlaceFilter(f: SearchFilters): boolean {
  return f.near !== undefined || f.inRegion !== undefined || f.inLocality !== undefined || f.inPostalCode !== undefined || f.inRateCenter !== undefined || f.inLata !== undefined;
}

/** The digits of candidate `round` of `block` (E.164 without `+`). */
function candidate(block: Block, offsets: (number | null)[], round: number, f: SearchFilters): string {
  const offset = offsets[round % offsets.length];
  const free = hashDigits(`${block.key}|${offset}|${Math.floor(round / offsets.length)}`, block.length - block.prefix.length);
  const digits = (block.prefix + free).split('');
  if (offset !== null && f.contains) {
    f.contains.tokens.forEach((t, i) => {
      if (t !== '*' && offset + i >= block.prefix.length) digits[offset + i] = t;
    });
  }
  return digits.join('');
}

/**
 * Up to `limit` numbers of `type` in `country` matching `filters`, none of them in `owned`, in a
 * stable order. Ends early when every block has run dry.
 */
export function searchInventory(country: string, type: NumberType, filters: SearchFilters, owned: ReadonlySet<string>, limit: number): AvailableNumber[] {
  const blocks = blocksOf(country, type)
    .filter((b) => blockMatches(b, filters))
    .map((b) => ({ block: b, offsets: offsetsFor(b, filters), misses: 0, round: 0 }))
    .filter((b) => b.offsets.length > 0)
    .sort((a, b) => stableHash(a.block.key) - stableHash(b.block.key) || a.block.key.localeCompare(b.block.key));
  const found: AvailableNumber[] = [];
  const seen = new Set<string>();
  let live = blocks;
  // Each block gets a fixed budget of rounds, so a search that matches little still ends quickly.
  const maxRounds = limit * 8 + 64;
  while (found.length < limit && live.length > 0) {
    for (const b of live) {
      if (found.length >= limit) break;
      const digits = candidate(b.block, b.offsets, b.round++, filters);
      const n = seen.has(digits) ? undefined : numberFor(b.block, digits);
      seen.add(digits);
      if (n && !owned.has(n.phoneNumber) && matchesSearch(n, filters)) {
        found.push(n);
        b.misses = 0;
      } else {
        b.misses++;
      }
    }
    live = live.filter((b) => b.misses < MAX_MISSES_IN_A_ROW && b.round < maxRounds);
  }
  return found;
}

/** The first number a search with `filters` would list (buying by `AreaCode`), if any. */
export function firstForSale(country: string, type: NumberType, filters: SearchFilters, owned: ReadonlySet<string>): AvailableNumber | undefined {
  return searchInventory(country, type, filters, owned, 1)[0];
}
