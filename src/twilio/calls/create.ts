/**
 * A Calls create request, validated (./validate.ts) against the session's numbers, verified
 * caller IDs and TwiML apps, turned into what {@link placeOutbound} needs: the recording settings
 * of `Record=true` (`RecordingStatusCallback*`, `RecordingChannels`) are read here.
 */
import type { Session } from '../../session/session';
import { many, one, type Params } from '../form';
import { findOwnedNumber } from '../numbers/types';
import type { OutboundCall } from './place';
import { methodParam, recordingCallback } from './recordings/params';
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

/**
 * `Record=true`'s settings: `RecordingStatusCallback` (21205), `…Method` (21209), `…Event` (unknown
 * words dropped; default `completed` and `absent`, as mirra always sent them), `RecordingChannels`,
 * `RecordingTrack`.
 */
function recordingSettings(params: Params): CallRecordingSettings {
  const callback = recordingCallback(params, 'Recording');
  const given = many(params, 'RecordingStatusCallbackEvent').length > 0;
  const track = one(params, 'RecordingTrack');
  return {
    statusCallback: callback?.url ?? null,
    statusCallbackMethod: methodParam(params, 'RecordingStatusCallbackMethod'),
    channels: one(params, 'RecordingChannels') === 'dual' ? 2 : 1,
    statusCallbackEvents: given && callback ? callback.events : ['completed', 'absent'],
    track: track === 'inbound' || track === 'outbound' ? track : 'both',
  };
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
