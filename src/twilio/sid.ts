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
} as const;

/** A fresh SID with the given two-letter prefix. */
export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** 32 random hex digits, the shape of an auth token. */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}

/** A short random id for sessions and deliveries. */
export function newId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** True when `value` has the shape of a SID with `prefix`. */
export function isSid(value: unknown, prefix?: string): value is string {
  return typeof value === 'string' && /^[A-Z]{2}[0-9a-f]{32}$/.test(value) && (!prefix || value.startsWith(prefix));
}
