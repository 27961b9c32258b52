/**
 * One contract suite, run against every Store backend (LMDB and memory).
 */
import { rmSync } from 'node:fs';
import { keys } from '../../src/store/keys';
import { LmdbStore } from '../../src/store/lmdb-store';
import { MemoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';
import { tempDir } from '../helpers/mirror';

const backends: [string, () => { store: Store; cleanup: () => void }][] = [
  ['memory', () => ({ store: new MemoryStore(), cleanup: () => undefined })],
  [
    'lmdb',
    () => {
      const dir = tempDir('mirra-store-');
      return { store: new LmdbStore({ dir }), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
];

describe.each(backends)('Store contract: %s', (_name, make) => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(() => ({ store, cleanup } = make()));
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  it('reads its own writes, and removes', () => {
    store.put('a', { x: 1 });
    expect(store.get('a')).toEqual({ x: 1 });
    store.remove('a');
    expect(store.get('a')).toBeUndefined();
  });

  it('returns copies, not aliases of stored values', () => {
    const v = { list: [1] };
    store.put('k', v);
    v.list.push(2);
    const read = store.get<{ list: number[] }>('k')!;
    read.list.push(3);
    expect(store.get('k')).toEqual({ list: [1] });
  });

  it('scans a prefix in key order, reversed, and limited, without leaking neighbours', () => {
    for (const seq of [3, 1, 20, 2]) store.put(keys.order('s1', 'm', seq), seq);
    store.put(keys.order('s10', 'm', 1), 'other session');
    store.put(keys.item('s1', 'm', 'x'), 'item');
    const prefix = keys.orders('s1', 'm');
    expect([...store.range({ prefix })].map((e) => e.value)).toEqual([1, 2, 3, 20]);
    expect([...store.range({ prefix, reverse: true })].map((e) => e.value)).toEqual([20, 3, 2, 1]);
    expect([...store.range({ prefix, limit: 2 })].map((e) => e.value)).toEqual([1, 2]);
  });

  it('clears a prefix only', () => {
    store.put(keys.item('s1', 'm', 'a'), 1);
    store.put(keys.item('s1', 'm', 'b'), 2);
    store.put(keys.item('s2', 'm', 'a'), 3);
    store.clearPrefix(keys.sessionData('s1'));
    expect(store.get(keys.item('s1', 'm', 'a'))).toBeUndefined();
    expect(store.get(keys.item('s2', 'm', 'a'))).toBe(3);
  });

  it('rolls a failed transaction back entirely', () => {
    store.put('keep', 1);
    expect(() =>
      store.transaction(() => {
        store.put('keep', 2);
        store.put('new', 3);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.get('keep')).toBe(1);
    expect(store.get('new')).toBeUndefined();
  });

  it('commits a transaction, visible inside and after', () => {
    store.transaction(() => {
      store.put('t', 1);
      expect(store.get('t')).toBe(1);
    });
    expect(store.get('t')).toBe(1);
  });
});

describe('LmdbStore persistence', () => {
  it('keeps data across close and reopen', async () => {
    const dir = tempDir('mirra-store-');
    const a = new LmdbStore({ dir });
    a.put('k', { v: 'x' });
    await a.close();
    const b = new LmdbStore({ dir });
    expect(b.get('k')).toEqual({ v: 'x' });
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
