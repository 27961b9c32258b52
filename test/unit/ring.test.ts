/**
 * `Ring` (what bounds the inbox, issue #14): it keeps the newest appends with one write each, on
 * both stores, across a new ring object (a restarted mirror), inside a transaction that is undone;
 * and a session stored by an earlier version has its trimmed-collection inbox moved into the ring.
 */
import { initialClockState, realTime } from '../../src/clock';
import { Ring } from '../../src/session/ring';
import { Session, type SessionRecord } from '../../src/session/session';
import { Collection } from '../../src/session/collection';
import { keys } from '../../src/store/keys';
import type { Store } from '../../src/store/store';
import { deliverToInbox, INBOX_LIMIT, readInbox, withdrawFromInbox, type InboxItem } from '../../src/twilio/handsets/inbox';
import { COLLECTION_STORES, type TestStore } from '../helpers/stores';

interface Item {
  sid: string;
  n: number;
}

const sids = (r: Ring<Item>) => r.list().map((i) => i.sid);

function countKeys(store: Store, prefix: string): number {
  return [...store.range({ prefix })].length;
}

describe.each(COLLECTION_STORES)('Ring on the %s store', (_name, make) => {
  let made: TestStore;
  let store: Store;
  beforeEach(() => {
    made = make();
    store = made.store;
  });
  afterEach(() => made.dispose());

  it('keeps the newest appends, oldest first, in as many keys as its size', () => {
    const r = new Ring<Item>(store, 's1', 'inbox', 3);
    for (let n = 1; n <= 5; n++) r.append({ sid: `IT${n}`, n });
    expect(sids(r)).toEqual(['IT3', 'IT4', 'IT5']);
    expect(countKeys(store, keys.ringSlots('s1', 'inbox'))).toBe(3);
    expect(r.list((i) => i.n % 2 === 1).map((i) => i.sid)).toEqual(['IT3', 'IT5']);
  });

  it('removes a record by SID, leaving a gap the next appends fill', () => {
    const r = new Ring<Item>(store, 's1', 'inbox', 3);
    for (let n = 1; n <= 3; n++) r.append({ sid: `IT${n}`, n });
    expect(r.delete('IT2')).toBe(true);
    expect(r.delete('IT2')).toBe(false);
    expect(sids(r)).toEqual(['IT1', 'IT3']);
    r.append({ sid: 'IT4', n: 4 });
    expect(sids(r)).toEqual(['IT3', 'IT4']);
    r.append({ sid: 'IT5', n: 5 });
    expect(sids(r)).toEqual(['IT3', 'IT4', 'IT5']);
  });

  it('continues from what the store holds (a new ring object, a restarted mirror)', () => {
    const r = new Ring<Item>(store, 's1', 'inbox', 3);
    for (let n = 1; n <= 4; n++) r.append({ sid: `IT${n}`, n });
    const again = new Ring<Item>(store, 's1', 'inbox', 3);
    again.append({ sid: 'IT5', n: 5 });
    expect(sids(again)).toEqual(['IT3', 'IT4', 'IT5']);
  });

  it('is undone with the transaction it ran in', () => {
    const r = new Ring<Item>(store, 's1', 'inbox', 3);
    for (let n = 1; n <= 3; n++) r.append({ sid: `IT${n}`, n });
    expect(() =>
      store.transaction(() => {
        r.append({ sid: 'IT4', n: 4 });
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(sids(r)).toEqual(['IT1', 'IT2', 'IT3']);
    // The undone append's number is skipped: the slot it would have used keeps IT1 a while.
    r.append({ sid: 'IT5', n: 5 });
    expect(sids(r)).toEqual(['IT1', 'IT3', 'IT5']);
    r.append({ sid: 'IT6', n: 6 });
    expect(sids(r)).toEqual(['IT1', 'IT5', 'IT6']);
    r.append({ sid: 'IT7', n: 7 });
    expect(sids(r)).toEqual(['IT5', 'IT6', 'IT7']);
  });

  it('moves an inbox stored by an earlier version (a trimmed collection) into the ring, once', () => {
    const record = { id: 's1', accountSid: 'AC1', clock: initialClockState() } as SessionRecord;
    const item = (n: number): InboxItem => ({ sid: `IT${n}`, to: '+15551230000', from: '+15555550123', body: `m${n}`, channel: 'sms', sourceSid: `SM${n}`, mediaUrls: [], receivedAt: n });
    const old = new Collection<InboxItem>(store, 's1', 'inbox');
    for (let n = 1; n <= 3; n++) old.insert(item(n));
    const session = new Session(record, store, realTime, null);
    expect(readInbox(session).map((i) => i.body)).toEqual(['m1', 'm2', 'm3']);
    expect(countKeys(store, keys.collectionAll('s1', 'inbox'))).toBe(0);
    const { sid: _sid, ...fourth } = item(4);
    deliverToInbox(session, fourth);
    expect(withdrawFromInbox(session, 'IT2')).toBe(true);
    const restarted = new Session(record, store, realTime, null);
    expect(readInbox(restarted).map((i) => i.body)).toEqual(['m1', 'm3', 'm4']);
  });

  it('moves an earlier inbox again when the transaction that first moved it is undone', () => {
    const record = { id: 's2', accountSid: 'AC2', clock: initialClockState() } as SessionRecord;
    const old = new Collection<InboxItem>(store, 's2', 'inbox');
    old.insert({ sid: 'IT1', to: '+15551230000', from: null, body: 'm1', channel: 'sms', sourceSid: 'SM1', mediaUrls: [], receivedAt: 1 });
    const session = new Session(record, store, realTime, null);
    expect(() =>
      session.transaction(() => {
        readInbox(session);
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(readInbox(session).map((i) => i.body)).toEqual(['m1']);
    expect(countKeys(store, keys.collectionAll('s2', 'inbox'))).toBe(0);
    expect(INBOX_LIMIT).toBeGreaterThanOrEqual(1000);
  });
});
