/**
 * One contract for every generic store: in memory, and over a session's collections (on the
 * memory and LMDB stores) — and the engine gives the same answers over each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection } from '../../src/session/collection';
import { LmdbStore } from '../../src/store/lmdb-store';
import { MemoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';
import { MemoryGenericStore, sessionGenericStore, type GenericRecord, type GenericStore } from '../../src/twilio/generic/engine-api';
import { call, memoryScope } from '../helpers/generic';

/** Collections by name over `store`, as a session hands them out. */
function collections(store: Store) {
  const made = new Map<string, Collection<{ sid: string }>>();
  return {
    collection<T extends { sid: string }>(name: string): Collection<T> {
      if (!made.has(name)) made.set(name, new Collection(store, 'session-1', name));
      return made.get(name) as unknown as Collection<T>;
    },
  };
}

const record = (parent: string, key: string, data: Record<string, unknown> = {}): GenericRecord => ({ key, parent, path: `/x/${key}`, params: {}, data });

describe.each([
  ['memory', () => ({ store: new MemoryGenericStore() as GenericStore, close: async () => {} })],
  ['session collections (memory store)', () => {
    const base = new MemoryStore();
    return { store: sessionGenericStore(collections(base)), close: () => base.close() };
  }],
  ['session collections (lmdb)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirra-generic-'));
    const base = new LmdbStore({ dir });
    return { store: sessionGenericStore(collections(base)), close: async () => { await base.close(); rmSync(dir, { recursive: true, force: true }); } };
  }],
])('GenericStore: %s', (_name, make) => {
  let store: GenericStore;
  let close: () => Promise<void>;
  beforeEach(() => ({ store, close } = make()));
  afterEach(() => close());

  it('gets by type, parent and key; a key under another parent or type is another record', () => {
    store.put('a.type', record('P1', 'K1', { n: 1 }));
    store.put('a.type', record('P2', 'K1', { n: 2 }));
    store.put('b.type', record('P1', 'K1', { n: 3 }));
    expect(store.get('a.type', 'P1', 'K1')?.data).toEqual({ n: 1 });
    expect(store.get('a.type', 'P2', 'K1')?.data).toEqual({ n: 2 });
    expect(store.get('b.type', 'P1', 'K1')?.data).toEqual({ n: 3 });
    expect(store.get('a.type', 'P3', 'K1')).toBeUndefined();
  });

  it('lists a parent oldest first; a replaced record keeps its place; delete says whether it existed', () => {
    for (const key of ['K1', 'K2', 'K3']) store.put('t', record('P', key));
    store.put('t', record('Q', 'K4'));
    store.put('t', record('P', 'K1', { changed: true }));
    expect([...store.list('t', 'P')].map((r) => r.key)).toEqual(['K1', 'K2', 'K3']);
    expect([...store.list('t', 'P')][0]!.data).toEqual({ changed: true });
    expect(store.delete('t', 'P', 'K2')).toBe(true);
    expect(store.delete('t', 'P', 'K2')).toBe(false);
    expect([...store.list('t', 'P')].map((r) => r.key)).toEqual(['K1', 'K3']);
    expect([...store.list('t', 'Q')].map((r) => r.key)).toEqual(['K4']);
  });

  it('keeps keys and parents of any text (phone numbers, slashes, unicode)', () => {
    store.put('t', record('IS1/+15005550006', 'ключ/1'));
    expect(store.get('t', 'IS1/+15005550006', 'ключ/1')?.key).toBe('ключ/1');
  });

  it('carries the engine: a conversation made through it is fetched and listed back', () => {
    const { scope } = memoryScope(store);
    const made = call(scope, 'POST', 'https://conversations.twilio.com/v1/Conversations', { form: { UniqueName: 'x' } }).body;
    expect(call(scope, 'GET', 'https://conversations.twilio.com/v1/Conversations/x').body).toEqual(made);
    expect(call(scope, 'GET', 'https://conversations.twilio.com/v1/Conversations').body.conversations).toEqual([made]);
  });
});
