/**
 * Recordings API routes (twilio-voice-and-more.md §6): the account's recordings (list with
 * `CallSid`, `ConferenceSid`, `DateCreated` filters; fetch; delete), a call's
 * (`/Calls/{CallSid}/Recordings`: its own, not the recordings of conferences it took part in) and a
 * conference's (`/Conferences/{ConferenceSid}/Recordings`). Starting, pausing, resuming and stopping
 * are ./control-routes.ts. Deleting a live recording drops it without a callback (UNCONFIRMED).
 *
 * LIMITATIONS: no media is served (`media_url` answers 404).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, twilioError } from '../../errors';
import { one, type Params } from '../../form';
import { jsonSid, pathOf, queryOf } from '../../http';
import { page2010, readPageRequest, slicePage } from '../../pagination';
import { sendJson, sendNoContent } from '../../reply';
import { parseDateFilter } from '../../wire';
import { CONFERENCES, type ConferenceRecord } from '../conferences/types';
import { CALLS, type CallRecord } from '../types';
import { renderCallRecording, renderConferenceRecording, renderRecording } from './render';
import { RECORDINGS, type RecordingRecord } from './types';

type AccountParams = { AccountSid: string };

function readFilters(query: Params): { filters: [string, string][]; match: (r: RecordingRecord) => boolean } {
  const filters: [string, string][] = [];
  const tests: ((r: RecordingRecord) => boolean)[] = [];
  const sec = (ms: number) => Math.floor(ms / 1000);
  for (const key of Object.keys(query)) {
    const value = one(query, key);
    if (value === undefined) continue;
    if (key === 'CallSid') tests.push((r) => r.callSid === value);
    else if (key === 'ConferenceSid') tests.push((r) => r.conferenceSid === value);
    else if (/^DateCreated[<>]?$/.test(key)) {
      const range = parseDateFilter(value);
      if (!range) throw twilioError(21400, { param: key, value });
      if (key.endsWith('<')) tests.push((r) => sec(r.dateCreated) <= sec(range.end));
      else if (key.endsWith('>')) tests.push((r) => sec(r.dateCreated) >= sec(range.start));
      else tests.push((r) => Math.floor(r.dateCreated / 86_400_000) === Math.floor(range.start / 86_400_000));
    } else continue;
    filters.push([key, value]);
  }
  return { filters, match: (r) => tests.every((t) => t(r)) };
}

/** The recording `sid`, if `own` (a call's or a conference's, else any of the account's), or 404. */
function loadRecording(request: FastifyRequest, sid: string, own: (r: RecordingRecord) => boolean = () => true): RecordingRecord {
  const r = request.session.collection<RecordingRecord>(RECORDINGS).get(sid);
  if (!r || !own(r)) throw notFound(pathOf(request));
  return r;
}

/** A call's own recordings (not those of conferences it was in). */
const ofCallSid = (callSid: string) => (r: RecordingRecord) => r.callSid === callSid && r.conferenceSid === null;

function loadConference(request: FastifyRequest, sid: string): ConferenceRecord {
  const c = request.session.collection<ConferenceRecord>(CONFERENCES).get(sid);
  if (!c) throw notFound(pathOf(request));
  return c;
}

function loadCall(request: FastifyRequest, sid: string): CallRecord {
  const call = request.session.collection<CallRecord>(CALLS).get(sid);
  if (!call || call.verificationSid) throw notFound(pathOf(request));
  return call;
}

/** Registers the Recordings routes. */
export function recordingRoutes(app: FastifyInstance): void {
  const base = '/2010-04-01/Accounts/:AccountSid/Recordings';
  const ofCall = '/2010-04-01/Accounts/:AccountSid/Calls/:CallSid/Recordings';
  const ofConference = '/2010-04-01/Accounts/:AccountSid/Conferences/:ConferenceSid/Recordings';

  app.get<{ Params: AccountParams }>(`${base}.json`, async (request, reply) => {
    const query = queryOf(request);
    const page = readPageRequest(query);
    const { filters, match } = readFilters(query);
    const all = request.session.collection<RecordingRecord>(RECORDINGS).list({ newestFirst: true, filter: match });
    return sendJson(reply, 200, page2010('recordings', slicePage(all, page, (r) => r.sid), page, pathOf(request), filters, (r) => r.sid, renderRecording));
  });

  app.get<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) =>
    sendJson(reply, 200, renderRecording(loadRecording(request, jsonSid(request, request.params.file)))),
  );

  app.delete<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const r = loadRecording(request, jsonSid(request, request.params.file));
    request.session.collection<RecordingRecord>(RECORDINGS).delete(r.sid);
    return sendNoContent(reply);
  });

  app.get<{ Params: AccountParams & { CallSid: string } }>(`${ofCall}.json`, async (request, reply) => {
    const call = loadCall(request, request.params.CallSid);
    const query = queryOf(request);
    const page = readPageRequest(query);
    const { filters, match } = readFilters(query);
    const all = request.session.collection<RecordingRecord>(RECORDINGS).list({ newestFirst: true, filter: (r) => ofCallSid(call.sid)(r) && match(r) });
    return sendJson(reply, 200, page2010('recordings', slicePage(all, page, (r) => r.sid), page, pathOf(request), filters, (r) => r.sid, renderCallRecording));
  });

  app.get<{ Params: AccountParams & { CallSid: string; file: string } }>(`${ofCall}/:file`, async (request, reply) => {
    loadCall(request, request.params.CallSid);
    return sendJson(reply, 200, renderCallRecording(loadRecording(request, jsonSid(request, request.params.file), ofCallSid(request.params.CallSid))));
  });

  app.delete<{ Params: AccountParams & { CallSid: string; file: string } }>(`${ofCall}/:file`, async (request, reply) => {
    loadCall(request, request.params.CallSid);
    const r = loadRecording(request, jsonSid(request, request.params.file), ofCallSid(request.params.CallSid));
    request.session.collection<RecordingRecord>(RECORDINGS).delete(r.sid);
    return sendNoContent(reply);
  });

  app.get<{ Params: AccountParams & { ConferenceSid: string } }>(`${ofConference}.json`, async (request, reply) => {
    const conference = loadConference(request, request.params.ConferenceSid);
    const query = queryOf(request);
    const page = readPageRequest(query);
    const { filters, match } = readFilters(query);
    const all = request.session.collection<RecordingRecord>(RECORDINGS).list({ newestFirst: true, filter: (r) => r.conferenceSid === conference.sid && match(r) });
    return sendJson(reply, 200, page2010('recordings', slicePage(all, page, (r) => r.sid), page, pathOf(request), filters, (r) => r.sid, renderConferenceRecording));
  });

  app.get<{ Params: AccountParams & { ConferenceSid: string; file: string } }>(`${ofConference}/:file`, async (request, reply) => {
    const conference = loadConference(request, request.params.ConferenceSid);
    return sendJson(reply, 200, renderConferenceRecording(loadRecording(request, jsonSid(request, request.params.file), (r) => r.conferenceSid === conference.sid)));
  });

  app.delete<{ Params: AccountParams & { ConferenceSid: string; file: string } }>(`${ofConference}/:file`, async (request, reply) => {
    const conference = loadConference(request, request.params.ConferenceSid);
    const r = loadRecording(request, jsonSid(request, request.params.file), (rec) => rec.conferenceSid === conference.sid);
    request.session.collection<RecordingRecord>(RECORDINGS).delete(r.sid);
    return sendNoContent(reply);
  });
}
