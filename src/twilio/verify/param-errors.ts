/**
 * Verify's answers for bad parameters and unknown verifications, built from its table.
 */
import type { FastifyRequest } from 'fastify';
import { notFound, twilioError, type TwilioError } from '../errors';
import { pathOf } from '../http';

/** 60200 for a parameter with a bad value: "Invalid parameter `To`: +1abc". */
export function invalidParam(param: string, value: string): TwilioError {
  return twilioError(60200, { param, value });
}

/** 60200 for a missing parameter, in the catalogue's wording: "Invalid parameter: To". */
export function missingParam(param: string): TwilioError {
  return twilioError(60200, { param }, { message: 'Invalid parameter: {param}' });
}

/**
 * Verify's 404: "The requested resource /Services/VA…/VerificationCheck was not found". Real
 * Verify messages name the path without the `/v2` prefix (2019–2022 captures).
 */
export function verifyNotFound(request: FastifyRequest): TwilioError {
  return notFound(pathOf(request).replace(/^\/v2(?=\/)/, ''));
}
