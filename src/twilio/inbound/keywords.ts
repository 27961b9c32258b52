/**
 * Twilio's default opt-out handling for long codes and toll-free numbers (help.twilio.com "Twilio
 * support for opt-out keywords (SMS STOP filtering)"): a single-word inbound message, case and
 * surrounding whitespace ignored, that is an opt-out keyword blocks later sends from that number —
 * and from every number of its messaging service — to the sender (21610) until an opt-in keyword;
 * HELP/INFO get the standard help reply unless the sender is opted out. Pure.
 */

/** What a keyword does. */
export type KeywordKind = 'opt-out' | 'opt-in' | 'help';

/** Default keywords (STOP filtering), upper-case. */
export const KEYWORDS: Readonly<Record<KeywordKind, readonly string[]>> = {
  'opt-out': ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'],
  'opt-in': ['START', 'YES', 'UNSTOP'],
  help: ['HELP', 'INFO'],
};

/** Twilio's standard automatic replies to each kind of keyword. */
export const DEFAULT_REPLIES: Readonly<Record<KeywordKind, string>> = {
  'opt-out': 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
  'opt-in': 'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
  help: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
};

/**
 * The keyword kind of an inbound body, or null. Only single-word messages count ("STOP PLEASE"
 * does not), whatever the case.
 */
export function keywordOf(body: string): KeywordKind | null {
  const word = body.trim().toUpperCase();
  if (!/^[A-Z]+$/.test(word)) return null;
  for (const kind of Object.keys(KEYWORDS) as KeywordKind[]) {
    if (KEYWORDS[kind].includes(word)) return kind;
  }
  return null;
}
