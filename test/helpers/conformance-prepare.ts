/**
 * What an operation of the SDK conformance run (test/e2e/sdk-conformance.test.ts) needs first that
 * no parameter names: a verification to check, a message that is final, a message's own media, a
 * country whose inventory has mobile numbers, a call that has ended, and the records only the
 * Voice module keeps — a conference made by a call, a recorded conference, a recording, a call's
 * notification, a transcription — which the builder cannot plant (a planted one is the generic
 * engine's, which the hand-built routes do not serve).
 */
import type { BuiltRequest } from './generic-params';

/** The seed's number: the account's own caller ID. */
export const OWNED = '+15555550123';

/** A session's helpers for what an operation needs beyond its prerequisites. */
export interface SessionSteps {
  post(path: string, form: Record<string, string>): Promise<unknown>;
  get(path: string): Promise<unknown>;
  advance(ms: number): Promise<unknown>;
}

/** A request addressing other path keys than the builder chose (`path` rebuilt from them). */
function readdress(req: BuiltRequest, keys: Record<string, string>): void {
  Object.assign(req.pathParams, keys);
  req.path = req.op.path.replace(/\{([^}]+)\}/g, (_m, n: string) => encodeURIComponent(req.pathParams[n] ?? ''));
}

/** A message's own media (the hand-built Messages keep them; nothing can plant one). */
async function ownMedia(s: SessionSteps, req: BuiltRequest): Promise<void> {
  const list = (await s.get(`/api/2010-04-01/Accounts/${req.pathParams.AccountSid}/Messages/${req.pathParams.MessageSid}/Media.json`)) as { media_list: { sid: string }[] };
  readdress(req, { Sid: list.media_list[0]!.sid });
}

/** A call of the session, placed with `twiml` and run for `ms` of session time: its SID. */
async function placeCall(s: SessionSteps, accountSid: string, form: Record<string, string>, ms: number): Promise<string> {
  const call = (await (s.post(`/2010-04-01/Accounts/${accountSid}/Calls.json`, { From: OWNED, To: '+15555550124', ...form }) as Promise<Response>).then((r) => r.json())) as { sid: string };
  await s.advance(ms);
  return call.sid;
}

/**
 * A conference the Voice module keeps, made by a call's `<Dial><Conference>` (not by the API; a
 * planted one would be the generic engine's, which the hand-built routes do not serve): its SID
 * and the call's. `attrs` go on the `<Conference>`.
 */
export async function conferenceOf(s: SessionSteps, account: string, name = 'conformance', attrs = ''): Promise<{ conference: string; callSid: string }> {
  const callSid = await placeCall(s, account, { Twiml: `<Response><Dial><Conference${attrs}>${name}</Conference></Dial></Response>` }, 10_000);
  const list = (await s.get(`/2010-04-01/Accounts/${account}/Conferences.json?FriendlyName=${encodeURIComponent(name)}`)) as { conferences: { sid: string }[] };
  return { conference: list.conferences[0]!.sid, callSid };
}

/** The request addresses a conference the Voice module keeps, and one of its participants. */
async function realConference(s: SessionSteps, req: BuiltRequest): Promise<void> {
  const { conference, callSid } = await conferenceOf(s, req.pathParams.AccountSid!);
  readdress(req, req.op.path.includes('{ConferenceSid}') ? { ConferenceSid: conference, CallSid: callSid } : { Sid: conference });
}

/** The request addresses a recorded conference (two calls in it: it started, and its recording). */
async function realConferenceRecording(s: SessionSteps, req: BuiltRequest): Promise<void> {
  const account = req.pathParams.AccountSid!;
  const { conference } = await conferenceOf(s, account, 'recorded', ' record="record-from-start"');
  await conferenceOf(s, account, 'recorded');
  const list = (await s.get(`/2010-04-01/Accounts/${account}/Conferences/${conference}/Recordings.json`)) as { recordings: { sid: string }[] };
  readdress(req, { ConferenceSid: conference, Sid: list.recordings[0]!.sid });
}

