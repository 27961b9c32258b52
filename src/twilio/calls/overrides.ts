/**
 * The generic engine's operations on a call that the Voice module checks first (loaded with the
 * engine, on its first request): the real-time operations — Media Streams, SIPREC, `<Pay>`-style
 * Payments, real-time Transcriptions, user-defined messages and their subscriptions — act on a call
 * in progress, so on any other call of the session they answer 21220 (errors/21220: "You attempted
 * a realtime operation on a Call that was not in-progress"; the message is the catalogue's title,
 * UNCONFIRMED as these operations word it). On a call in progress the engine answers as for any
 * operation it serves: the record is kept, nothing streams, records or pays.
 */
import { twilioError } from '../errors';
import type { GenericHandler } from '../generic/engine-api';
import { CALLS, type CallRecord } from './types';

/** Refuses the operation unless the call of its path is in progress; then the engine answers. */
const onLiveCall: GenericHandler = (_op, request, scope, fallback) => {
  const call = scope.session?.collection<CallRecord>(CALLS).get(request.pathParams.CallSid ?? '');
  if (call && call.status !== 'in-progress') throw twilioError(21220, {}, { message: 'Invalid call state' });
  return fallback();
};

const LIVE_CALL_OPERATIONS = ['CreateStream', 'CreateSiprec', 'CreatePayments', 'CreateRealtimeTranscription', 'CreateUserDefinedMessage', 'CreateUserDefinedMessageSubscription'];

/** The Voice module's overrides, by operation id. */
export const CALL_OVERRIDES: Record<string, GenericHandler> = Object.fromEntries(LIVE_CALL_OPERATIONS.map((id) => [`api_v2010.${id}`, onLiveCall]));
