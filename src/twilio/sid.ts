/**
 * Twilio identifiers. This is the only module that makes random ids: every SID is a two-letter
 * prefix plus 32 lower-case hex digits (34 characters), as in the spec's `pattern`s.
 */
import { randomBytes } from 'node:crypto';
import { fmix32 } from './stable-hash';

/** SID prefixes mirra emits, by resource. */
export const SID_PREFIX = {
  account: 'AC',
  apiKey: 'SK',
  message: 'SM',
  mediaMessage: 'MM',
  media: 'ME',
  phoneNumber: 'PN',
  messagingService: 'MG',
  verifyService: 'VA',
  verification: 'VE',
  verificationAttempt: 'VL',
  request: 'RQ',
  call: 'CA',
  recording: 'RE',
  transcription: 'TR',
  notification: 'NO',
  conference: 'CF',
  queue: 'QU',
} as const;

/** Bytes of entropy fetched at once (one `randomBytes` call serves 256 SIDs). */
const POOL_BYTES = 4096;

/**
 * Random bytes served from a pool refilled in 4 KiB blocks, as Node's own `randomUUID` does: each
 * `randomBytes` call costs a few microseconds here (a system call per call), and a created message
 * needs several ids. The bytes are the same CSPRNG output, only fetched in bulk. This is the one
 * piece of module state in mirra: it holds no data of anyone, only unused randomness.
 */
const entropy = { pool: Buffer.alloc(0), offset: 0 };

/** `bytes` random bytes as hex. */
function randomHex(bytes: number): string {
  if (bytes > POOL_BYTES) return randomBytes(bytes).toString('hex');
  if (entropy.offset + bytes > entropy.pool.length) {
    entropy.pool = randomBytes(POOL_BYTES);
    entropy.offset = 0;
  }
  const start = entropy.offset;
  entropy.offset += bytes;
  return entropy.pool.toString('hex', start, start + bytes);
}

/** A fresh SID with the given two-letter prefix. */
export function newSid(prefix: string): string {
  return prefix + randomHex(16);
}

/** 32 random hex digits, the shape of an auth token. */
export function newToken(): string {
  return randomHex(16);
}

/** A short random id for sessions and deliveries. */
export function newId(bytes = 8): string {
  return randomHex(bytes);
}

/** True when `value` has the shape of a SID with `prefix`. */
export function isSid(value: unknown, prefix?: string): value is string {
  return typeof value === 'string' && /^[A-Z]{2}[0-9a-f]{32}$/.test(value) && (!prefix || value.startsWith(prefix));
}

/*
 * SIDs that carry their record's place. A collection mints the SIDs of records it is about to store
 * (`Collection.mintSid`): 16 random hex digits, then the record's sequence number masked by a mix
 * of those digits. Such a SID looks as random as any other (32 lower-case hex digits, distinct for
 * every record), and the collection reads the sequence number back out of it instead of keeping a
 * SID → sequence number index: an index entry lands at a random place of the key space, so every
 * create dirtied a storage page of its own and every later read by SID paid a second read (issue
 * #14). A SID not minted this way (seeded, replayed, stored by an earlier version) decodes to some
 * number whose record names another SID, and the collection falls back to its index.
 */

/** Sequence numbers a SID can carry: below 2^53, so they stay exact as JS numbers. */
const MAX_HIGH = 2 ** 21;

/** Hex digits of every byte value, for writing SIDs without number-to-string conversions. */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** `n` (an unsigned 32-bit integer) as 8 hex digits. */
function hex8(n: number): string {
  return HEX_BYTE[n >>> 24] + HEX_BYTE[(n >>> 16) & 0xff] + HEX_BYTE[(n >>> 8) & 0xff] + HEX_BYTE[n & 0xff];
}

/** The value of a lower-case hex digit's char code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** The 8 lower-case hex digits of `s` at `start` as an unsigned 32-bit integer, or -1. */
function readHex8(s: string, start: number): number {
  let n = 0;
  for (let i = start; i < start + 8; i++) {
    const d = hexDigit(s.charCodeAt(i));
    if (d < 0) return -1;
    n = n * 16 + d;
  }
  return n;
}

/** The 64-bit mask (two 32-bit halves) that hides a sequence number behind random digits `r0`, `r1`. */
function maskOf(r0: number, r1: number): [number, number] {
  const k0 = fmix32(r0 ^ 0x9e3779b9);
  return [k0, fmix32(r1 ^ k0)];
}

/** A fresh SID with `prefix` that carries `seq` (a positive integer below 2^53). */
export function sidWithSeq(prefix: string, seq: number): string {
  const random = randomHex(8);
  const [k0, k1] = maskOf(readHex8(random, 0), readHex8(random, 8));
  const high = Math.floor(seq / 2 ** 32);
  return prefix + random + hex8((high ^ k0) >>> 0) + hex8(((seq >>> 0) ^ k1) >>> 0);
}

/**
 * The sequence number `sid` would carry had {@link sidWithSeq} made it, or null when it cannot
 * carry one. Any SID-shaped string decodes to something: the caller checks the record it names.
 */
export function seqInSid(sid: string): number | null {
  if (sid.length !== 34) return null;
  const r0 = readHex8(sid, 2);
  const r1 = readHex8(sid, 10);
  const m0 = readHex8(sid, 18);
  const m1 = readHex8(sid, 26);
  if (r0 < 0 || r1 < 0 || m0 < 0 || m1 < 0) return null;
  const [k0, k1] = maskOf(r0, r1);
  const high = (m0 ^ k0) >>> 0;
  if (high >= MAX_HIGH) return null;
  const seq = high * 2 ** 32 + ((m1 ^ k1) >>> 0);
  return seq > 0 ? seq : null;
}
