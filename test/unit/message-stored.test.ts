/**
 * The stored form of a message (src/twilio/messages/stored.ts): what it leaves out, that every
 * record reads back exactly, and that records stored whole by earlier versions still read.
 */
import { rmSync } from 'node:fs';
import { Session } from '../../src/session/session';
import { keys } from '../../src/store/keys';
import { LmdbStore } from '../../src/store/lmdb-store';
import { messageCodec } from '../../src/twilio/messages/stored';
import { MESSAGES, type MessageRecord } from '../../src/twilio/messages/types';
import { tempDir } from '../helpers/mirror';

/** Every field set, none at its usual value. */
const FULL: Required<MessageRecord> = {
  sid: 'SM' + '1'.repeat(32),
  accountSid: 'AC' + '2'.repeat(32),
  to: '+15551230000',
  from: '+15555550123',
  senderOnQueue: '+15555550999',
  messagingServiceSid: 'MG' + '3'.repeat(32),
  body: 'Olá 👋',
  status: 'failed',
  direction: 'inbound',
  numSegments: 2,
  price: '-0.01580',
  priceUnit: 'EUR',
  errorCode: 30003,
  errorMessage: 'Unreachable destination handset',
  dateCreated: 1_000,
  dateUpdated: 2_000,
  dateSent: 1_500,
  statusCallback: 'https://example.com/status',
  media: [{ sid: 'ME' + '4'.repeat(32), contentType: 'image/png', url: 'https://example.com/a.png', dateCreated: 1_000 }],
  plan: [{ status: 'sent', afterMs: 500 }, { status: 'undelivered', afterMs: 1_000, errorCode: 30005 }],
  planFrom: 1_200,
};

/** A message as a create stores it: most fields at their usual value. */
const QUEUED: MessageRecord = {
  ...FULL,
  senderOnQueue: null,
  messagingServiceSid: null,
  body: 'Your code is 123456',
  status: 'queued',
  direction: 'outbound-api',
  numSegments: 1,
  price: null,
  priceUnit: 'USD',
  errorCode: null,
  errorMessage: null,
  dateSent: null,
  statusCallback: null,
  media: [],
  plan: [{ status: 'sending', afterMs: 500 }, { status: 'sent', afterMs: 500 }, { status: 'delivered', afterMs: 1_000 }],
  planFrom: undefined,
};

const roundTrip = (m: MessageRecord) => messageCodec.decode(JSON.parse(JSON.stringify(messageCodec.encode(m))));

/** Strings JSON has to escape, or that look like it does. */
const AWKWARD = ['', 'plain', '"quoted"', 'back\\slash', 'line\nbreak\ttab', '\u0000\u001f', '\u2028\u2029', 'é ☃ 👋', '\ud800 lone', '</script>', '{"json":1}'];

/** A record with each field at its usual value or not, strings from {@link AWKWARD}, as `pick` chooses. */
function variant(pick: (n: number) => number): MessageRecord {
  const str = () => AWKWARD[pick(AWKWARD.length)];
  const maybe = <V>(usual: V, other: () => V): V => (pick(2) === 0 ? usual : other());
  return {
    sid: 'SM' + 'a'.repeat(32),
    accountSid: 'AC' + 'b'.repeat(32),
    to: str(),
    from: maybe<string | null>(null, str),
    senderOnQueue: maybe<string | null>(null, str),
    messagingServiceSid: maybe<string | null>(null, str),
    body: str(),
    status: maybe<MessageRecord['status']>('queued', () => 'undelivered'),
    direction: maybe<MessageRecord['direction']>('outbound-api', () => 'inbound'),
    numSegments: maybe(1, () => pick(5)),
    price: maybe<string | null>(null, () => '-0.00790'),
    priceUnit: maybe<string | null>('USD', () => (pick(2) ? null : 'EUR')),
    errorCode: maybe<number | null>(null, () => 30003),
    errorMessage: maybe<string | null>(null, str),
    dateCreated: 1_796_657_112_033,
    dateUpdated: 1_796_657_112_533 + pick(1000),
    dateSent: maybe<number | null>(null, () => 1_796_657_113_000),
    statusCallback: maybe<string | null>(null, str),
    media: maybe<MessageRecord['media']>([], () => [{ sid: 'ME' + 'c'.repeat(32), contentType: str(), url: str(), dateCreated: 5 }]),
    plan: maybe<MessageRecord['plan']>([], () => [{ status: 'sent', afterMs: 500 }, { status: 'undelivered', afterMs: 1_000, errorCode: 30005 }]),
    planFrom: maybe<number | undefined>(undefined, () => 1_200),
  };
}

