/**
 * How a message is written to the store: without the fields that hold their usual value, and its
 * planned steps as `[status, afterMs, errorCode?]` tuples. A message is the record a session
 * stores most of (one a create, each rewritten once at its last step), and LMDB keeps every
 * page of them mapped, so bytes per message are memory per message: stored whole, a queued
 * message took ~650 bytes and a sent one ~530; in this form both take ~330.
 *
 * Reading fills the usual values back, so code sees the whole {@link MessageRecord}. Records
 * stored whole (by earlier versions, or any record with nothing to leave out) read the same way.
 */
import type { RecordCodec } from '../../session/collection';
import type { MessageRecord, MessageStatus, PlannedStep } from './types';

/** A planned step as stored: status, delay, and the error code of a failing step. */
type StoredStep = [MessageStatus, number] | [MessageStatus, number, number];

/** What a stored message may leave out: these values, read back when the field is absent. */
const USUAL = {
  from: null,
  senderOnQueue: null,
  messagingServiceSid: null,
  direction: 'outbound-api',
  numSegments: 1,
  price: null,
  priceUnit: 'USD',
  errorCode: null,
  errorMessage: null,
  dateSent: null,
  statusCallback: null,
} as const satisfies Partial<MessageRecord>;

/** Steps as stored now (tuples) or by earlier versions (objects). */
function decodePlan(stored: unknown): PlannedStep[] {
  if (!Array.isArray(stored)) return [];
  return stored.map((s: StoredStep | PlannedStep) => {
    if (!Array.isArray(s)) return s;
    return s.length === 3 ? { status: s[0], afterMs: s[1], errorCode: s[2] } : { status: s[0], afterMs: s[1] };
  });
}

/** A character JSON.stringify escapes (quote, backslash, control), or half of a surrogate pair. */
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The JSON of `value` as JSON.stringify writes it. Strings without a character that needs care
 * (most: SIDs, numbers, dates) are quoted as they are, and numbers are written by `String`,
 * which is JSON's number format: a call of JSON.stringify per field cost more than one call for
 * the whole record did.
 */
function json(value: unknown): string {
  if (typeof value === 'string') return NEEDS_CARE.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return value === null ? 'null' : JSON.stringify(value);
}

/** `,"key":` and the JSON of `value`, or nothing when `value` is undefined (as JSON.stringify leaves such a key out). */
function field(key: string, value: unknown): string {
  return value === undefined ? '' : `,"${key}":${json(value)}`;
}

/** The JSON of `plan` as stored: a {@link StoredStep} tuple a step. */
function planJson(plan: PlannedStep[]): string {
  let out = '[';
  for (let i = 0; i < plan.length; i++) {
    const s = plan[i];
    out += `${i === 0 ? '' : ','}[${json(s.status)},${json(s.afterMs)}${s.errorCode === undefined ? '' : `,${json(s.errorCode)}`}]`;
  }
  return out + ']';
}

export const messageCodec: RecordCodec<MessageRecord> = {
  encode(r) {
    // The same fields as `encodeJson` writes (one list of them, there).
    return JSON.parse(messageCodec.encodeJson!(r)) as unknown;
  },
  encodeJson(r) {
    // Field by field, in the record's order, each left out at its usual value; the JSON text is
    // built directly, as JSON.stringify would write it (test/unit/message-stored.test.ts holds it
    // to that): the collection writes this text, with no object built and stringified between.
    // A field added to MessageRecord is stored once listed here; the round-trip test of every
    // field catches one that is not.
    let out = field('sid', r.sid) + field('accountSid', r.accountSid) + field('to', r.to);
    if (r.from !== USUAL.from) out += field('from', r.from);
    if (r.senderOnQueue !== USUAL.senderOnQueue) out += field('senderOnQueue', r.senderOnQueue);
    if (r.messagingServiceSid !== USUAL.messagingServiceSid) out += field('messagingServiceSid', r.messagingServiceSid);
    out += field('body', r.body) + field('status', r.status);
    if (r.direction !== USUAL.direction) out += field('direction', r.direction);
    if (r.numSegments !== USUAL.numSegments) out += field('numSegments', r.numSegments);
    if (r.price !== USUAL.price) out += field('price', r.price);
    if (r.priceUnit !== USUAL.priceUnit) out += field('priceUnit', r.priceUnit);
    if (r.errorCode !== USUAL.errorCode) out += field('errorCode', r.errorCode);
    if (r.errorMessage !== USUAL.errorMessage) out += field('errorMessage', r.errorMessage);
    out += field('dateCreated', r.dateCreated) + field('dateUpdated', r.dateUpdated);
    if (r.dateSent !== USUAL.dateSent) out += field('dateSent', r.dateSent);
    if (r.statusCallback !== USUAL.statusCallback) out += field('statusCallback', r.statusCallback);
    if (r.media.length > 0) out += field('media', r.media);
    if (r.plan.length > 0) out += `,"plan":${planJson(r.plan)}`;
    if (r.planFrom !== undefined) out += field('planFrom', r.planFrom);
    return `{${out.slice(1)}}`; // without the first field's comma
  },
  decode(stored) {
    const s = stored as { [K in keyof MessageRecord]?: MessageRecord[K] } & { plan?: unknown };
    // Every field in the record's own order (one object shape for every message read).
    const record: MessageRecord = {
      sid: s.sid as string,
      accountSid: s.accountSid as string,
      to: s.to as string,
      from: or<MessageRecord['from']>(s.from, USUAL.from),
      senderOnQueue: or<MessageRecord['senderOnQueue']>(s.senderOnQueue, USUAL.senderOnQueue),
      messagingServiceSid: or<MessageRecord['messagingServiceSid']>(s.messagingServiceSid, USUAL.messagingServiceSid),
      body: s.body as string,
      status: s.status as MessageStatus,
      direction: or<MessageRecord['direction']>(s.direction, USUAL.direction),
      numSegments: or<MessageRecord['numSegments']>(s.numSegments, USUAL.numSegments),
      price: or<MessageRecord['price']>(s.price, USUAL.price),
      priceUnit: or<MessageRecord['priceUnit']>(s.priceUnit, USUAL.priceUnit),
      errorCode: or<MessageRecord['errorCode']>(s.errorCode, USUAL.errorCode),
      errorMessage: or<MessageRecord['errorMessage']>(s.errorMessage, USUAL.errorMessage),
      dateCreated: s.dateCreated as number,
      dateUpdated: s.dateUpdated as number,
      dateSent: or<MessageRecord['dateSent']>(s.dateSent, USUAL.dateSent),
      statusCallback: or<MessageRecord['statusCallback']>(s.statusCallback, USUAL.statusCallback),
      media: s.media ?? [],
      plan: decodePlan(s.plan),
      planFrom: s.planFrom,
    };
    return record;
  },
};

/** `value`, or `usual` when the stored record left the field out. */
function or<V>(value: V | undefined, usual: V): V {
  return value === undefined ? usual : value;
}
