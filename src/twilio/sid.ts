/**
 * Twilio identifiers. This is the only module that makes random ids: every SID is a two-letter
 * prefix plus 32 lower-case hex digits (34 characters), as in the spec's `pattern`s.
 */
import { randomBytes } from 'node:crypto';

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
