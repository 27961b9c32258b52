/**
 * The one error handler: Twilio's error shape on API routes, mirra's on the control plane, the
 * right HTTP status always, and never a stack trace or a 5xx for bad input.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { MirraError } from '../errors';
import { TwilioError } from '../twilio/errors';
import { pathOf } from '../twilio/http';
import { sendJson } from './reply';

/** True for the control plane (`/_mirra/...`). */
export function isControlPath(url: string): boolean {
  return url === '/_mirra' || url.startsWith('/_mirra/') || url.startsWith('/_mirra?');
}

/** Maps framework errors (body too large, bad content) to the catalogue of the path's API. */
function fromFramework(err: FastifyError, control: boolean): TwilioError | MirraError {
  const status = err.statusCode ?? 500;
  if (control) {
    if (status === 413) return new MirraError('MIRRA_ERR_PAYLOAD_TOO_LARGE');
    if (status >= 400 && status < 500) return new MirraError('MIRRA_ERR_BAD_REQUEST', err.message);
    return new MirraError('MIRRA_ERR_INTERNAL');
  }
  if (status === 413) return new TwilioError(20001, 413, 'Request entity too large');
  if (status >= 400 && status < 500) return new TwilioError(20001, 400, 'Bad request');
  return new TwilioError(20500, 500, 'Internal Server Error');
}

/** Renders any error thrown by a route or hook. */
export function handleError(this: unknown, err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const control = isControlPath(request.url);
  let known: TwilioError | MirraError;
  if (err instanceof TwilioError || err instanceof MirraError) known = err;
  else if (err && typeof err === 'object' && 'statusCode' in err && (err as FastifyError).statusCode! < 500) {
    known = fromFramework(err as FastifyError, control);
  } else {
    request.log.error({ err, path: pathOf(request) }, 'internal error');
    known = fromFramework({ statusCode: 500 } as FastifyError, control);
  }
  if (known instanceof TwilioError) {
    for (const [k, v] of Object.entries(known.headers)) reply.header(k, v);
  }
  return sendJson(reply, known.status, known.toBody());
}
