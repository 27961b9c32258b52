/**
 * The one error handler: the API's error shape on API routes, mirra's on the control plane, the
 * right HTTP status always, and never a stack trace or a 5xx for bad input.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiSurface } from '../core/api-surface';
import { isControlPath } from '../core/control-path';
import { MirraError } from '../errors';

/** mirra's error for a framework error (body too large, unreadable) on the control plane. */
function controlError(status: number, message: string): MirraError {
  if (status === 413) return new MirraError('MIRRA_ERR_PAYLOAD_TOO_LARGE');
  if (status >= 400 && status < 500) return new MirraError('MIRRA_ERR_BAD_REQUEST', message);
  return new MirraError('MIRRA_ERR_INTERNAL');
}

/** The status of a framework error a client caused (a 4xx), or undefined. */
function clientStatus(err: unknown): number | undefined {
  const status = err && typeof err === 'object' && 'statusCode' in err ? (err as FastifyError).statusCode : undefined;
  return status !== undefined && status < 500 ? status : undefined;
}

/** The error handler of a mirror serving `surface`. */
export function errorHandler(surface: ApiSurface) {
  return function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const status = clientStatus(err);
    if (status === undefined && !(err instanceof MirraError) && !surface.errorAnswer(err)) request.log.error({ err, path: request.url }, 'internal error');
    // mirra's own errors keep mirra's shape wherever they arise (a strict replay's miss answers an API path).
    if (err instanceof MirraError || isControlPath(request.url)) {
      const known = err instanceof MirraError ? err : controlError(status ?? 500, (err as Error)?.message ?? '');
      return surface.sendJson(reply, known.status, known.toBody());
    }
    const answer = surface.errorAnswer(err) ?? surface.frameworkAnswer(status ?? 500);
    for (const [k, v] of Object.entries(answer.headers)) reply.header(k, v);
    return surface.sendJson(reply, answer.status, answer.body);
  };
}
