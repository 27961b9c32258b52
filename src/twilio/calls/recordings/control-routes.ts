/**
 * Recording control by REST (docs/voice/api/recording; twilio-voice-and-more.md §6): start
 * recording a call in progress (`POST …/Calls/{CallSid}/Recordings.json`, source
 * `StartCallRecordingAPI`), and pause, resume or stop a live recording of a call or of a
 * conference (`POST …/Calls/{CallSid}/Recordings/{Sid}.json`,
 * `POST …/Conferences/{ConferenceSid}/Recordings/{Sid}.json`). `Twilio.CURRENT` names the one live
 * recording of the call or conference.
 *
 * Starting a recording on a call not in progress is 21220 ("Requested resource is not eligible for
 * recording", as live captures word it). A second start while the call's REST recording is live
 * answers that recording again and starts nothing (live test logs: "silent no-op"; UNCONFIRMED
 * that the answer is the live one). `Twilio.CURRENT` with more than one live recording is 16108.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, twilioError } from '../../errors';
import { formOf, jsonSid, pathOf } from '../../http';
import { sendJson } from '../../reply';
import { loadCall } from '../routes';
import { CallEngine, type CallPorts } from '../runner/engine';
import { changeRecording, liveRecordings, startLiveRecording } from '../runner/live-recording';
import { CONFERENCES, type ConferenceRecord } from '../conferences/types';
import { notEligibleForRecording } from './lifecycle';
import { readRecordingStart, readRecordingUpdate } from './params';
import { renderCallRecording, renderConferenceRecording } from './render';
import { RECORDINGS, isLive, type RecordingRecord } from './types';

type AccountParams = { AccountSid: string };

/** The key of "the current live recording" in an update's path. */
const CURRENT = 'Twilio.CURRENT';

/** The recording `sid` names among `own` (a call's or a conference's), `Twilio.CURRENT` its live one. */
function pick(request: FastifyRequest, sid: string, own: (r: RecordingRecord) => boolean): RecordingRecord {
  const recordings = request.session.collection<RecordingRecord>(RECORDINGS);
  if (sid !== CURRENT) {
    const r = recordings.get(sid);
    if (!r || !own(r)) throw notFound(pathOf(request));
    return r;
  }
  const live = [...recordings.list({ filter: (r) => own(r) && isLive(r) })];
  if (live.length === 0) throw notFound(pathOf(request));
  if (live.length > 1) throw twilioError(16108);
  return live[0]!;
}

/** Applies an update form to `recording`; the answer shows `stopped` for a stop (then it is `completed`). */
function update(ports: CallPorts, request: FastifyRequest, recording: RecordingRecord, render: (r: Parameters<typeof renderCallRecording>[0]) => unknown): unknown {
  const event = readRecordingUpdate(formOf(request));
  const session = request.session;
  const next = CallEngine.run(ports, session, (engine) => changeRecording(engine, recording, event, session.clock.now()));
  return event.type === 'stop' ? render({ ...next, status: 'stopped' }) : render(next);
}

/** Registers the recording control routes. */
export function recordingControlRoutes(app: FastifyInstance, ports: CallPorts): void {
  const ofCall = '/2010-04-01/Accounts/:AccountSid/Calls/:CallSid/Recordings';
  const ofConference = '/2010-04-01/Accounts/:AccountSid/Conferences/:ConferenceSid/Recordings';

  app.post<{ Params: AccountParams & { CallSid: string } }>(`${ofCall}.json`, async (request, reply) => {
    const call = loadCall(request, request.params.CallSid);
    const start = readRecordingStart(formOf(request));
    if (call.status !== 'in-progress') throw notEligibleForRecording();
    const session = request.session;
    const recording = CallEngine.run(ports, session, (engine) => {
      const [running] = liveRecordings(engine, (r) => r.callSid === call.sid && r.source === 'StartCallRecordingAPI');
      return running ?? startLiveRecording(engine, { accountSid: call.accountSid, callSid: call.sid, source: 'StartCallRecordingAPI', ...start }, session.clock.now());
    });
    return sendJson(reply, 201, renderCallRecording(recording));
  });

  app.post<{ Params: AccountParams & { CallSid: string; file: string } }>(`${ofCall}/:file`, async (request, reply) => {
    const call = loadCall(request, request.params.CallSid);
    const recording = pick(request, jsonSid(request, request.params.file), (r) => r.callSid === call.sid && r.conferenceSid === null);
    return sendJson(reply, 200, update(ports, request, recording, renderCallRecording));
  });

  app.post<{ Params: AccountParams & { ConferenceSid: string; file: string } }>(`${ofConference}/:file`, async (request, reply) => {
    const conference = request.session.collection<ConferenceRecord>(CONFERENCES).get(request.params.ConferenceSid);
    if (!conference) throw notFound(pathOf(request));
    const recording = pick(request, jsonSid(request, request.params.file), (r) => r.conferenceSid === conference.sid);
    return sendJson(reply, 200, update(ports, request, recording, renderConferenceRecording));
  });
}
