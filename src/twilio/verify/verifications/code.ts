/**
 * The code and how it reaches the recipient: generation (randomness comes only from sid.ts), the
 * text Twilio's default templates send on each channel, and the inbox address of a recipient.
 */
import { newId } from '../../sid';
import { defaultLocaleFor, localizedCodeMessage } from '../locale';
import type { Channel, VerificationRecord } from '../types';

/** A random numeric code of `length` digits (leading zeros allowed, as Twilio's are). */
export function randomCode(length: number): string {
  const n = BigInt('0x' + newId(8)) % 10n ** BigInt(length);
  return n.toString().padStart(length, '0');
}

/**
 * What the recipient gets for this verification: Twilio's default template ("Your {friendly_name}
 * verification code is: {code}") in the verification's locale — its `Locale`, else the `To`
 * country's language (locale.ts); a call reads the digits one by one; the do-not-share warning goes
 * on SMS bodies of a service that has it on. Email has no translations (the docs), so it is English.
 */
export function codeMessage(v: VerificationRecord, channel: Channel): string {
  const tag = channel === 'email' ? 'en' : (v.locale ?? defaultLocaleFor(v.to));
  return localizedCodeMessage(tag, v.friendlyName, v.code, { spoken: channel === 'call', warning: channel === 'sms' && v.doNotShareWarning });
}

/** Where a delivery lands: WhatsApp messages under `whatsapp:+…`, as the Messages inbox keeps them. */
export function inboxAddress(to: string, channel: Channel): string {
  return channel === 'whatsapp' ? `whatsapp:${to}` : to;
}
