/**
 * Creating and changing Verify services from API params (`FriendlyName`, `CodeLength`, the
 * `Push.*`/`Totp.*`/`Whatsapp.*`/`Passkeys.*` groups, ...), with Twilio's ranges from the spec's
 * parameter descriptions and the defaults of a real 2022 service (totp 30 s / 6 digits / skew 1,
 * push include_date true, issuer = friendly name).
 */
import { twilioError } from '../../errors';
import { bool, many, one, type Params } from '../../form';
import { isSid, newSid, SID_PREFIX } from '../../sid';
import { invalidParam, missingParam } from '../param-errors';
import type { SeedVerifyService } from '../policy';
import { CHANNELS, type VerifyServiceRecord } from '../types';

/** Longest FriendlyName Twilio accepts ("up to 32 characters"). */
const MAX_NAME = 32;

/** A new service with Twilio's defaults, from a seed entry (or the validated create params). */
export function newVerifyService(accountSid: string, input: SeedVerifyService, now: number): VerifyServiceRecord {
  return {
    sid: input.sid ?? newSid(SID_PREFIX.verifyService),
    accountSid,
    friendlyName: input.friendlyName,
    // The spec's `default: 0` is a generator artefact; Twilio's default length is 6 (twilio-api.md §6).
    codeLength: input.codeLength ?? 6,
    lookupEnabled: input.lookupEnabled ?? false,
    psd2Enabled: input.psd2Enabled ?? false,
    skipSmsToLandlines: input.skipSmsToLandlines ?? false,
    dtmfInputRequired: false,
    ttsName: null,
    doNotShareWarningEnabled: input.doNotShareWarningEnabled ?? false,
    customCodeEnabled: input.customCodeEnabled ?? false,
    push: { includeDate: true, apnCredentialSid: null, fcmCredentialSid: null },
    totp: { issuer: null, timeStep: 30, codeLength: 6, skew: 1 },
    whatsapp: { msgServiceSid: null, from: null },
    passkeys: null,
    defaultTemplateSid: null,
    verifyEventSubscriptionEnabled: false,
    channels: input.channels ? [...input.channels] : [...CHANNELS],
    dateCreated: now,
    dateUpdated: now,
  };
}

/** An integer param within [min, max], or 60200 naming it. */
function intParam(params: Params, key: string, min: number, max: number): number | undefined {
  const raw = one(params, key);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw invalidParam(key, raw);
  return Number(raw);
}

/** A SID param with the given prefix (empty clears it), or 60200. */
function sidParam(params: Params, key: string, prefix: string): string | null | undefined {
  const raw = one(params, key);
  if (raw === undefined) return undefined;
  if (raw === '') return null;
  if (!isSid(raw, prefix)) throw invalidParam(key, raw);
  return raw;
}

function has(params: Params, key: string): boolean {
  return one(params, key) !== undefined;
}

/** The Passkeys group as Twilio echoes it (snake_case), merged over the current one. */
function passkeysOf(params: Params, current: Record<string, unknown> | null): Record<string, unknown> | null {
  const keys = Object.keys(params).filter((k) => k.startsWith('Passkeys.'));
  if (keys.length === 0) return current;
  const base = current ?? { relying_party: { id: null, name: null, origins: [] }, authenticator_attachment: null, discoverable_credentials: null, user_verification: null };
  const party = { ...(base.relying_party as Record<string, unknown>) };
  if (has(params, 'Passkeys.RelyingParty.Id')) party.id = one(params, 'Passkeys.RelyingParty.Id');
  if (has(params, 'Passkeys.RelyingParty.Name')) party.name = one(params, 'Passkeys.RelyingParty.Name');
  const origins = many(params, 'Passkeys.RelyingParty.Origins');
  // The description gives origins comma-separated in one value; repeated keys work too.
  if (origins.length) party.origins = origins.flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  const next: Record<string, unknown> = { ...base, relying_party: party };
  if (has(params, 'Passkeys.AuthenticatorAttachment')) next.authenticator_attachment = one(params, 'Passkeys.AuthenticatorAttachment');
  if (has(params, 'Passkeys.DiscoverableCredentials')) next.discoverable_credentials = one(params, 'Passkeys.DiscoverableCredentials');
  if (has(params, 'Passkeys.UserVerification')) next.user_verification = one(params, 'Passkeys.UserVerification');
  return next;
}

