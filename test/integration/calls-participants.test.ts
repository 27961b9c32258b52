/**
 * Conference participants by REST through the real twilio SDK on a frozen clock: adding one
 * (`conferences(sid).participants.create`) dials a real call that joins the conference when
 * answered (listed `queued`, `ringing`, then `connected`), by conference SID or friendly name;
 * muting, holding and coaching it (with the conference's `participant-mute`/`-hold`/`-modify`
 * callbacks); removing it by label; its call hanging up when it leaves; Twilio's errors (16022,
 * 16024, 16026, 16028, 21210); and the conference's recording (`record="record-from-start"`,
 * `ConferenceRecord`) listed, paused and stopped under the conference.
 */
import { expectAllFields, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';

const MAIN = '+15555550123';
const CALLER = '+15557770000';
const AGENT = '+15553330000';
const BUSY = '+15553339999';

describe('Conference participants by REST', () => {
  let tm: TestMirror;
  let app: TwimlApp;
  let numberSid = '';
  let room = 0;
  const conferences = () => tm.client().conferences;
  /** An inbound caller waiting in conference `name` (joins at once, the conference stays `init`). */
  const caller = async (name: string, attrs = '') => {
    app.route(`/room-${name}`, `<Response><Dial><Conference statusCallback="/conf-status" statusCallbackEvent="start end join leave mute hold modify"${attrs}>${name}</Conference></Dial></Response>`);
    await tm.client().incomingPhoneNumbers(numberSid).update({ voiceUrl: `${app.url}/room-${name}` });
    const sid = (await tm.control('POST', '/_mirra/simulate', { event: 'call.inbound', from: CALLER, to: MAIN })).body.call.sid as string;
    await tm.advance(1_000);
    const [conf] = await conferences().list({ friendlyName: name, status: 'init' });
    return { callSid: sid, conferenceSid: conf.sid };
  };
  const events = (conferenceSid: string) => app.at('/conf-status').filter((r) => r.params.ConferenceSid === conferenceSid).map((r) => [r.params.StatusCallbackEvent, r.params.CallSid ?? '']);

  beforeAll(async () => {
    app = await startTwimlApp();
    tm = await startTestMirror({
      seed: { name: 'voice-participants', clock: { frozen: true }, numbers: [{ phoneNumber: MAIN }], calls: { outcomes: [{ to: BUSY, status: 'busy' }] } },
    });
    numberSid = (await tm.client().incomingPhoneNumbers.list())[0].sid;
    for (const path of ['/conf-status', '/agent-status', '/rec-status']) app.route(path, { status: 204 });
  });
  afterAll(async () => {
    await app.close();
    await tm.close();
  });

  it('dials a participant that joins when answered: queued, ringing, connected; the conference starts; its own call callbacks', async () => {
    const name = `room-${room++}`;
    const { callSid, conferenceSid } = await caller(name);
    const added = await conferences()(conferenceSid).participants.create({
      from: MAIN, to: AGENT, label: 'agent', statusCallback: `${app.url}/agent-status`, statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    expect(added).toMatchObject({ conferenceSid, label: 'agent', status: 'queued', muted: false, hold: false, coaching: false, startConferenceOnEnter: true, queueTime: '0' });
    const raw = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Conferences/${conferenceSid}/Participants/${added.callSid}.json`);
    expectMatchesSchema('conferenceParticipant', raw.body);
    expectAllFields('conferenceParticipant', raw.body);
    // The participant's call is a real call of the account.
    expect(await tm.client().calls(added.callSid).fetch()).toMatchObject({ to: AGENT, from: MAIN, direction: 'outbound-api', status: 'queued' });

    await tm.advance(1_000);
    expect((await conferences()(conferenceSid).participants(added.callSid).fetch()).status).toBe('ringing');
    expect((await conferences()(conferenceSid).fetch()).status).toBe('init');
    await tm.advance(4_000);
    const listed = await conferences()(conferenceSid).participants.list();
    expect(listed.map((p) => [p.callSid, p.status]).sort()).toEqual([[callSid, 'connected'], [added.callSid, 'connected']].sort());
    expect((await conferences()(conferenceSid).fetch()).status).toBe('in-progress');
    expect(events(conferenceSid)).toEqual([['participant-join', callSid], ['participant-join', added.callSid], ['conference-start', '']]);
    expect(app.at('/agent-status').filter((r) => r.params.CallSid === added.callSid).map((r) => r.params.CallStatus)).toEqual(['initiated', 'ringing', 'in-progress']);
    // Fetched by its label too.
    expect((await conferences()(conferenceSid).participants('agent').fetch()).callSid).toBe(added.callSid);
  });

  it('mutes, holds and coaches a participant: the record changes and the subscribed conference callbacks go out', async () => {
    const name = `room-${room++}`;
    const { callSid, conferenceSid } = await caller(name);
    const agent = await conferences()(conferenceSid).participants.create({ from: MAIN, to: AGENT });
    await tm.advance(5_000);
    const muted = await conferences()(conferenceSid).participants(agent.callSid).update({ muted: true });
    expect(muted).toMatchObject({ muted: true, hold: false });
    const held = await conferences()(conferenceSid).participants(agent.callSid).update({ hold: true, holdUrl: 'https://example.com/hold.mp3' });
    expect(held).toMatchObject({ muted: true, hold: true });
    await conferences()(conferenceSid).participants(agent.callSid).update({ muted: false, hold: false });
    const coach = await conferences()(conferenceSid).participants(agent.callSid).update({ coaching: true, callSidToCoach: callSid });
    expect(coach).toMatchObject({ coaching: true, callSidToCoach: callSid });
    expect((await conferences()(conferenceSid).participants(agent.callSid).fetch())).toMatchObject({ muted: false, hold: false, coaching: true, callSidToCoach: callSid });
    await tm.advance(0); // the callbacks are delivered
    const after = events(conferenceSid).slice(3);
    expect(after).toEqual([
      ['participant-mute', agent.callSid], ['participant-hold', agent.callSid], ['participant-unmute', agent.callSid], ['participant-unhold', agent.callSid], ['participant-modify', agent.callSid],
    ]);
    const modify = app.at('/conf-status').find((r) => r.params.StatusCallbackEvent === 'participant-modify' && r.params.ConferenceSid === conferenceSid)!;
    expect(modify.params).toMatchObject({ Coaching: 'true', CallSidToCoach: callSid, Muted: 'false', Hold: 'false' });
    await expect(conferences()(conferenceSid).participants(agent.callSid).update({ coaching: true, callSidToCoach: `CA${'0'.repeat(32)}` })).rejects.toMatchObject({ status: 400, code: 16028 });
  });

  it('creates the conference from a friendly name; a removed participant’s call hangs up; the last one leaving ends it', async () => {
    const name = `by-name ${room++}`;
    const first = await conferences()(name).participants.create({ from: MAIN, to: AGENT, label: 'first', conferenceStatusCallback: `${app.url}/conf-status`, conferenceStatusCallbackEvent: ['start', 'end', 'join', 'leave'] });
    const [conf] = await conferences().list({ friendlyName: name });
    expect(conf).toMatchObject({ sid: first.conferenceSid, status: 'init' });
    const second = await conferences()(name).participants.create({ from: MAIN, to: '+15553330001', label: 'second' });
    expect(second.conferenceSid).toBe(first.conferenceSid);
    await expect(conferences()(name).participants.create({ from: MAIN, to: '+15553330002', label: 'first' })).rejects.toMatchObject({ status: 400, code: 16026 });
    await tm.advance(5_000);
    expect((await conferences()(conf.sid).fetch()).status).toBe('in-progress');
    await conferences()(conf.sid).participants('second').remove();
    await tm.advance(1_000);
    expect(await tm.client().calls(second.callSid).fetch()).toMatchObject({ status: 'completed' });
    expect((await conferences()(conf.sid).participants.list()).map((p) => p.label)).toEqual(['first']);
    // The remaining participant's callee hangs up: the conference ends with it.
    await tm.control('POST', '/_mirra/simulate', { event: 'call.hangup', callSid: first.callSid });
    expect(await conferences()(conf.sid).fetch()).toMatchObject({ status: 'completed', reasonConferenceEnded: 'last-participant-left', callSidEndingConference: first.callSid });
    expect(events(conf.sid).map(([e]) => e)).toEqual(['participant-join', 'participant-join', 'conference-start', 'participant-leave', 'participant-leave', 'conference-end']);
    await expect(conferences()(conf.sid).participants.create({ from: MAIN, to: AGENT })).rejects.toMatchObject({ status: 400, code: 16022 });
  });

  it('a participant whose call is not answered fails and is not served; refuses bad labels and callers', async () => {
    const name = `room-${room++}`;
    const { conferenceSid } = await caller(name);
    const busy = await conferences()(conferenceSid).participants.create({ from: MAIN, to: BUSY });
    await tm.advance(3_000);
    expect((await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Conferences/${conferenceSid}/Participants/${busy.callSid}.json`)).status).toBe(404);
    expect((await tm.client().calls(busy.callSid).fetch()).status).toBe('busy');
    expect((await conferences()(conferenceSid).participants.list()).length).toBe(1);
    await expect(conferences()(conferenceSid).participants.create({ from: MAIN, to: AGENT, label: 'a/b' })).rejects.toMatchObject({ status: 400, code: 16024 });
    await expect(conferences()(conferenceSid).participants.create({ from: '+15551112222', to: AGENT })).rejects.toMatchObject({ status: 400, code: 21210 });
    const unknown = await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/Conferences/CF${'0'.repeat(32)}/Participants.json`, { From: MAIN, To: AGENT });
    expect(unknown.body).toMatchObject({ status: 404, code: 20404 });
  });

  it('records a conference from its start: listed under the conference with its callbacks; paused and stopped by REST', async () => {
    const name = `room-${room++}`;
    const { callSid, conferenceSid } = await caller(name, ` record="record-from-start" recordingStatusCallback="/rec-status" recordingStatusCallbackEvent="in-progress completed"`);
    expect(await conferences()(conferenceSid).recordings.list()).toEqual([]);
    await conferences()(conferenceSid).participants.create({ from: MAIN, to: AGENT });
    await tm.advance(5_000); // the agent answers: the conference starts, and its recording
    const [rec] = await conferences()(conferenceSid).recordings.list();
    expect(rec).toMatchObject({ conferenceSid, callSid, status: 'in-progress', source: 'Conference', channels: 1, duration: null });
    expectMatchesSchema('conferenceRecording', (await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Conferences/${conferenceSid}/Recordings/${rec.sid}.json`)).body);
    expect((await tm.client().recordings.list({ conferenceSid })).map((r) => r.sid)).toEqual([rec.sid]);
    // Not one of the caller's own call recordings.
    expect(await tm.client().calls(callSid).recordings.list()).toEqual([]);
    await tm.advance(10_000);
    expect((await conferences()(conferenceSid).recordings('Twilio.CURRENT').update({ status: 'paused', pauseBehavior: 'skip' })).status).toBe('paused');
    await tm.advance(10_000);
    await conferences()(conferenceSid).recordings(rec.sid).update({ status: 'in-progress' });
    await tm.advance(5_000);
    await conferences()(conferenceSid).update({ status: 'completed' });
    await tm.advance(0);
    const done = await conferences()(conferenceSid).recordings(rec.sid).fetch();
    expect(done).toMatchObject({ status: 'completed', duration: '15', price: '-0.00250', priceUnit: 'USD' });
    const callbacks = app.at('/rec-status').filter((r) => r.params.RecordingSid === rec.sid);
    expect(callbacks.map((r) => [r.params.RecordingStatus, r.params.ConferenceSid, r.params.RecordingSource])).toEqual([['in-progress', conferenceSid, 'Conference'], ['completed', conferenceSid, 'Conference']]);
    await conferences()(conferenceSid).recordings(rec.sid).remove();
    expect(await conferences()(conferenceSid).recordings.list()).toEqual([]);
  });
});
