/**
 * A stable 32-bit hash for data the mirror derives from a value instead of drawing at
 * random: the number inventory, a number's line type and carrier. Same input, same output, on
 * every run and machine — which is what keeps those answers deterministic. Not randomness: ids and
 * random codes still come only from sid.ts.
 */

/** MurmurHash3's 32-bit final mix: every input bit flips about half of the output bits. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * FNV-1a of `text` with MurmurHash3's final mix (so keys that differ only in their last character,
 * such as area codes, do not hash to neighbouring values), as an unsigned 32-bit integer.
 */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** A stable pick from `items` for `key` (items must be non-empty). */
export function stablePick<T>(items: readonly T[], key: string): T {
  return items[stableHash(key) % items.length];
}
