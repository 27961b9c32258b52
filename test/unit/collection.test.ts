/**
 * The collection's in-memory aids (sequence counter, remembered sequence numbers, lookups) must
 * never disagree with the store: after writes, deletes, undone transactions and a reopen.
 */
import { Collection } from '../../src/session/collection';
import { keys } from '../../src/store/keys';
import type { Store } from '../../src/store/store';
import { seqInSid, sidWithSeq } from '../../src/twilio/sid';
import { COLLECTION_STORES, type TestStore } from '../helpers/stores';

interface Num {
  sid: string;
  phone: string;
}

const byPhone = (c: Collection<Num>, phone: string) => c.lookup('phone', (n) => n.phone, phone);

describe.each(COLLECTION_STORES)('Collection on the %s store', (_name, make) => {
  let made: TestStore;
  let store: Store;
  beforeEach(() => {
    made = make();
    store = made.store;
  });
  afterEach(() => made.dispose());

  it('finds by a field, and sees every later write', () => {
    const c = new Collection<Num>(store, 's1', 'nums');
    c.insert({ sid: 'PN1', phone: '+1' });
    expect(byPhone(c, '+1')?.sid).toBe('PN1');
    expect(byPhone(c, '+2')).toBeUndefined();
    c.insert({ sid: 'PN2', phone: '+2' });
    expect(byPhone(c, '+2')?.sid).toBe('PN2');
    c.update({ sid: 'PN2', phone: '+3' });
    expect(byPhone(c, '+2')).toBeUndefined();
    expect(byPhone(c, '+3')?.sid).toBe('PN2');
    c.delete('PN1');
    expect(byPhone(c, '+1')).toBeUndefined();
    // Shared records are frozen: a caller cannot change what the next one reads.
    expect(() => {
      (byPhone(c, '+3') as Num).phone = '+9';
    }).toThrow(TypeError);
  });

  it('forgets what an undone transaction wrote, even when it looked it up meanwhile', () => {
    const c = new Collection<Num>(store, 's1', 'nums');
    c.insert({ sid: 'PN1', phone: '+1' });
    expect(() =>
      store.transaction(() => {
        c.insert({ sid: 'PN2', phone: '+2' });
        expect(byPhone(c, '+2')?.sid).toBe('PN2');
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(byPhone(c, '+2')).toBeUndefined();
    expect(byPhone(c, '+1')?.sid).toBe('PN1');
    // Looked up inside a transaction that wrote nothing here: kept, and still right afterwards.
    store.transaction(() => expect(byPhone(c, '+1')?.sid).toBe('PN1'));
    expect(byPhone(c, '+1')?.sid).toBe('PN1');
  });

  it('keeps insertion order across a new collection object, continuing the sequence (and an old counter key)', () => {
    store.put(keys.counter('s1', 'nums'), 5); // written by earlier versions
    const c = new Collection<Num>(store, 's1', 'nums');
    c.insert({ sid: 'PN1', phone: '+1' });
    c.insert({ sid: 'PN2', phone: '+2' });
    c.update({ sid: 'PN1', phone: '+11' });
    const again = new Collection<Num>(store, 's1', 'nums');
    again.insert({ sid: 'PN3', phone: '+3' });
    expect([...again.list()].map((n) => n.sid)).toEqual(['PN1', 'PN2', 'PN3']);
    expect([...again.list({ newestFirst: true })].map((n) => n.sid)).toEqual(['PN3', 'PN2', 'PN1']);
    const seqs = [...store.range<string>({ prefix: keys.orders('s1', 'nums') })].map((e) => Number(e.key.slice(-15)));
    expect(seqs).toEqual([6, 7, 8]);
  });

  it('reads records stored in the earlier layout, and rewrites one when it changes', () => {
    // Earlier versions: i/<sid> → { seq, data }, o/<seq> → sid.
    store.put(keys.item('s1', 'nums', 'PN1'), { seq: 1, data: { sid: 'PN1', phone: '+1' } });
    store.put(keys.order('s1', 'nums', 1), 'PN1');
    store.put(keys.item('s1', 'nums', 'PN2'), { seq: 2, data: { sid: 'PN2', phone: '+2' } });
    store.put(keys.order('s1', 'nums', 2), 'PN2');
    const c = new Collection<Num>(store, 's1', 'nums');
    expect(c.get('PN1')).toEqual({ sid: 'PN1', phone: '+1' });
    c.update({ sid: 'PN1', phone: '+11' });
    c.insert({ sid: 'PN3', phone: '+3' });
    expect(c.delete('PN2')).toBe(true);
    const fresh = new Collection<Num>(store, 's1', 'nums'); // nothing remembered
    expect(fresh.get('PN1')).toEqual({ sid: 'PN1', phone: '+11' });
    expect(fresh.get('PN2')).toBeUndefined();
    expect([...fresh.list()].map((n) => [n.sid, n.phone])).toEqual([['PN1', '+11'], ['PN3', '+3']]);
    expect(store.get(keys.item('s1', 'nums', 'PN1'))).toBe(1);
    expect(store.get(keys.item('s1', 'nums', 'PN2'))).toBeUndefined();
  });

  it('stores a record with a minted SID without a SID index entry, and finds it by SID after a reopen', () => {
    const c = new Collection<Num>(store, 's1', 'nums');
    const sids = [c.mintSid('PN'), c.mintSid('PN'), c.mintSid('PN')];
    for (const [i, sid] of sids.entries()) {
      expect(sid).toMatch(/^PN[0-9a-f]{32}$/);
      c.insert({ sid, phone: `+${i}` });
    }
    c.insert({ sid: 'PNforeign', phone: '+9' });
    const itemKeys = [...store.range<number>({ prefix: keys.collectionAll('s1', 'nums') })].map((e) => e.key).filter((k) => k.includes('\u001fi\u001f'));
    expect(itemKeys).toEqual([keys.item('s1', 'nums', 'PNforeign')]);
    const fresh = new Collection<Num>(store, 's1', 'nums'); // nothing remembered
    expect(sids.map((sid) => fresh.get(sid)?.phone)).toEqual(['+0', '+1', '+2']);
    expect(fresh.get('PNforeign')?.phone).toBe('+9');
    fresh.update({ sid: sids[1], phone: '+11' });
    expect(new Collection<Num>(store, 's1', 'nums').get(sids[1])?.phone).toBe('+11');
    expect([...fresh.list()].map((n) => n.phone)).toEqual(['+0', '+11', '+2', '+9']);
    expect(fresh.delete(sids[0])).toBe(true);
    expect(new Collection<Num>(store, 's1', 'nums').get(sids[0])).toBeUndefined();
    expect(fresh.delete(sids[0])).toBe(false);
    // A minted SID that names another collection's record (or none) is not found here.
    expect(new Collection<Num>(store, 's1', 'other').get(sids[1])).toBeUndefined();
    expect(new Collection<Num>(store, 's2', 'nums').get(sids[1])).toBeUndefined();
  });

  it('keeps records apart when a SID carries a number minted for another record', () => {
    const c = new Collection<Num>(store, 's1', 'nums');
    const mine = c.mintSid('PN');
    // Another record whose SID carries the same number arrives first: it is placed and indexed
    // like any SID the collection did not mint...
    const other = sidWithSeq('PN', seqInSid(mine)!);
    expect(other).not.toBe(mine);
    c.insert({ sid: other, phone: '+1' });
    // ...and the minted one takes the place its SID carries.
    c.insert({ sid: mine, phone: '+2' });
    for (const col of [c, new Collection<Num>(store, 's1', 'nums')]) {
      expect(col.get(other)?.phone).toBe('+1');
      expect(col.get(mine)?.phone).toBe('+2');
    }
    expect(store.get(keys.item('s1', 'nums', other))).toBe(2);
    expect(store.get(keys.item('s1', 'nums', mine))).toBeUndefined();
    expect(new Collection<Num>(store, 's1', 'nums').delete(other)).toBe(true);
    expect(store.get(keys.item('s1', 'nums', other))).toBeUndefined();
    expect(new Collection<Num>(store, 's1', 'nums').get(mine)?.phone).toBe('+2');
  });

  it('finds nothing for a minted SID whose insert was undone or never came, and continues the order', () => {
    const c = new Collection<Num>(store, 's1', 'nums');
    const undone = c.mintSid('PN');
    expect(() =>
      store.transaction(() => {
        c.insert({ sid: undone, phone: '+1' });
        throw new Error('undo');
      }),
    ).toThrow('undo');
    c.mintSid('PN'); // a request that failed after choosing its SID
    const kept = c.mintSid('PN');
    c.insert({ sid: kept, phone: '+3' });
    const fresh = new Collection<Num>(store, 's1', 'nums');
    expect(c.get(undone)).toBeUndefined();
    expect(fresh.get(undone)).toBeUndefined();
    expect(fresh.get(kept)?.phone).toBe('+3');
    const later = fresh.mintSid('PN');
    fresh.insert({ sid: later, phone: '+4' });
    expect([...fresh.list()].map((n) => n.phone)).toEqual(['+3', '+4']);
    expect(seqInSid(later)).toBeGreaterThan(seqInSid(kept)!);
  });

  it('finds every one of many minted records, past its caches', () => {
    const c = new Collection<Num>(store, 's1', 'nums');
    const sids: string[] = [];
    for (let i = 0; i < 10_000; i++) sids.push(c.mintSid('PN'));
    // Minted long before their insert: past the waiting limit, so these are indexed instead.
    for (let i = 0; i < sids.length; i++) c.insert({ sid: sids[i], phone: `+${i}` });
    const fresh = new Collection<Num>(store, 's1', 'nums');
    expect(sids.every((sid, i) => fresh.get(sid)?.phone === `+${i}`)).toBe(true);
    expect(new Set([...fresh.list()].map((n) => n.sid)).size).toBe(10_000);
  });

  it('names each record by its number, reads one by number, and lists from a number on (any layout)', () => {
    // Earlier layout for record 1: i/<sid> → { seq, data }, o/<seq> → sid.
    store.put(keys.item('s1', 'nums', 'PN1'), { seq: 1, data: { sid: 'PN1', phone: '+1' } });
    store.put(keys.order('s1', 'nums', 1), 'PN1');
    const c = new Collection<Num>(store, 's1', 'nums');
    const minted = c.mintSid('PN');
    c.insert({ sid: minted, phone: '+2' });
    expect(c.seqOf(minted)).toBe(2); // right after its insert, without a read
    c.insert({ sid: 'PNforeign', phone: '+3' });
    c.insert({ sid: 'PNgone', phone: '+4' });
    c.delete('PNgone');
    const fresh = new Collection<Num>(store, 's1', 'nums'); // nothing remembered
    expect(['PN1', minted, 'PNforeign', 'PNgone', 'PNnever'].map((sid) => fresh.seqOf(sid))).toEqual([1, 2, 3, undefined, undefined]);
    expect([1, 2, 3, 4, 5].map((seq) => fresh.at(seq)?.phone)).toEqual(['+1', '+2', '+3', undefined, undefined]);
    expect([...fresh.entriesFrom(2)].map((e) => [e.seq, e.record.phone])).toEqual([[2, '+2'], [3, '+3']]);
    expect([...fresh.entriesFrom(0)].map((e) => e.seq)).toEqual([1, 2, 3]);
    expect([...fresh.entriesFrom(4)]).toEqual([]);
  });

  it('updates a record read by number, or just inserted, without reading it again', () => {
    const c = new Collection<Num>(store, 's1', 'nums');
    const sid = c.mintSid('PN');
    c.insert({ sid, phone: '+1' });
    const fresh = new Collection<Num>(store, 's1', 'nums');
    const other = fresh.mintSid('PN'); // the first mint reads where the order ends
    const gets = jest.spyOn(store, 'get');
    const read = fresh.at(1)!;
    expect(gets).toHaveBeenCalledTimes(1);
    fresh.update({ ...read, phone: '+2' });
    expect(fresh.seqOf(sid)).toBe(1);
    fresh.insert({ sid: other, phone: '+3' });
    expect(fresh.seqOf(other)).toBe(2);
    expect(gets).toHaveBeenCalledTimes(1);
    gets.mockRestore();
    expect([...new Collection<Num>(store, 's1', 'nums').list()].map((n) => n.phone)).toEqual(['+2', '+3']);
  });
});
