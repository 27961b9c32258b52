/**
 * How an upstream failure without a response is answered to the app, when recording and when
 * replaying the recorded `fault`: the way a gateway in front of Twilio would — 502 for a connection
 * that broke, 504 for one that timed out — with a Twilio-shaped JSON body (code 20500, Twilio's
 * "Internal Server Error"), so the SDK raises its usual RestException with that status.
 */
import type { Interaction } from './types';

/** The answer to an upstream fault. */
export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: { code: number; message: string; more_info: string; status: number };
}

/** The answer the app gets for `fault`. */
export function faultAnswer(fault: NonNullable<Interaction['fault']>): FaultAnswer {
  const status = fault === 'timeout' ? 504 : 502;
  const what = fault === 'timeout' ? 'did not answer in time' : 'closed the connection without answering';
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: { code: 20500, message: `Upstream Twilio ${what}`, more_info: 'https://www.twilio.com/docs/errors/20500', status },
  };
}
