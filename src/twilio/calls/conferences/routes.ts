/**
 * Conferences API routes, basic (twilio-voice-and-more.md §7): list (`FriendlyName`, `Status`
 * filters), fetch, end (`Status=completed`); a conference's participants: list, fetch by call SID,
 * remove (kick). Conferences are made by `<Dial><Conference>`, never by these routes.
 *
 * LIMITATIONS: no participants are added, muted or held by REST, no announcements, no
 * conference recordings; a participant who left is no longer listed or fetched (404).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, twilioError } from '../../errors';
import { one } from '../../form';
import { formOf, jsonSid, pathOf, queryOf } from '../../http';
import { page2010, readPageRequest, slicePage } from '../../pagination';
import { sendJson, sendNoContent } from '../../reply';
import { endConference, kickParticipant } from '../runner/conference';
import { CallEngine, type CallPorts } from '../runner/engine';
import { renderConference, renderParticipant } from './render';
import { CONFERENCES, PARTICIPANTS, participantKey, type ConferenceRecord, type ParticipantRecord } from './types';

type AccountParams = { AccountSid: string };

function loadConference(request: FastifyRequest, sid: string): ConferenceRecord {
  const c = request.session.collection<ConferenceRecord>(CONFERENCES).get(sid);
  if (!c) throw notFound(pathOf(request));
  return c;
}

function loadParticipant(request: FastifyRequest, conferenceSid: string, callSid: string): ParticipantRecord {
  const p = request.session.collection<ParticipantRecord>(PARTICIPANTS).get(participantKey(conferenceSid, callSid));
  if (!p || p.status !== 'connected') throw notFound(pathOf(request));
  return p;
}

/** Registers the Conferences and Participants routes. */
export function conferenceRoutes(app: FastifyInstance, ports: CallPorts): void {
  const base = '/2010-04-01/Accounts/:AccountSid/Conferences';

  app.get<{ Params: AccountParams }>(`${base}.json`, async (request, reply) => {
    const query = queryOf(request);
    const page = readPageRequest(query);
    const filters: [string, string][] = [];
    const name = one(query, 'FriendlyName');
    const status = one(query, 'Status');
    if (name !== undefined) filters.push(['FriendlyName', name]);
    if (status !== undefined) {
      if (!['init', 'in-progress', 'completed'].includes(status)) throw twilioError(21400, { param: 'Status', value: status });
      filters.push(['Status', status]);
    }
    const all = request.session.collection<ConferenceRecord>(CONFERENCES).list({
      newestFirst: true,
      filter: (c) => (name === undefined || c.friendlyName === name) && (status === undefined || c.status === status),
    });
    return sendJson(reply, 200, page2010('conferences', slicePage(all, page, (c) => c.sid), page, pathOf(request), filters, (c) => c.sid, renderConference));
  });

  app.get<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) =>
    sendJson(reply, 200, renderConference(loadConference(request, jsonSid(request, request.params.file)))),
  );

  app.post<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const conference = loadConference(request, jsonSid(request, request.params.file));
    const status = one(formOf(request), 'Status');
    if (status !== undefined && status !== 'completed') throw twilioError(21400, { param: 'Status', value: status });
    if (status !== 'completed') return sendJson(reply, 200, renderConference(conference));
    const session = request.session;
    const ended = CallEngine.run(ports, session, (engine) => endConference(engine, conference, session.clock.now()));
    return sendJson(reply, 200, renderConference(ended));
  });

  app.get<{ Params: AccountParams & { ConferenceSid: string } }>(`${base}/:ConferenceSid/Participants.json`, async (request, reply) => {
    const conference = loadConference(request, request.params.ConferenceSid);
    const page = readPageRequest(queryOf(request));
    const all = request.session.collection<ParticipantRecord>(PARTICIPANTS).list({ filter: (p) => p.conferenceSid === conference.sid && p.status === 'connected' });
    return sendJson(reply, 200, page2010('participants', slicePage(all, page, (p) => p.callSid), page, pathOf(request), [], (p) => p.callSid, renderParticipant));
  });

  app.get<{ Params: AccountParams & { ConferenceSid: string; file: string } }>(`${base}/:ConferenceSid/Participants/:file`, async (request, reply) => {
    loadConference(request, request.params.ConferenceSid);
    return sendJson(reply, 200, renderParticipant(loadParticipant(request, request.params.ConferenceSid, jsonSid(request, request.params.file))));
  });

  app.delete<{ Params: AccountParams & { ConferenceSid: string; file: string } }>(`${base}/:ConferenceSid/Participants/:file`, async (request, reply) => {
    const conference = loadConference(request, request.params.ConferenceSid);
    const p = loadParticipant(request, conference.sid, jsonSid(request, request.params.file));
    const session = request.session;
    CallEngine.run(ports, session, (engine) => kickParticipant(engine, conference.sid, p.callSid, session.clock.now()));
    return sendNoContent(reply);
  });
}
