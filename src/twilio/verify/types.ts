/**
 * Verify v2 records as mirra keeps them (schemas `verify.v2.service` and
 * `verify.v2.service.verification`). Times are epoch ms on the session clock; rendering turns them
 * into ISO 8601. Fields Twilio never shows (the code, the check counter, the service's channels)
 * live here too, so the API can behave exactly while rendering only what Twilio renders.
 */
import type { Session } from '../../session/session';

/** Delivery channels the mirror emulates (the spec's enum minus `sna`; `auto` is not emulated). */
export const CHANNELS = ['sms', 'call', 'email', 'whatsapp'] as const;

/** A delivery channel. */
export type Channel = (typeof CHANNELS)[number];

/** True when `value` is a channel the mirror emulates. */
export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

/** A Verify service. */
export interface VerifyServiceRecord {
  sid: string;
  accountSid: string;
  friendlyName: string;
  codeLength: number;
  lookupEnabled: boolean;
  psd2Enabled: boolean;
  skipSmsToLandlines: boolean;
  dtmfInputRequired: boolean;
  ttsName: string | null;
  doNotShareWarningEnabled: boolean;
  customCodeEnabled: boolean;
  push: { includeDate: boolean; apnCredentialSid: string | null; fcmCredentialSid: string | null };
  /** `issuer` null means "the friendly name", which is what Twilio shows for an unset issuer. */
  totp: { issuer: string | null; timeStep: number; codeLength: number; skew: number };
  whatsapp: { msgServiceSid: string | null; from: string | null };
  /** The Passkeys configuration as given (snake_case), or null when never configured. */
  passkeys: Record<string, unknown> | null;
  defaultTemplateSid: string | null;
  verifyEventSubscriptionEnabled: boolean;
  /**
   * Delivery channels switched on for the service. Twilio keeps this in the Console, not in the
   * REST resource, so it is a seed setting only; API-created services have every channel on.
   */
  channels: Channel[];
  dateCreated: number;
  dateUpdated: number;
}

/**
 * Verification statuses. `pending`, `approved`, `canceled` and `max_attempts_reached` are what the
 * API shows (real traffic); `expired` is kept internally for a verification Twilio has deleted.
 */
export type VerificationStatus = 'pending' | 'approved' | 'canceled' | 'max_attempts_reached' | 'expired';

/** One send of the code (`send_code_attempts[]`, `VL…`). */
export interface SendAttempt {
  attemptSid: string;
  channel: Channel;
  time: number;
  /** False once `verify.delivery_failed` withdrew this delivery from the recipient's inbox. */
  delivered: boolean;
}

/** Carrier information shown in `lookup` when the service has lookups on. */
export interface CarrierInfo {
  errorCode: number | null;
  name: string | null;
  mobileCountryCode: string | null;
  mobileNetworkCode: string | null;
  type: 'mobile' | 'landline' | 'voip';
}

/** A verification (`VE…`). */
export interface VerificationRecord {
  sid: string;
  serviceSid: string;
  accountSid: string;
  /** E.164 number for phone channels, the address for email. */
  to: string;
  channel: Channel;
  status: VerificationStatus;
  /** The code the recipient must send back (never rendered). */
  code: string;
  /** Checks made so far (right or wrong). */
  checkAttempts: number;
  /** `verify.check_failed`: the next check fails even with the right code. */
  failNextCheck: boolean;
  sendCodeAttempts: SendAttempt[];
  /** Name used in the message text: CustomFriendlyName, else the service's friendly name. */
  friendlyName: string;
  doNotShareWarning: boolean;
  locale: string | null;
  /** null: lookups off (`{"carrier": null}`). */
  carrier: CarrierInfo | null;
  amount: string | null;
  payee: string | null;
  dateCreated: number;
  dateUpdated: number;
  /** When Twilio deletes the verification (creation + the validity window). */
  expiresAt: number;
}

/** The collection name of Verify services in a session. */
export const VERIFY_SERVICES = 'verify_services';
/** The collection name of verifications in a session. */
export const VERIFICATIONS = 'verify_verifications';

/** The Verify service with this SID in the session, if any. */
export function findVerifyService(session: Session, sid: string): VerifyServiceRecord | undefined {
  return session.collection<VerifyServiceRecord>(VERIFY_SERVICES).get(sid);
}