/** Applies create/update params to `service`; only the params given change anything. */
export function applyServiceParams(service: VerifyServiceRecord, params: Params, now: number): VerifyServiceRecord {
  const next: VerifyServiceRecord = { ...service, push: { ...service.push }, totp: { ...service.totp }, whatsapp: { ...service.whatsapp }, dateUpdated: now };
  const name = one(params, 'FriendlyName');
  if (name !== undefined) {
    if (name.trim() === '') throw missingParam('FriendlyName');
    if (name.length > MAX_NAME) throw invalidParam('FriendlyName', name);
    next.friendlyName = name;
  }
  next.codeLength = intParam(params, 'CodeLength', 4, 10) ?? next.codeLength;
  next.lookupEnabled = bool(params, 'LookupEnabled', next.lookupEnabled);
  next.skipSmsToLandlines = bool(params, 'SkipSmsToLandlines', next.skipSmsToLandlines);
  next.dtmfInputRequired = bool(params, 'DtmfInputRequired', next.dtmfInputRequired);
  next.psd2Enabled = bool(params, 'Psd2Enabled', next.psd2Enabled);
  next.doNotShareWarningEnabled = bool(params, 'DoNotShareWarningEnabled', next.doNotShareWarningEnabled);
  next.customCodeEnabled = bool(params, 'CustomCodeEnabled', next.customCodeEnabled);
  next.verifyEventSubscriptionEnabled = bool(params, 'VerifyEventSubscriptionEnabled', next.verifyEventSubscriptionEnabled);
  if (has(params, 'TtsName')) next.ttsName = one(params, 'TtsName') || null;
  const template = sidParam(params, 'DefaultTemplateSid', 'HJ');
  if (template !== undefined) next.defaultTemplateSid = template;

  next.push.includeDate = bool(params, 'Push.IncludeDate', next.push.includeDate);
  const apn = sidParam(params, 'Push.ApnCredentialSid', 'CR');
  if (apn !== undefined) next.push.apnCredentialSid = apn;
  const fcm = sidParam(params, 'Push.FcmCredentialSid', 'CR');
  if (fcm !== undefined) next.push.fcmCredentialSid = fcm;

  if (has(params, 'Totp.Issuer')) next.totp.issuer = one(params, 'Totp.Issuer') || null;
  next.totp.timeStep = intParam(params, 'Totp.TimeStep', 20, 60) ?? next.totp.timeStep;
  next.totp.codeLength = intParam(params, 'Totp.CodeLength', 3, 8) ?? next.totp.codeLength;
  next.totp.skew = intParam(params, 'Totp.Skew', 0, 2) ?? next.totp.skew;

  const msgService = sidParam(params, 'Whatsapp.MsgServiceSid', 'MG');
  if (msgService !== undefined) next.whatsapp.msgServiceSid = msgService;
  if (has(params, 'Whatsapp.From')) next.whatsapp.from = one(params, 'Whatsapp.From') || null;

  next.passkeys = passkeysOf(params, service.passkeys);
  return next;
}

/** Validates create params and builds the new service. */
export function createServiceFromParams(accountSid: string, params: Params, now: number): VerifyServiceRecord {
  const name = one(params, 'FriendlyName');
  if (name === undefined || name === '') throw twilioError(20001, { param: 'FriendlyName' });
  return applyServiceParams(newVerifyService(accountSid, { friendlyName: name }, now), params, now);
}
