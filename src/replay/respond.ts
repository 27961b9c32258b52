/**
 * Answering with a recorded interaction: the recorded status, headers and body (JSON in Twilio's
 * bytes, text as recorded). A recorded upstream fault (no response) is answered exactly as the
 * recorder answered the app at the time (src/cassette/faults.ts: 502 for a reset connection, 504
 * for a timeout, with a Twilio-shaped body), so the app sees what it saw while recording.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RecordedResponse } from '../cassette/types';
import { jsonContentType, twilioHeaders } from '../server/reply';
import { twilioJson } from '../twilio/wire';

/** Headers never copied from a recording (the transport sets them for this response). */
const TRANSPORT = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection', 'date', 'keep-alive']);

/** Sends a recorded response whose body is already materialised. */
export function sendRecorded(request: FastifyRequest, reply: FastifyReply, response: RecordedResponse, body: unknown): FastifyReply {
  // Twilio's headers, for answers given outside the API plugin (routes the emulator lacks); inside
  // it, the plugin's onSend hook adds them.
  if (request.is404) reply.headers(twilioHeaders(request, 0, 1));
  let recordedType: string | undefined;
  for (const [k, v] of Object.entries(response.headers ?? {})) {
    if (k.toLowerCase() === 'content-type') recordedType = v;
    else if (!TRANSPORT.has(k.toLowerCase())) reply.header(k, v);
  }
  reply.code(response.status);
  if (body === undefined || body === null || body === '' || response.status === 204) {
    return reply.header('content-type', recordedType ?? jsonContentType(request)).send();
  }
  if (typeof body === 'string') return reply.header('content-type', recordedType ?? 'text/plain').send(Buffer.from(body, 'utf8'));
  // JSON follows this client's Accept-Charset, as the emulator's own answers do.
  return reply.header('content-type', jsonContentType(request)).send(Buffer.from(twilioJson(body), 'utf8'));
}
