/**
 * Conferences API routes (twilio-voice-and-more.md §7): list (`FriendlyName`, `Status`
 * filters), fetch, end (`Status=completed`); a conference's participants: list, fetch, update
 * (mute, hold, coach, end on exit) and remove (kick) by call SID or label, and add by REST (a call
 * placed to `To` that joins when answered). A participant may be added to a conference named by
 * SID (a completed one is 16022) or by friendly name (docs: the conference is made when no live
 * one has that name).
 *
 * LIMITATIONS: no announcements (`AnnounceUrl`), hold music (`HoldUrl`) or wait music; a
 * participant who left is no longer listed or fetched (404).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, twilioError } from '../../errors';
import { one } from '../../form';
import { formOf, jsonSid, pathOf, queryOf } from '../../http';
import { page2010, readPageRequest, slicePage } from '../../pagination';
import { sendJson, sendNoContent } from '../../reply';
import { findOwnedNumber } from '../../numbers/types';
import { liveConference, updateParticipant } from './model';
import { conferenceRecordingCallback, readParticipantCreate, readParticipantUpdate } from './participant-params';
import { endConference, applyConferenceChange, kickParticipant } from '../runner/conference';
import { CallEngine, type CallPorts } from '../runner/engine';
import { addParticipant, dropInvitedParticipant } from '../runner/participant';
import { callSettings } from '../runner/settings';
import { renderConference, renderParticipant } from './render';
import { CONFERENCES, PARTICIPANTS, isPresent, participantKey, type ConferenceRecord, type ParticipantRecord } from './types';

type AccountParams = { AccountSid: string };

function loadConference(request: FastifyRequest, sid: string): ConferenceRecord {
  const c = request.session.collection<ConferenceRecord>(CONFERENCES).get(sid);
  if (!c) throw notFound(pathOf(request));
  return c;
}

/** The served participants of a conference (joining or in it). */
function presentIn(request: FastifyRequest, conferenceSid: string): ParticipantRecord[] {
  return [...request.session.collection<ParticipantRecord>(PARTICIPANTS).list({ filter: (p) => p.conferenceSid === conferenceSid && isPresent(p) })];
}

/** A served participant by call SID or, per the spec's `CallSid` path parameter, by label. */
function loadParticipant(request: FastifyRequest, conferenceSid: string, key: string): ParticipantRecord {
  const bySid = request.session.collection<ParticipantRecord>(PARTICIPANTS).get(participantKey(conferenceSid, key));
  const p = bySid && isPresent(bySid) ? bySid : presentIn(request, conferenceSid).find((q) => q.label === key);
  if (!p) throw notFound(pathOf(request));
  return p;
}

/** `CallSidToCoach` must name a participant in the conference (16028). */
function checkCoached(request: FastifyRequest, conferenceSid: string, callSid: string | null | undefined): void {
  if (!callSid) return;
  const p = request.session.collection<ParticipantRecord>(PARTICIPANTS).get(participantKey(conferenceSid, callSid));
  if (!p || p.status !== 'connected') throw twilioError(16028);
}

/** Registers the Conferences and Participants routes. */
export function conferenceRoutes(app: FastifyInstance, ports: CallPorts): void {
  const base = '/2010-04-01/Accounts/:AccountSid/Conferences';
  const participants = `${base}/:ConferenceSid/Participants`;

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

  app.get<{ Params: AccountParams & { ConferenceSid: string } }>(`${participants}.json`, async (request, reply) => {
    const conference = loadConference(request, request.params.ConferenceSid);
    const page = readPageRequest(queryOf(request));
    const all = presentIn(request, conference.sid);
    return sendJson(reply, 200, page2010('participants', slicePage(all, page, (p) => p.callSid), page, pathOf(request), [], (p) => p.callSid, (p) => renderParticipant(p)));
  });

  app.post<{ Params: AccountParams & { ConferenceSid: string } }>(`${participants}.json`, async (request, reply) => {
    const session = request.session;
    const key = request.params.ConferenceSid;
    // A SID names a conference (16022 once it is over); anything else is a friendly name: its live
    // conference, or a new one.
    const bySid = /^CF[0-9a-f]{32}$/.test(key);
    const conference = bySid ? loadConference(request, key) : liveConference(session, key);
    if (conference?.status === 'completed') throw twilioError(16022);
    const settings = callSettings(session);
    const form = formOf(request);
    const input = readParticipantCreate(form, { ownsCallerId: (from) => !!findOwnedNumber(session, from) || settings.verifiedCallerIds.includes(from) });
    if (conference) {
      if (input.join.label && presentIn(request, conference.sid).some((p) => p.label === input.join.label)) throw twilioError(16026);
      checkCoached(request, conference.sid, input.join.callSidToCoach);
    } else if (input.join.callSidToCoach) throw twilioError(16028);
    const recordingCallback = conferenceRecordingCallback(form);
    const added = CallEngine.run(ports, session, (engine) => addParticipant(engine, { name: key, conference }, input, recordingCallback, session.clock.now()));
    return sendJson(reply, 201, renderParticipant(added.participant, true));
  });

  app.get<{ Params: AccountParams & { ConferenceSid: string; file: string } }>(`${participants}/:file`, async (request, reply) => {
    loadConference(request, request.params.ConferenceSid);
    return sendJson(reply, 200, renderParticipant(loadParticipant(request, request.params.ConferenceSid, jsonSid(request, request.params.file))));
  });

  app.post<{ Params: AccountParams & { ConferenceSid: string; file: string } }>(`${participants}/:file`, async (request, reply) => {
    const conference = loadConference(request, request.params.ConferenceSid);
    const p = loadParticipant(request, conference.sid, jsonSid(request, request.params.file));
    const changes = readParticipantUpdate(formOf(request));
    const coaching = changes.coaching ?? (changes.callSidToCoach ? true : p.coaching ?? false);
    const toCoach = changes.callSidToCoach !== undefined ? changes.callSidToCoach : p.callSidToCoach;
    // "If `true`, `call_sid_to_coach` must be defined" (spec `UpdateParticipant`).
    if (coaching && !toCoach) throw twilioError(21400, { param: 'CallSidToCoach', value: '' });
    if (changes.callSidToCoach) checkCoached(request, conference.sid, changes.callSidToCoach);
    const session = request.session;
    const next = CallEngine.run(ports, session, (engine) => {
      const change = updateParticipant(session, conference, p, changes, session.clock.now());
      applyConferenceChange(engine, change, session.clock.now());
      return change.participant;
    });
    return sendJson(reply, 200, renderParticipant(next));
  });

  app.delete<{ Params: AccountParams & { ConferenceSid: string; file: string } }>(`${participants}/:file`, async (request, reply) => {
    const conference = loadConference(request, request.params.ConferenceSid);
    const p = loadParticipant(request, conference.sid, jsonSid(request, request.params.file));
    const session = request.session;
    CallEngine.run(ports, session, (engine) => {
      if (p.status === 'connected') kickParticipant(engine, conference.sid, p.callSid, session.clock.now());
      else dropInvitedParticipant(engine, p, session.clock.now());
    });
    return sendNoContent(reply);
  });
}
