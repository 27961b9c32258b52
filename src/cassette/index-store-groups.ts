/**
 * The groups of a cassette being indexed (./index-store-build.ts), held in typed arrays by the
 * 128-bit digest of their exact key: ~40 bytes a group, so a million-group build holds ~50 MB and
 * never reads a group back from the store while it builds (a read, or a write at a random key, maps
 * pages of the whole index file: see ROTATE_ITEMS there). At the end the groups are written in key
 * order — appended, not scattered.
 */
import { hash } from 'node:crypto';

/** The group key of an exact key: 32 hex digits of its SHA-256 (what the on-disk index is keyed by). */
export function groupDigest(exact: string): string {
  return hash('sha256', exact, 'hex').slice(0, 32);
}

/** A group of the table, as the build writes it. */
export interface TableGroup {
  digest: string;
  /** Its seqs in recorded order. */
  seqs: number[];
  aliased: boolean;
  dated: boolean;
  /** Index of its route (the caller's numbering). */
  route: number;
  /** The seq its route members were written at: its first in file order, which is its first seq unless the file is out of order. */
  writtenAt: number;
}

const ALIASED = 1;
const DATED = 2;

/** Groups by digest, in an open-addressing table of typed arrays. */
export class GroupTable {
  private capacity = 1 << 12;
  private words = new Uint32Array(this.capacity * 4);
  private used = new Uint8Array(this.capacity);
  /** The first seq added, in file order (where its route members were written). */
  private first = new Uint32Array(this.capacity);
  private flags = new Uint8Array(this.capacity);
  private route = new Int32Array(this.capacity);
  /** Every seq after the first, for the groups that have more than one. */
  private readonly more = new Map<number, number[]>();
  size = 0;

  /**
   * Adds entry `seq` to the group of `digest`; returns true when the group is new (its route
   * members are to be written at `seq`). `aliased`, `dated` and `route` describe a new group.
   */
  add(digest: string, seq: number, aliased: boolean, dated: boolean, route: number): boolean {
    const slot = this.find(digest);
    if (this.used[slot]) {
      let list = this.more.get(slot);
      if (!list) this.more.set(slot, (list = []));
      list.push(seq);
      return false;
    }
    this.used[slot] = 1;
    this.first[slot] = seq;
    this.flags[slot] = (aliased ? ALIASED : 0) | (dated ? DATED : 0);
    this.route[slot] = route;
    this.size++;
    if (this.size * 4 > this.capacity * 3) this.grow();
    return true;
  }

  /** Every group, in digest order. */
  *sorted(): Iterable<TableGroup> {
    const slots: number[] = [];
    for (let s = 0; s < this.capacity; s++) if (this.used[s]) slots.push(s);
    const w = this.words;
    slots.sort((a, b) => w[a * 4] - w[b * 4] || w[a * 4 + 1] - w[b * 4 + 1] || w[a * 4 + 2] - w[b * 4 + 2] || w[a * 4 + 3] - w[b * 4 + 3]);
    for (const s of slots) {
      const more = this.more.get(s);
      const seqs = more ? [this.first[s], ...more].sort((a, b) => a - b) : [this.first[s]];
      let digest = '';
      for (let k = 0; k < 4; k++) digest += w[s * 4 + k].toString(16).padStart(8, '0');
      yield { digest, seqs, aliased: (this.flags[s] & ALIASED) !== 0, dated: (this.flags[s] & DATED) !== 0, route: this.route[s], writtenAt: this.first[s] };
    }
  }

  /** The slot of `digest`: its own, or the free one it would take. */
  private find(digest: string): number {
    const a = parseInt(digest.slice(0, 8), 16);
    const b = parseInt(digest.slice(8, 16), 16);
    const c = parseInt(digest.slice(16, 24), 16);
    const d = parseInt(digest.slice(24, 32), 16);
    const mask = this.capacity - 1;
    for (let s = (a ^ d) & mask; ; s = (s + 1) & mask) {
      const w = s * 4;
      if (!this.used[s]) {
        this.words[w] = a;
        this.words[w + 1] = b;
        this.words[w + 2] = c;
        this.words[w + 3] = d;
        return s;
      }
      if (this.words[w] === a && this.words[w + 1] === b && this.words[w + 2] === c && this.words[w + 3] === d) return s;
    }
  }

  private grow(): void {
    const old = { capacity: this.capacity, words: this.words, used: this.used, first: this.first, flags: this.flags, route: this.route, more: new Map(this.more) };
    this.capacity *= 2;
    this.words = new Uint32Array(this.capacity * 4);
    this.used = new Uint8Array(this.capacity);
    this.first = new Uint32Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
    this.route = new Int32Array(this.capacity);
    this.more.clear();
    for (let s = 0; s < old.capacity; s++) {
      if (!old.used[s]) continue;
      let digest = '';
      for (let k = 0; k < 4; k++) digest += old.words[s * 4 + k].toString(16).padStart(8, '0');
      const t = this.find(digest);
      this.used[t] = 1;
      this.first[t] = old.first[s];
      this.flags[t] = old.flags[s];
      this.route[t] = old.route[s];
      const more = old.more.get(s);
      if (more) this.more.set(t, more);
    }
  }
}
