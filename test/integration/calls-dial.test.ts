/**
 * `<Dial>` on a frozen clock: child call legs with their own SIDs, direction and callbacks, the
 * Dial's action with DialCallStatus/DialCallSid/DialCallDuration, busy and sequential legs,
 * answerOnBridge, recording the bridge, an invalid callerId (13214), the caller hanging up on
 * ringing legs; `<Dial><Conference>` with the Conferences and Participants API; `<Enqueue>` and
 * `<Dial><Queue>`.
 */
import { expectAllFields, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';

const MAIN = '+15555550123';
const CALLER = '+15557770000';
const AGENT = '+15553330000';
const BUSY_AGENT = '+15553339999';

describe('<Dial>', () => {
  let tm: TestMirror;
  let app: TwimlApp;
  const simulate = (event: string, body: Record<string, unknown>) => tm.control('POST', '/_mirra/simulate', { event, ...body });
  const view = async (sid: string) => (await tm.control('GET', `/_mirra/calls?sid=${sid}`)).body.calls[0];
  const inbound = async (path: string) => {
    await tm.client().incomingPhoneNumbers(numberSid).update({ voiceUrl: `${app.url}${path}` });
    return (await simulate('call.inbound', { from: CALLER, to: MAIN })).body.call.sid as string;
  };
  let numberSid = '';

  beforeAll(async () => {
    app = await startTwimlApp();
    tm = await startTestMirror({
      seed: {
        name: 'voice-dial',
        clock: { frozen: true },
        numbers: [{ phoneNumber: MAIN }],
        calls: { outcomes: [{ to: BUSY_AGENT, status: 'busy' }], dial: { talkMs: 20_000 } },
      },
    });
    numberSid = (await tm.client().incomingPhoneNumbers.list())[0].sid;
    app.route('/dial-status', { status: 204 });
    app.route('/after-dial', (p) => `<Response><Say>Dial ended ${p.DialCallStatus}.</Say></Response>`);
  });
  afterAll(async () => {
    await app.close();
    await tm.close();
  });

  it('forwards an inbound call: a child leg with its own SID and callbacks, then the action with DialCallStatus', async () => {
    app.route('/forward', `<Response><Dial action="/after-dial" timeout="20"><Number statusCallback="/dial-status" statusCallbackEvent="initiated ringing answered completed">${AGENT}</Number></Dial></Response>`);
    const parent = await inbound('/forward');
    await tm.advance(30_000); // the leg rings 1 s, answers 4 s later, talks 20 s
    const [leg] = await tm.client().calls.list({ parentCallSid: parent });
    expectMatchesSchema('call', (await tm.api('GET', leg.uri)).body);
    expectAllFields('call', (await tm.api('GET', leg.uri)).body);
    expect(leg).toMatchObject({ direction: 'outbound-dial', parentCallSid: parent, to: AGENT, from: CALLER, status: 'completed', duration: '25' });
    const legCallbacks = app.at('/dial-status').filter((r) => r.params.CallSid === leg.sid);
    expect(legCallbacks.map((r) => r.params.CallStatus)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    for (const r of legCallbacks) expect(r.params).toMatchObject({ ParentCallSid: parent, Direction: 'outbound-dial' });
    const [action] = app.at('/after-dial').filter((r) => r.params.CallSid === parent);
    expect(action.params).toMatchObject({ DialCallStatus: 'completed', DialCallSid: leg.sid, DialCallDuration: '25', DialBridged: 'true', CallStatus: 'in-progress' });
    const call = await view(parent);
    expect(call.transcript.map((t: any) => t.summary)).toEqual(expect.arrayContaining([`dialled ${AGENT}`, 'dial ended completed after 25s', 'said "Dial ended completed."']));
    expect(call.status).toBe('completed');
  });

  it('reports a busy leg as DialCallStatus=busy, and rings sequential legs one after another', async () => {
    app.route('/busy', `<Response><Dial action="/after-dial">${BUSY_AGENT}</Dial></Response>`);
    const a = await inbound('/busy');
    await tm.advance(5_000);
    expect(app.at('/after-dial').find((r) => r.params.CallSid === a)!.params).toMatchObject({ DialCallStatus: 'busy', DialBridged: 'false' });

    app.route('/seq', `<Response><Dial sequential="true" action="/after-dial"><Number>${BUSY_AGENT}</Number><Number>${AGENT}</Number></Dial></Response>`);
    const b = await inbound('/seq');
    await tm.advance(40_000);
    const legs = await tm.client().calls.list({ parentCallSid: b });
    expect(legs.map((l) => [l.to, l.status]).reverse()).toEqual([[BUSY_AGENT, 'busy'], [AGENT, 'completed']]);
    // The second leg rang only once the first was busy.
    expect(legs[0].startTime!.getTime()).toBeGreaterThanOrEqual(legs[1].endTime!.getTime());
    expect(app.at('/after-dial').find((r) => r.params.CallSid === b)!.params.DialCallStatus).toBe('completed');
  });

  it('answerOnBridge keeps the caller ringing until a leg answers; record makes a DialVerb recording', async () => {
    app.route('/bridge', `<Response><Dial answerOnBridge="true" record="record-from-answer-dual" action="/after-dial">${AGENT}</Dial></Response>`);
    const sid = await inbound('/bridge');
    await tm.advance(3_000);
    expect((await tm.client().calls(sid).fetch()).status).toBe('ringing');
    await tm.advance(5_000);
    expect((await tm.client().calls(sid).fetch()).status).toBe('in-progress');
    await tm.advance(30_000);
    const action = app.at('/after-dial').find((r) => r.params.CallSid === sid)!;
    expect(action.params).toMatchObject({ DialCallStatus: 'completed', RecordingDuration: '20' });
    const rec = await tm.client().recordings(action.params.RecordingSid as string).fetch();
    expect(rec).toMatchObject({ callSid: sid, source: 'DialVerb', channels: 2, duration: '20' });
  });

  it('refuses a callerId the account does not own (13214) and cancels ringing legs when the caller hangs up', async () => {
    app.route('/spoof', `<Response><Dial callerId="+15550000001" action="/after-dial">${AGENT}</Dial></Response>`);
    const spoof = await inbound('/spoof');
    await tm.advance(1_000);
    expect((await view(spoof)).alerts.map((a: any) => a.code)).toEqual([13214]);
    expect(app.at('/after-dial').find((r) => r.params.CallSid === spoof)!.params.DialCallStatus).toBe('failed');

    app.route('/ring', `<Response><Dial>${AGENT}</Dial></Response>`);
    const gone = await inbound('/ring');
    await tm.advance(2_000);
    await simulate('call.hangup', { callSid: gone });
    const [leg] = await tm.client().calls.list({ parentCallSid: gone });
    expect(leg.status).toBe('canceled');
    expect((await tm.client().calls(gone).fetch()).status).toBe('completed');
  });

  it('ends the bridge on * with hangupOnStar, and a REST redirect during a Dial requests its action first', async () => {
    app.route('/star', `<Response><Dial hangupOnStar="true" action="/after-dial">${AGENT}</Dial></Response>`);
    const star = await inbound('/star');
    await tm.advance(6_000); // the leg answered at 5 s
    await simulate('call.digits', { callSid: star, digits: '*' });
    await tm.advance(5_000);
    const [leg] = await tm.client().calls.list({ parentCallSid: star });
    expect(leg).toMatchObject({ status: 'completed', duration: '6' });
    expect(app.at('/after-dial').find((r) => r.params.CallSid === star)!.params).toMatchObject({ DialCallStatus: 'completed', DialCallSid: leg.sid });

    app.route('/hold', `<Response><Dial action="/after-dial">${AGENT}</Dial></Response>`);
    const held = await inbound('/hold');
    await tm.advance(6_000);
    await tm.client().calls(held).update({ twiml: '<Response><Say>Moved.</Say></Response>' });
    await tm.advance(5_000);
    const [heldLeg] = await tm.client().calls.list({ parentCallSid: held });
    expect(heldLeg.status).toBe('completed');
    expect(app.at('/after-dial').find((r) => r.params.CallSid === held)!.params.DialCallStatus).toBe('completed');
    expect((await view(held)).said).toEqual(['Moved.']);
  });

  it('joins <Dial><Conference>: the conference starts with two, ends by REST, and each call goes on', async () => {
    app.route('/room', '<Response><Dial action="/after-dial"><Conference statusCallback="/conf-status" statusCallbackEvent="start end join leave">standup</Conference></Dial></Response>');
    app.route('/conf-status', { status: 204 });
    const a = await inbound('/room');
    await tm.advance(1_000);
    const [conf] = await tm.client().conferences.list({ friendlyName: 'standup' });
    expect(conf.status).toBe('init');
    const b = await inbound('/room');
    await tm.advance(1_000);
    const live = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Conferences/${conf.sid}.json`);
    expectMatchesSchema('conference', live.body);
    expect(live.body.status).toBe('in-progress');
    const participants = await tm.client().conferences(conf.sid).participants.list();
    expect(participants.map((p) => p.callSid).sort()).toEqual([a, b].sort());
    expectMatchesSchema('conferenceParticipant', (await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Conferences/${conf.sid}/Participants/${a}.json`)).body);
    await tm.client().conferences(conf.sid).update({ status: 'completed' });
    await tm.advance(5_000);
    expect((await tm.client().conferences(conf.sid).fetch())).toMatchObject({ status: 'completed', reasonConferenceEnded: 'conference-ended-via-api' });
    for (const sid of [a, b]) {
      const action = app.at('/after-dial').find((r) => r.params.CallSid === sid)!;
      expect(action.params.DialCallStatus).toBe('answered');
      expect(action.params.DialCallSid).toBeUndefined();
    }
    const events = app.at('/conf-status').map((r) => r.params.StatusCallbackEvent);
    expect(events).toEqual(['participant-join', 'participant-join', 'conference-start', 'conference-end']);
  });

  it('bridges <Dial><Queue> with the caller waiting in <Enqueue>; the caller goes on after the agent hangs up', async () => {
    app.route('/wait', '<Response><Enqueue action="/dequeued">support</Enqueue></Response>');
    app.route('/dequeued', (p) => `<Response><Say>Queue result ${p.QueueResult}.</Say></Response>`);
    const caller = await inbound('/wait');
    await tm.advance(10_000);
    app.route('/agent', '<Response><Dial action="/after-dial"><Queue>support</Queue></Dial></Response>');
    const agent = await tm.client().calls.create({ to: AGENT, from: MAIN, url: `${app.url}/agent` });
    await tm.advance(6_000);
    await simulate('call.hangup', { callSid: agent.sid });
    await tm.advance(5_000);
    const result = app.at('/dequeued').find((r) => r.params.CallSid === caller)!;
    expect(result.params).toMatchObject({ QueueResult: 'bridged', QueueTime: '15' });
    expect((await view(caller)).said).toEqual(['Queue result bridged.']);
  });
});
