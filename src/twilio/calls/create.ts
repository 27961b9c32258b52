/**
 * A Calls create request, validated (./validate.ts) against the session's numbers, verified
 * caller IDs and TwiML apps, turned into what {@link placeOutbound} needs: the recording settings
 * of `Record=true` (`RecordingStatusCallback*`, `RecordingChannels`) are read here.
 */
import type { Session } from '../../session/session';
import { twilioError } from '../errors';
import { one, type Params } from '../form';
import { findOwnedNumber } from '../numbers/types';
import type { OutboundCall } from './place';
import type { CallRecordingSettings } from './runner/run';
import type { CallSettings } from './runner/settings';
import { validateCreate, type CreateCallContext } from './validate';

/** What validation knows of the session. */
export function createContext(session: Session, settings: CallSettings): CreateCallContext {
  return {
    ownsCallerId: (from) => !!findOwnedNumber(session, from) || settings.verifiedCallerIds.includes(from),
    application: (sid) => settings.applications.find((a) => a.sid === sid) ?? null,
  };
}

function recordingSettings(params: Params): CallRecordingSettings {
  const url = one(params, 'RecordingStatusCallback') || null;
  if (url !== null) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(url).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw twilioError(21205, { param: 'RecordingStatusCallback', url });
  }
  const method = (one(params, 'RecordingStatusCallbackMethod') ?? 'POST').toUpperCase();
  if (method !== 'GET' && method !== 'POST') throw twilioError(21209, { value: method });
  return { statusCallback: url, statusCallbackMethod: method, channels: one(params, 'RecordingChannels') === 'dual' ? 2 : 1 };
}

/** Validates a create form; throws the Twilio error a real create answers. */
export function readCreate(params: Params, ctx: CreateCallContext): OutboundCall {
  const input = validateCreate(params, ctx);
  return {
    to: input.to,
    from: input.from,
    twiml: input.twiml,
    fallback: input.fallback,
    statusCallback: input.statusCallback,
    statusCallbackMethod: input.statusCallbackMethod,
    statusCallbackEvents: input.statusCallbackEvents,
    timeoutSec: input.timeout,
    timeLimitSec: input.timeLimit,
    sendDigits: input.sendDigits,
    machineDetection: input.machineDetection,
    record: input.record ? recordingSettings(params) : null,
  };
}
