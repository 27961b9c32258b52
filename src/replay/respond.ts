/**
 * Answering with a served cassette entry (replay, and record-time playback): the recorded status,
 * headers and body — JSON in the API's bytes and content type (as the emulator's own answers),
 * text as recorded. A recorded upstream fault was materialised by the cassette server into the
 * answer the recorder gave the app then (src/cassette/faults.ts).
 */
import type { FastifyReply } from 'fastify';
import type { ServedEntry } from '../cassette/serve';
import type { ApiSurface } from '../core/api-surface';

/** Headers never copied from a recording (the transport sets them for this response). */
const TRANSPORT = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection', 'date', 'keep-alive']);

/** Sends a served entry's answer. */
export function sendServed(surface: Pick<ApiSurface, 'sendJson' | 'sendEmpty'>, reply: FastifyReply, served: Pick<ServedEntry, 'status' | 'headers' | 'body'>): FastifyReply {
  let recordedType: string | undefined;
  for (const [k, v] of Object.entries(served.headers ?? {})) {
    if (k.toLowerCase() === 'content-type') recordedType = v;
    else if (!TRANSPORT.has(k.toLowerCase())) reply.header(k, v);
  }
  const { body, status } = served;
  if (body === undefined || body === null || body === '' || status === 204) {
    return recordedType ? reply.code(status).header('content-type', recordedType).send() : surface.sendEmpty(reply, status);
  }
  if (typeof body === 'string') return reply.code(status).header('content-type', recordedType ?? 'text/plain').send(Buffer.from(body, 'utf8'));
  return surface.sendJson(reply, status, body);
}
