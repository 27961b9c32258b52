/**
 * The code and how it reaches the recipient: generation (randomness comes only from sid.ts), the
 * text Twilio's default templates send on each channel, and the inbox address of a recipient.
 */
import { newId } from '../../sid';
import type { Channel, VerificationRecord } from '../types';

/** A random numeric code of `length` digits (leading zeros allowed, as Twilio's are). */
export function randomCode(length: number): string {
  const n = BigInt('0x' + newId(8)) % 10n ** BigInt(length);
  return n.toString().padStart(length, '0');
}

/** The security warning `do_not_share_warning_enabled` appends to SMS bodies. */
const DO_NOT_SHARE = " Don't share this code with anyone; our employees will never ask for the code.";

/**
 * What the recipient gets for this verification: Twilio's default English template
 * ("Your {friendly_name} verification code is: {code}"); a call reads the digits one by one.
 */
export function codeMessage(v: VerificationRecord, channel: Channel): string {
  const base = `Your ${v.friendlyName} verification code is: `;
  if (channel === 'call') return base + v.code.split('').join(', ') + '.';
  const warning = channel === 'sms' && v.doNotShareWarning ? '.' + DO_NOT_SHARE : '';
  return base + v.code + warning;
}

/** Where a delivery lands: WhatsApp messages under `whatsapp:+…`, as the Messages inbox keeps them. */
export function inboxAddress(to: string, channel: Channel): string {
  return channel === 'whatsapp' ? `whatsapp:${to}` : to;
}
