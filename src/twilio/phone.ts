/**
 * Phone number handling at the boundary: Twilio echoes numbers in E.164 and accepts a leading-`+`
 * less form (twilio-real-traffic.md "Normalisation"). Masking follows 2023-era error messages.
 */

/** Channel prefixes (`whatsapp:+1555...`) that Twilio passes through unchanged. */
const CHANNEL = /^(whatsapp|messenger|rcs):/i;

/** Normalises a number to E.164 when it looks like one; returns null when it cannot be a number. */
export function toE164(raw: string): string | null {
  const value = raw.trim();
  const channel = CHANNEL.exec(value);
  if (channel) {
    const rest = toE164(value.slice(channel[0].length));
    return rest ? channel[0].toLowerCase() + rest : null;
  }
  const digits = value.replace(/[\s().-]/g, '');
  if (/^\+[1-9]\d{6,14}$/.test(digits)) return digits;
  if (/^1\d{10}$/.test(digits)) return '+' + digits;
  if (/^[2-9]\d{9}$/.test(digits)) return '+1' + digits; // a bare NANP national number
  if (/^[1-9]\d{7,14}$/.test(digits)) return '+' + digits;
  return null;
}

/** True for a short code (5–6 digits) or an alphanumeric sender id, which are valid `From` values. */
export function isShortCodeOrAlpha(value: string): boolean {
  return /^\d{5,6}$/.test(value) || (/^[A-Za-z0-9 ]{1,11}$/.test(value) && /[A-Za-z]/.test(value));
}

/** Masks the last four digits as 2023-era Twilio messages do: `+9170000XXXX`. */
export function maskNumber(value: string): string {
  return value.length > 4 ? value.slice(0, -4) + 'XXXX' : value;
}

/** The national area code of a NANP number (`+14155550100` → `415`), else null. */
export function areaCodeOf(e164: string): string | null {
  const m = /^\+1(\d{3})\d{7}$/.exec(e164);
  return m ? m[1] : null;
}
