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
  [
    'lmdb (group commit)',
    () => {
      const dir = tempDir('mirra-store-');
      return { store: new LmdbStore({ dir, groupCommit: true }), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
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

  it('takes a value as its JSON text, read back like any other, in scans and undone with its transaction', async () => {
    const value = { sid: 'SM1', data: { body: 'é "quoted" \\ ☃ 🙂', n: 1.5, none: null, list: [1, 'two'] } };
    store.putJson(keys.order('s1', 'm', 1), JSON.stringify(value));
    store.put(keys.order('s1', 'm', 2), 'plain');
    expect(store.get(keys.order('s1', 'm', 1))).toEqual(value);
    expect([...store.range({ prefix: keys.orders('s1', 'm') })].map((e) => e.value)).toEqual([value, 'plain']);
    expect(() =>
      store.transaction(() => {
        store.putJson(keys.order('s1', 'm', 1), '"replaced"');
        store.putJson(keys.order('s1', 'm', 3), '3');
        throw new Error('undo');
      }),
    ).toThrow('undo');
    await store.settled();
    expect(store.get(keys.order('s1', 'm', 1))).toEqual(value);
    expect(store.get(keys.order('s1', 'm', 3))).toBeUndefined();
    store.putJson(keys.order('s1', 'm', 3), '[3]');
    await store.settled();
    expect(store.get(keys.order('s1', 'm', 3))).toEqual([3]);
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

  it('starts a forward scan at a key, within the prefix', () => {
    for (const seq of [3, 1, 20, 2]) store.put(keys.order('s1', 'm', seq), seq);
    store.put(keys.order('s10', 'm', 1), 'other session');
    const prefix = keys.orders('s1', 'm');
    expect([...store.range({ prefix, from: keys.order('s1', 'm', 2) })].map((e) => e.value)).toEqual([2, 3, 20]);
    expect([...store.range({ prefix, from: keys.order('s1', 'm', 4), limit: 1 })].map((e) => e.value)).toEqual([20]);
    expect([...store.range({ prefix, from: keys.order('s1', 'm', 21) })]).toEqual([]);
    expect([...store.range({ prefix, from: 's' })].map((e) => e.value)).toEqual([1, 2, 3, 20]); // before the prefix: all of it
    expect(() => [...store.range({ prefix, reverse: true, from: keys.order('s1', 'm', 2) })]).toThrow('forward');
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

  it('scans committed and just-written keys together: new, overwritten and removed ones', async () => {
    for (const seq of [1, 2, 3, 4, 5]) store.put(keys.order('s1', 'm', seq), `old${seq}`);
    await store.settled();
    store.put(keys.order('s1', 'm', 2), 'new2');
    store.remove(keys.order('s1', 'm', 3));
    store.put(keys.order('s1', 'm', 6), 'new6');
    store.put(keys.order('s1', 'm', 0), 'new0');
    const prefix = keys.orders('s1', 'm');
    const all = ['new0', 'old1', 'new2', 'old4', 'old5', 'new6'];
    expect([...store.range({ prefix })].map((e) => e.value)).toEqual(all);
    expect([...store.range({ prefix, reverse: true })].map((e) => e.value)).toEqual([...all].reverse());
    expect([...store.range({ prefix, limit: 3 })].map((e) => e.value)).toEqual(all.slice(0, 3));
    expect([...store.range({ prefix, reverse: true, limit: 2 })].map((e) => e.value)).toEqual(['new6', 'old5']);
    expect([...store.range({ prefix, from: keys.order('s1', 'm', 2) })].map((e) => e.value)).toEqual(all.slice(2));
    expect([...store.range({ prefix, from: keys.order('s1', 'm', 3) })].map((e) => e.value)).toEqual(all.slice(3));
    expect(store.get(keys.order('s1', 'm', 3))).toBeUndefined();
    await store.settled();
    expect([...store.range({ prefix })].map((e) => e.value)).toEqual(all);
  });

  it('keeps key order through thousands of inserts and removals', async () => {
    const want = new Set<string>();
    let x = 7;
    for (let i = 0; i < 3000; i++) {
      x = (x * 48271) % 2147483647;
      const key = keys.order('s1', 'm', x % 5000);
      if (x % 4 === 0) {
        store.remove(key);
        want.delete(key);
      } else {
        store.put(key, i);
        want.add(key);
      }
      if (i === 1500) await store.settled();
    }
    const sorted = [...want].sort();
    expect([...store.range({ prefix: keys.orders('s1', 'm') })].map((e) => e.key)).toEqual(sorted);
    expect([...store.range({ prefix: keys.orders('s1', 'm'), reverse: true })].map((e) => e.key)).toEqual([...sorted].reverse());
  });

  it('commits a transaction, visible inside and after', () => {
    store.transaction(() => {
      store.put('t', 1);
      expect(store.get('t')).toBe(1);
    });
    expect(store.get('t')).toBe(1);
  });
});

describe('LmdbStore group commit', () => {
  it('commits what was written by the time settled() resolves, in one go, visible to a second reader', async () => {
    const dir = tempDir('mirra-store-');
    const a = new LmdbStore({ dir, groupCommit: true });
    const reader = async () => {
      const other = new LmdbStore({ dir });
      const seen = [other.get('k1'), other.get('k2')];
      await other.close();
      return seen;
    };
    a.put('k1', { v: 1 });
    a.transaction(() => {
      a.put('k2', { v: 2 });
      a.remove('k1');
    });
    expect(a.get('k2')).toEqual({ v: 2 });
    expect(a.hasPending()).toBe(true);
    expect(await reader()).toEqual([undefined, undefined]); // nothing committed yet
    await a.settled();
    expect(a.hasPending()).toBe(false);
    expect(await reader()).toEqual([undefined, { v: 2 }]);
    await a.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits pending writes on close', async () => {
    const dir = tempDir('mirra-store-');
    const a = new LmdbStore({ dir, groupCommit: true });
    a.put('k', 'v');
    await a.close();
    const b = new LmdbStore({ dir });
    expect(b.get('k')).toBe('v');
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('LmdbStore persistence', () => {
  it('commits values of every size and script byte for byte, many in one commit', async () => {
    // One group commit writes every value through one reused buffer: each must land whole, a
    // short value after a long one included, and multi-byte UTF-8 at its full length.
    const dir = tempDir('mirra-store-');
    const values = ['Olá — 你好 👋'.repeat(5_000), 'x'.repeat(200_000), 'short', '', 'é', { nested: ['ü', 2, null] }];
    const a = new LmdbStore({ dir, groupCommit: true });
    values.forEach((v, i) => a.put(`k${i}`, v));
    await a.settled();
    await a.close();
    const b = new LmdbStore({ dir });
    expect(values.map((_, i) => b.get(`k${i}`))).toEqual(values);
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

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
