/**
 * A Verify service as the v2 API renders it: the spec example's key order, ISO 8601 dates,
 * absolute `url` and `links` on the origin the client used (https://verify.twilio.com through the
 * proxy, the mirror's own origin in base-URL mode).
 */
import { iso8601 } from '../../wire';
import type { VerifyServiceRecord } from '../types';

/** Absolute URL of a service. */
export function serviceUrl(origin: string, sid: string): string {
  return `${origin}/v2/Services/${sid}`;
}

/** A service as JSON. */
export function renderService(s: VerifyServiceRecord, origin: string): Record<string, unknown> {
  const url = serviceUrl(origin, s.sid);
  return {
    sid: s.sid,
    account_sid: s.accountSid,
    friendly_name: s.friendlyName,
    code_length: s.codeLength,
    lookup_enabled: s.lookupEnabled,
    psd2_enabled: s.psd2Enabled,
    skip_sms_to_landlines: s.skipSmsToLandlines,
    dtmf_input_required: s.dtmfInputRequired,
    tts_name: s.ttsName,
    do_not_share_warning_enabled: s.doNotShareWarningEnabled,
    custom_code_enabled: s.customCodeEnabled,
    push: { include_date: s.push.includeDate, apn_credential_sid: s.push.apnCredentialSid, fcm_credential_sid: s.push.fcmCredentialSid },
    totp: { issuer: s.totp.issuer ?? s.friendlyName, time_step: s.totp.timeStep, code_length: s.totp.codeLength, skew: s.totp.skew },
    whatsapp: { msg_service_sid: s.whatsapp.msgServiceSid, from: s.whatsapp.from },
    passkeys: s.passkeys,
    default_template_sid: s.defaultTemplateSid,
    verify_event_subscription_enabled: s.verifyEventSubscriptionEnabled,
    date_created: iso8601(s.dateCreated),
    date_updated: iso8601(s.dateUpdated),
    url,
    links: {
      verification_checks: `${url}/VerificationCheck`,
      verifications: `${url}/Verifications`,
      rate_limits: `${url}/RateLimits`,
      messaging_configurations: `${url}/MessagingConfigurations`,
      entities: `${url}/Entities`,
      webhooks: `${url}/Webhooks`,
      access_tokens: `${url}/AccessTokens`,
    },
  };
}