describe('stored messages', () => {
  it('read back every field exactly, none at its usual value', () => {
    expect(roundTrip(FULL)).toStrictEqual(FULL);
  });

  it('keep a value that differs from the usual one only by being null', () => {
    const m: MessageRecord = { ...QUEUED, from: null, priceUnit: null };
    expect(roundTrip(m)).toEqual(m);
    expect(roundTrip(m).priceUnit).toBeNull();
  });

  it('leave out what is at its usual value, and store the plan as tuples', () => {
    const stored = messageCodec.encode(QUEUED) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(['accountSid', 'body', 'dateCreated', 'dateUpdated', 'from', 'plan', 'sid', 'status', 'to']);
    expect(stored.plan).toEqual([['sending', 500], ['sent', 500], ['delivered', 1_000]]);
    expect(JSON.stringify(stored).length).toBeLessThan(0.6 * JSON.stringify(QUEUED).length);
    expect(roundTrip(QUEUED)).toEqual(QUEUED);
  });

  it('are written as JSON text exactly as JSON.stringify writes it, and read back whole', () => {
    let state = 7;
    const pick = (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31; // a fixed sequence: the same cases every run
      return state % n;
    };
    const cases = [FULL, QUEUED, ...Array.from({ length: 500 }, () => variant(pick))];
    for (const m of cases) {
      const text = messageCodec.encodeJson!(m);
      expect(text).toBe(JSON.stringify(JSON.parse(text))); // JSON.stringify's own text: escapes, no spaces
      expect(messageCodec.decode(JSON.parse(text))).toEqual(m); // and every field reads back
    }
    expect(messageCodec.decode(JSON.parse(messageCodec.encodeJson!(FULL)))).toStrictEqual(FULL);
  });

  it('read a message stored whole, as earlier versions wrote it', () => {
    const { planFrom: _unset, ...whole } = QUEUED; // earlier versions left an unset planFrom out
    expect(messageCodec.decode(JSON.parse(JSON.stringify(whole)))).toEqual(QUEUED);
    expect(messageCodec.decode(JSON.parse(JSON.stringify(FULL)))).toStrictEqual(FULL);
  });

  it('are what a session collection writes, and read back after a restart', async () => {
    const dir = tempDir('mirra-stored-');
    const record = { id: 's1', accountSid: FULL.accountSid, authTokenHash: '', tokenGiven: false, apiKeys: [], seed: { name: 't' }, clock: { offsetMs: 0, frozenAt: null }, createdAt: 0 };
    const codecs = new Map([[MESSAGES, messageCodec]]);
    const time = { now: () => 0 };
    const a = new LmdbStore({ dir, groupCommit: true });
    new Session(record as never, a, time, null, codecs).collection<MessageRecord>(MESSAGES).insert(QUEUED);
    await a.settled();
    const raw = [...a.range<{ data: Record<string, unknown> }>({ prefix: keys.orders('s1', MESSAGES) })];
    expect(raw).toHaveLength(1);
    expect(raw[0].value.data.direction).toBeUndefined(); // the compact form is what reached the store
    await a.close();
    const b = new LmdbStore({ dir });
    expect(new Session(record as never, b, time, null, codecs).collection<MessageRecord>(MESSAGES).get(QUEUED.sid)).toEqual(QUEUED);
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
