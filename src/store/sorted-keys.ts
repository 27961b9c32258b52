/**
 * Keys in sorted order for prefix scans, kept as sorted chunks: the in-memory store's key index and
 * the LMDB store's list of not-yet-committed keys.
 */

/** Keys per chunk of the sorted key list: small enough that a splice is cheap, large enough to stay flat. */
const CHUNK = 512;

/** Index of the first element of sorted `arr` that is >= `key`. */
function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The keys in order, as a list of sorted chunks (each at most {@link CHUNK} keys, the chunks in
 * order). An insert or removal splices one chunk instead of moving every later key of one big
 * array, which made each new key cost O(n) once a session held a few thousand messages.
 */
export class SortedKeys {
  private readonly chunks: string[][] = [];

  /** Position of the first key >= `key`: chunk index and index inside it. */
  private find(key: string): [number, number] {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid];
      if (chunk[chunk.length - 1] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.chunks.length ? [lo, 0] : [lo, lowerBound(this.chunks[lo], key)];
  }

  /** Adds `key` (not already present). */
  insert(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    let [c, i] = this.find(key);
    if (c === this.chunks.length) {
      c--; // after every key: append to the last chunk
      i = this.chunks[c].length;
    }
    const chunk = this.chunks[c];
    chunk.splice(i, 0, key);
    if (chunk.length > CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(CHUNK >>> 1));
  }

  /** Removes `key` if present. */
  remove(key: string): void {
    const [c, i] = this.find(key);
    const chunk = this.chunks[c];
    if (!chunk || chunk[i] !== key) return;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  /** Keys starting with `prefix`, in order (from `from` on, when given) or reversed, read lazily. */
  *withPrefix(prefix: string, reverse = false, from?: string): Iterable<string> {
    let [c, i] = this.find(prefix);
    if (!reverse) {
      if (from !== undefined && from > prefix) [c, i] = this.find(from);
      for (; c < this.chunks.length; c++, i = 0) {
        const chunk = this.chunks[c];
        for (; i < chunk.length; i++) {
          if (!chunk[i].startsWith(prefix)) return;
          yield chunk[i];
        }
      }
      return;
    }
    // Find the end of the prefix's run, then walk back to its start.
    let [ec, ei] = [c, i];
    for (; ec < this.chunks.length; ec++, ei = 0) {
      const chunk = this.chunks[ec];
      while (ei < chunk.length && chunk[ei].startsWith(prefix)) ei++;
      if (ei < chunk.length) break;
    }
    for (let k = ec; k >= c; k--) {
      const chunk = this.chunks[k];
      const from = k === ec ? ei - 1 : chunk.length - 1;
      const to = k === c ? i : 0;
      for (let j = from; j >= to; j--) yield chunk[j];
    }
  }
}
