/**
 * Transcriptions routes (./transcriptions.ts): the account's (`/Transcriptions.json`, fetch,
 * delete) and a recording's (`/Recordings/{RecordingSid}/Transcriptions.json`, fetch, delete),
 * newest first. Transcriptions are made by `<Record transcribe="true">`, never by these routes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../errors';
import { jsonSid, pathOf, queryOf } from '../../http';
import { page2010, readPageRequest, slicePage } from '../../pagination';
import { sendJson, sendNoContent } from '../../reply';
import { renderTranscription, TRANSCRIPTIONS, type TranscriptionRecord } from './transcriptions';
import { RECORDINGS } from './types';

type AccountParams = { AccountSid: string };

function loadTranscription(request: FastifyRequest, sid: string, recordingSid?: string): TranscriptionRecord {
  const t = request.session.collection<TranscriptionRecord>(TRANSCRIPTIONS).get(sid);
  if (!t || (recordingSid !== undefined && t.recordingSid !== recordingSid)) throw notFound(pathOf(request));
  return t;
}

function list(request: FastifyRequest, match: (t: TranscriptionRecord) => boolean): Record<string, unknown> {
  const page = readPageRequest(queryOf(request));
  const all = request.session.collection<TranscriptionRecord>(TRANSCRIPTIONS).list({ newestFirst: true, filter: match });
  return page2010('transcriptions', slicePage(all, page, (t) => t.sid), page, pathOf(request), [], (t) => t.sid, renderTranscription);
}

/** Registers the Transcriptions routes. */
export function transcriptionRoutes(app: FastifyInstance): void {
  const base = '/2010-04-01/Accounts/:AccountSid/Transcriptions';
  const ofRecording = '/2010-04-01/Accounts/:AccountSid/Recordings/:RecordingSid/Transcriptions';
  /** The recording of the path, which must exist (404 otherwise, as for any parent). */
  const recordingOf = (request: FastifyRequest<{ Params: { RecordingSid: string } }>) => {
    if (!request.session.collection(RECORDINGS).has(request.params.RecordingSid)) throw notFound(pathOf(request));
    return request.params.RecordingSid;
  };

  app.get<{ Params: AccountParams }>(`${base}.json`, async (request, reply) => sendJson(reply, 200, list(request, () => true)));
  app.get<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) =>
    sendJson(reply, 200, renderTranscription(loadTranscription(request, jsonSid(request, request.params.file)))),
  );
  app.delete<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const t = loadTranscription(request, jsonSid(request, request.params.file));
    request.session.collection<TranscriptionRecord>(TRANSCRIPTIONS).delete(t.sid);
    return sendNoContent(reply);
  });

  app.get<{ Params: AccountParams & { RecordingSid: string } }>(`${ofRecording}.json`, async (request, reply) => {
    const recordingSid = recordingOf(request);
    return sendJson(reply, 200, list(request, (t) => t.recordingSid === recordingSid));
  });
  app.get<{ Params: AccountParams & { RecordingSid: string; file: string } }>(`${ofRecording}/:file`, async (request, reply) =>
    sendJson(reply, 200, renderTranscription(loadTranscription(request, jsonSid(request, request.params.file), recordingOf(request)))),
  );
  app.delete<{ Params: AccountParams & { RecordingSid: string; file: string } }>(`${ofRecording}/:file`, async (request, reply) => {
    const t = loadTranscription(request, jsonSid(request, request.params.file), recordingOf(request));
    request.session.collection<TranscriptionRecord>(TRANSCRIPTIONS).delete(t.sid);
    return sendNoContent(reply);
  });
}
