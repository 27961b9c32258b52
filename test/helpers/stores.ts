/**
 * The stores a collection test runs over, by name: each makes a fresh store (LMDB in a temp dir)
 * and says how to remove it. The Store contract suite (test/contract/store.test.ts) keeps its own
 * list, which adds LMDB without group commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore } from '../../src/store/lmdb-store';
import { MemoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';

/** A fresh store and how to dispose of it. */
export interface TestStore {
  store: Store;
  dispose(): Promise<void>;
}

/** `[name, make]` pairs for `describe.each`: the memory store and LMDB with group commit (the default). */
export const COLLECTION_STORES: [string, () => TestStore][] = [
  ['memory', () => {
    const store = new MemoryStore();
    return { store, dispose: () => store.close() };
  }],
  ['lmdb (group commit)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirra-coll-'));
    const store = new LmdbStore({ dir, groupCommit: true });
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }],
];
