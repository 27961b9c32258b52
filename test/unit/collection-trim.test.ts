/**
 * `Collection.trim` (what bounds the inbox, issue #14): it keeps the newest insertions and removes
 * the older ones whole (record, SID index), on both stores, across a new collection object, inside
 * a transaction that is undone, and for records of the earlier layout.
 */
import { Collection } from '../../src/session/collection';
import { keys } from '../../src/store/keys';
import type { Store } from '../../src/store/store';
import { COLLECTION_STORES, type TestStore } from '../helpers/stores';

interface Item {
  sid: string;
  n: number;
}

const sids = (c: Collection<Item>) => [...c.list()].map((i) => i.sid);

describe.each(COLLECTION_STORES)('Collection.trim on the %s store', (_name, make) => {
  let made: TestStore;
  let store: Store;
  beforeEach(() => {
    made = make();
    store = made.store;
  });
  afterEach(() => made.dispose());

  it('keeps the newest insertions and removes the rest whole', () => {
    const c = new Collection<Item>(store, 's1', 'inbox');
    for (let n = 1; n <= 5; n++) c.insert({ sid: `IT${n}`, n });
    expect(c.trim(3)).toBe(2);
    expect(sids(c)).toEqual(['IT3', 'IT4', 'IT5']);
    expect(c.get('IT1')).toBeUndefined();
    expect(store.get(keys.item('s1', 'inbox', 'IT1'))).toBeUndefined();
    expect(c.trim(3)).toBe(0);
    c.insert({ sid: 'IT6', n: 6 });
    expect(c.trim(3)).toBe(1);
    expect(sids(c)).toEqual(['IT4', 'IT5', 'IT6']);
    // A withdrawn item leaves a gap: the window is of insertions, so fewer remain.
    c.delete('IT5');
    c.insert({ sid: 'IT7', n: 7 });
    c.trim(3);
    expect(sids(c)).toEqual(['IT6', 'IT7']);
  });

  it('continues from what the store holds (a new collection object, a restarted mirror)', () => {
    const c = new Collection<Item>(store, 's1', 'inbox');
    for (let n = 1; n <= 4; n++) c.insert({ sid: `IT${n}`, n });
    const again = new Collection<Item>(store, 's1', 'inbox');
    expect(again.trim(1)).toBe(3);
    again.insert({ sid: 'IT5', n: 5 });
    expect(sids(again)).toEqual(['IT4', 'IT5']);
  });

  it('is undone with the transaction it ran in', () => {
    const c = new Collection<Item>(store, 's1', 'inbox');
    for (let n = 1; n <= 3; n++) c.insert({ sid: `IT${n}`, n });
    expect(() =>
      store.transaction(() => {
        c.trim(1);
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(sids(c)).toEqual(['IT1', 'IT2', 'IT3']);
    expect(c.get('IT1')).toEqual({ sid: 'IT1', n: 1 });
  });

  it('removes records of the earlier layout too', () => {
    store.put(keys.item('s1', 'inbox', 'IT1'), { seq: 1, data: { sid: 'IT1', n: 1 } });
    store.put(keys.order('s1', 'inbox', 1), 'IT1');
    const c = new Collection<Item>(store, 's1', 'inbox');
    c.insert({ sid: 'IT2', n: 2 });
    expect(c.trim(1)).toBe(1);
    expect(store.get(keys.item('s1', 'inbox', 'IT1'))).toBeUndefined();
    expect(sids(c)).toEqual(['IT2']);
  });
});