/** A recording the Voice module keeps: a recorded call that has ended. */
async function realRecording(s: SessionSteps, req: BuiltRequest): Promise<void> {
  const account = req.pathParams.AccountSid!;
  const callSid = await placeCall(s, account, { Record: 'true', Twiml: '<Response><Pause length="5"/></Response>' }, 60_000);
  const list = (await s.get(`/2010-04-01/Accounts/${account}/Calls/${callSid}/Recordings.json`)) as { recordings: { sid: string }[] };
  readdress(req, req.op.path.includes('{CallSid}') ? { CallSid: callSid, Sid: list.recordings[0]!.sid } : { Sid: list.recordings[0]!.sid });
}

/** A call's notification the Voice module keeps: a call whose TwiML has a verb Twilio does not know (12200). */
async function realNotification(s: SessionSteps, req: BuiltRequest): Promise<void> {
  const account = req.pathParams.AccountSid!;
  const callSid = await placeCall(s, account, { Twiml: '<Response><Bogus/><Pause length="5"/></Response>' }, 6_000);
  const list = (await s.get(`/2010-04-01/Accounts/${account}/Calls/${callSid}/Notifications.json`)) as { notifications: { sid: string }[] };
  readdress(req, { CallSid: callSid, Sid: list.notifications[0]!.sid });
}

/** A transcription the Voice module keeps: a `<Record transcribe="true">` that ran out of silence. */
async function realTranscription(s: SessionSteps, req: BuiltRequest): Promise<void> {
  const account = req.pathParams.AccountSid!;
  const callSid = await placeCall(s, account, { Twiml: '<Response><Pause length="2"/><Record transcribe="true" timeout="3" maxLength="10"/></Response>' }, 30_000);
  const recordings = (await s.get(`/2010-04-01/Accounts/${account}/Calls/${callSid}/Recordings.json`)) as { recordings: { sid: string }[] };
  const recording = recordings.recordings[0]!.sid;
  const list = (await s.get(`/2010-04-01/Accounts/${account}/Recordings/${recording}/Transcriptions.json`)) as { transcriptions: { sid: string }[] };
  readdress(req, { RecordingSid: recording, Sid: list.transcriptions[0]!.sid });
}

/**
 * What an operation needs first that no parameter names: a verification to check, a message that
 * is final, the SID of a message's own media, a country whose inventory has mobile numbers, a
 * call that has ended, a conference or recording the Voice module made.
 */
export const PREPARE: Record<string, (s: SessionSteps, req: BuiltRequest) => Promise<unknown>> = {
  'verify_v2.CreateVerificationCheck': (s, req) => s.post(`/verify/v2/Services/${req.pathParams.ServiceSid}/Verifications`, { To: '+15005550006', Channel: 'sms' }),
  // Only a message that is final may be deleted (20009): its timeline runs out first.
  'api_v2010.DeleteMessage': (s) => s.advance(10_000),
  'api_v2010.DeleteMedia': async (s, req) => {
    await s.advance(10_000);
    await ownMedia(s, req);
  },
  'api_v2010.FetchMedia': ownMedia,
  'api_v2010.ListAvailablePhoneNumberMobile': async (_s, req) => readdress(req, { CountryCode: 'GB' }),
  // Only an ended call may be deleted (20009): its Pause runs out first.
  'api_v2010.DeleteCall': (s) => s.advance(60_000),
};
for (const id of ['FetchConference', 'UpdateConference', 'ListParticipant', 'FetchParticipant', 'DeleteParticipant', 'CreateParticipant', 'UpdateParticipant']) PREPARE[`api_v2010.${id}`] = realConference;
for (const id of ['FetchRecording', 'DeleteRecording', 'FetchCallRecording', 'DeleteCallRecording']) PREPARE[`api_v2010.${id}`] = realRecording;
for (const id of ['FetchCallNotification', 'FetchNotification']) PREPARE[`api_v2010.${id}`] = realNotification;
for (const id of ['FetchTranscription', 'DeleteTranscription', 'ListRecordingTranscription', 'FetchRecordingTranscription', 'DeleteRecordingTranscription']) PREPARE[`api_v2010.${id}`] = realTranscription;
for (const id of ['ListConferenceRecording', 'FetchConferenceRecording', 'UpdateConferenceRecording', 'DeleteConferenceRecording']) PREPARE[`api_v2010.${id}`] = realConferenceRecording;
