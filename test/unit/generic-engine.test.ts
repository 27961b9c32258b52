/**
 * The generic engine's behaviour on real domains, in memory: create/fetch/list/update/delete,
 * parent scoping, unique names, singletons, the 2010 API's account scoping, paging, base URLs and
 * overrides.
 */
import { operationById, plantRecord, type GenericHandler, type GenericOverrides } from '../../src/twilio/generic/engine-api';
import { ACCOUNT_SID, call, memoryScope } from '../helpers/generic';
import { expectListEnvelope2010, expectListEnvelopeV1 } from '../helpers/schema';

const CONV = 'https://conversations.twilio.com/v1';
const API = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}`;
const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-f]{32}$`);

describe('Conversations: Conversation and Participant', () => {
  it('creates a record with the schema prefix, path scoping, dates, url and links', () => {
    const { scope } = memoryScope();
    const created = call(scope, 'POST', `${CONV}/Conversations`, { form: { FriendlyName: 'Support', UniqueName: 'support-1', Attributes: '{"a":1}' } });
    expect(created.status).toBe(201);
    const c = created.body;
    expect(c.sid).toMatch(SID('CH'));
    expect(c).toMatchObject({ account_sid: ACCOUNT_SID, friendly_name: 'Support', unique_name: 'support-1', attributes: '{"a":1}' });
    expect(c.date_created).toBe('2026-03-04T05:06:07Z');
    expect(c.url).toBe(`${CONV}/Conversations/${c.sid}`);
    expect(c.links.participants).toBe(`${CONV}/Conversations/${c.sid}/Participants`);
    // Nullable properties nobody set are null; a non-nullable enum starts at its first value.
    expect(c.messaging_service_sid).toBeNull();
    expect(c.state).toBe('initializing');
  });

  it('fetches by SID or unique name, scopes participants to their conversation, and 404s a missing parent', () => {
    const { scope } = memoryScope();
    const c = call(scope, 'POST', `${CONV}/Conversations`, { form: { UniqueName: 'room' } }).body;
    expect(call(scope, 'GET', `${CONV}/Conversations/room`).body.sid).toBe(c.sid);
    const p = call(scope, 'POST', `${CONV}/Conversations/room/Participants`, { form: { Identity: 'alice' } });
    expect(p.status).toBe(201);
    expect(p.body).toMatchObject({ conversation_sid: c.sid, identity: 'alice' });
    expect(p.body.sid).toMatch(SID('MB'));
    expect(p.body.url).toBe(`${CONV}/Conversations/${c.sid}/Participants/${p.body.sid}`);
    const other = call(scope, 'POST', `${CONV}/Conversations`, {}).body;
    expect(call(scope, 'GET', `${CONV}/Conversations/${other.sid}/Participants`).body.participants).toEqual([]);
    expect(call(scope, 'GET', `${CONV}/Conversations/${other.sid}/Participants/${p.body.sid}`).status).toBe(404);
    const missing = call(scope, 'POST', `${CONV}/Conversations/CH${'9'.repeat(32)}/Participants`, { form: { Identity: 'bob' } });
    expect(missing).toEqual({
      status: 404,
      body: {
        code: 20404,
        message: `The requested resource /v1/Conversations/CH${'9'.repeat(32)}/Participants was not found`,
        more_info: 'https://www.twilio.com/docs/errors/20404',
        status: 404,
      },
    });
  });

  it('updates only what the request names, moving date_updated; deletes (204), then 404s', () => {
    const { scope, clock } = memoryScope();
    const c = call(scope, 'POST', `${CONV}/Conversations`, { form: { FriendlyName: 'a', UniqueName: 'u' } }).body;
    clock.now += 60_000;
    const updated = call(scope, 'POST', `${CONV}/Conversations/${c.sid}`, { form: { FriendlyName: 'b', State: 'closed' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ friendly_name: 'b', unique_name: 'u', state: 'closed', date_created: c.date_created, date_updated: '2026-03-04T05:07:07Z' });
    expect(call(scope, 'DELETE', `${CONV}/Conversations/${c.sid}`)).toEqual({ status: 204, body: null });
    expect(call(scope, 'GET', `${CONV}/Conversations/${c.sid}`).status).toBe(404);
    expect(call(scope, 'DELETE', `${CONV}/Conversations/${c.sid}`).status).toBe(404);
    expect(call(scope, 'GET', `${CONV}/Conversations/${c.sid}/Participants`).status).toBe(404);
  });

  it('pages with meta (absolute URLs, PageToken) and filters by a property', () => {
    const { scope } = memoryScope();
    const sids = [0, 1, 2].map((i) => call(scope, 'POST', `${CONV}/Conversations`, { form: { FriendlyName: `c${i}`, State: i === 1 ? 'closed' : 'active' } }).body.sid);
    const first = call(scope, 'GET', `${CONV}/Conversations?PageSize=2`).body;
    expect(expectListEnvelopeV1(first, 'conversations').map((c: any) => c.sid)).toEqual(sids.slice(0, 2));
    expect(first.meta.next_page_url).toBe(`${CONV}/Conversations?PageSize=2&Page=1&PageToken=PA${sids[1]}`);
    const second = call(scope, 'GET', first.meta.next_page_url).body;
    expect(second.conversations.map((c: any) => c.sid)).toEqual([sids[2]]);
    expect(second.meta.next_page_url).toBeNull();
    const active = call(scope, 'GET', `${CONV}/Conversations?State=active`).body;
    expect(active.conversations.map((c: any) => c.sid)).toEqual([sids[0], sids[2]]);
    expect(active.meta.url).toBe(`${CONV}/Conversations?State=active&PageSize=50&Page=0`);
  });

  it('renders url, links and page URLs on the base URL the client used', () => {
    const { scope } = memoryScope();
    const base = 'http://127.0.0.1:4010/conversations';
    const c = call(scope, 'POST', `${base}/v1/Conversations`).body;
    expect(c.url).toBe(`${base}/v1/Conversations/${c.sid}`);
    expect(c.links.messages).toBe(`${base}/v1/Conversations/${c.sid}/Messages`);
    expect(call(scope, 'GET', `${base}/v1/Conversations`).body.meta.first_page_url).toBe(`${base}/v1/Conversations?PageSize=50&Page=0`);
  });
});

describe('other domains', () => {
  it('Sync Document: JSON data, unique name addressing', () => {
    const { scope } = memoryScope();
    const svc = call(scope, 'POST', 'https://sync.twilio.com/v1/Services', { form: { FriendlyName: 's' } }).body;
    const doc = call(scope, 'POST', `https://sync.twilio.com/v1/Services/${svc.sid}/Documents`, { form: { UniqueName: 'settings', Data: '{"theme":"dark"}' } });
    expect(doc.status).toBe(201);
    expect(doc.body).toMatchObject({ service_sid: svc.sid, unique_name: 'settings', data: { theme: 'dark' } });
    expect(doc.body.sid).toMatch(SID('ET'));
    const updated = call(scope, 'POST', `https://sync.twilio.com/v1/Services/${svc.sid}/Documents/settings`, { form: { Data: '{"theme":"light"}' } });
    expect(updated.body.data).toEqual({ theme: 'light' });
    expect(call(scope, 'GET', `https://sync.twilio.com/v1/Services/${svc.sid}/Documents/${doc.body.sid}`).body.data).toEqual({ theme: 'light' });
  });

  it('Sync List and Map items are keyed by index and by their Key', () => {
    const { scope } = memoryScope();
    const sync = 'https://sync.twilio.com/v1/Services';
    const svc = call(scope, 'POST', sync).body.sid;
    const list = call(scope, 'POST', `${sync}/${svc}/Lists`).body.sid;
    expect([0, 1].map(() => call(scope, 'POST', `${sync}/${svc}/Lists/${list}/Items`, { form: { Data: '{}' } }).body.index)).toEqual([0, 1]);
    expect(call(scope, 'GET', `${sync}/${svc}/Lists/${list}/Items/1`).status).toBe(200);
    const map = call(scope, 'POST', `${sync}/${svc}/Maps`).body.sid;
    expect(call(scope, 'POST', `${sync}/${svc}/Maps/${map}/Items`, { form: { Key: 'k1', Data: '{"v":1}' } }).body.key).toBe('k1');
    expect(call(scope, 'GET', `${sync}/${svc}/Maps/${map}/Items/k1`).body.data).toEqual({ v: 1 });
  });

  it('Studio Flow Execution: required parameters, the Context singleton under an execution', () => {
    const { scope } = memoryScope();
    const flow = call(scope, 'POST', 'https://studio.twilio.com/v2/Flows', { form: { FriendlyName: 'f', Status: 'published', Definition: '{"states":[]}' } });
    expect(flow.status).toBe(201);
    expect(flow.body.definition).toEqual({ states: [] });
    const executions = `https://studio.twilio.com/v2/Flows/${flow.body.sid}/Executions`;
    expect(call(scope, 'POST', executions, { form: { From: '+15005550006' } }).body.message).toBe('Missing required parameter To in the post body');
    const ex = call(scope, 'POST', executions, { form: { To: '+15005550001', From: '+15005550006', Parameters: '{"x":1}' } });
    expect(ex.status).toBe(201);
    expect(ex.body.sid).toMatch(SID('FN'));
    const context = call(scope, 'GET', `${executions}/${ex.body.sid}/Context`);
    expect(context.status).toBe(200);
    expect(context.body).toMatchObject({ flow_sid: flow.body.sid, execution_sid: ex.body.sid });
    expect(call(scope, 'GET', `${executions}/FN${'0'.repeat(32)}/Context`).status).toBe(404);
  });

  it('Serverless Service/Asset: a service addressed by unique name, assets under it', () => {
    const { scope } = memoryScope();
    const base = 'https://serverless.twilio.com/v1/Services';
    const svc = call(scope, 'POST', base, { form: { UniqueName: 'my-app', FriendlyName: 'My app' } }).body;
    expect(svc.sid).toMatch(SID('ZS'));
    const asset = call(scope, 'POST', `${base}/my-app/Assets`, { form: { FriendlyName: 'logo' } });
    expect(asset.status).toBe(201);
    expect(asset.body).toMatchObject({ service_sid: svc.sid, friendly_name: 'logo' });
    expect(call(scope, 'GET', `${base}/${svc.sid}/Assets/${asset.body.sid}`).body.sid).toBe(asset.body.sid);
    expect(call(scope, 'GET', `${base}/nope/Assets`).status).toBe(404);
  });

  it('TaskRouter Workspace/Task: create, list filtered by an enum, statistics singleton', () => {
    const { scope } = memoryScope();
    const ws = call(scope, 'POST', 'https://taskrouter.twilio.com/v1/Workspaces', { form: { FriendlyName: 'w' } }).body;
    const tasks = `https://taskrouter.twilio.com/v1/Workspaces/${ws.sid}/Tasks`;
    const task = call(scope, 'POST', tasks, { form: { Attributes: '{"type":"support"}', Priority: '5' } });
    expect(task.status).toBe(201);
    expect(task.body).toMatchObject({ workspace_sid: ws.sid, attributes: '{"type":"support"}', priority: 5 });
    expect(task.body.sid).toMatch(SID('WT'));
    const status = task.body.assignment_status;
    expect(call(scope, 'GET', `${tasks}?AssignmentStatus=${status}`).body.tasks).toHaveLength(1);
    expect(call(scope, 'GET', `${tasks}?AssignmentStatus=${status === 'pending' ? 'completed' : 'pending'}`).body.tasks).toHaveLength(0);
    expect(call(scope, 'GET', `https://taskrouter.twilio.com/v1/Workspaces/${ws.sid}/Statistics`).status).toBe(200);
  });

  it('a computed resource answers for any key (Lookups), within its key type (Forms)', () => {
    const { scope } = memoryScope();
    const lookup = call(scope, 'GET', 'https://lookups.twilio.com/v2/PhoneNumbers/%2B15005550006');
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({ phone_number: '+15005550006', url: 'https://lookups.twilio.com/v2/PhoneNumbers/%2B15005550006' });
    expect(call(scope, 'GET', 'https://verify.twilio.com/v2/Forms/form-push').status).toBe(200);
    expect(call(scope, 'GET', 'https://verify.twilio.com/v2/Forms/nope').status).toBe(404);
  });

  it('a SID-keyed resource nothing creates exists once planted (a Room Participant)', () => {
    const { scope } = memoryScope();
    const room = call(scope, 'POST', 'https://video.twilio.com/v1/Rooms', { form: { UniqueName: 'r' } }).body;
    const fetchOp = operationById('video', 'video_v1.FetchRoomParticipant')!;
    const pa = `PA${'1'.repeat(32)}`;
    expect(call(scope, 'GET', `https://video.twilio.com/v1/Rooms/${room.sid}/Participants/${pa}`).status).toBe(404);
    plantRecord(fetchOp, { RoomSid: room.sid, Sid: pa }, scope, { identity: 'alice' });
    const got = call(scope, 'GET', `https://video.twilio.com/v1/Rooms/${room.sid}/Participants/${pa}`);
    expect(got.body).toMatchObject({ sid: pa, room_sid: room.sid, identity: 'alice' });
    expect(call(scope, 'GET', `https://video.twilio.com/v1/Rooms/${room.sid}/Participants`).body.participants).toHaveLength(1);
  });
});

describe('singletons', () => {
  it('exist from the start with defaults; update changes them; they live under their parent', () => {
    const { scope } = memoryScope();
    const flex = call(scope, 'GET', 'https://flex-api.twilio.com/v1/Configuration');
    expect(flex.status).toBe(200);
    expect(flex.body.account_sid).toBe(ACCOUNT_SID);
    expect(call(scope, 'POST', 'https://flex-api.twilio.com/v1/Configuration', { json: { account_sid: ACCOUNT_SID } }).status).toBe(200);
    const svc = call(scope, 'POST', `${CONV}/Services`, { form: { FriendlyName: 'chat' } }).body;
    const config = `${CONV}/Services/${svc.sid}/Configuration`;
    expect(call(scope, 'GET', config).body.chat_service_sid).toBe(svc.sid);
    expect(call(scope, 'POST', config, { form: { ReachabilityEnabled: 'true' } }).body.reachability_enabled).toBe(true);
    expect(call(scope, 'GET', config).body.reachability_enabled).toBe(true);
    expect(call(scope, 'GET', `${CONV}/Services/IS${'0'.repeat(32)}/Configuration`).status).toBe(404);
  });
});

describe('the 2010 API', () => {
  it('renders RFC 2822 dates, relative .json uris, and the 2010 page envelope', () => {
    const { scope } = memoryScope();
    const q = call(scope, 'POST', `${API}/Queues.json`, { form: { FriendlyName: 'support', MaxSize: '10' } });
    expect(q.status).toBe(201);
    expect(q.body).toMatchObject({ friendly_name: 'support', max_size: 10, account_sid: ACCOUNT_SID, date_created: 'Wed, 04 Mar 2026 05:06:07 +0000' });
    expect(q.body.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Queues/${q.body.sid}.json`);
    call(scope, 'POST', `${API}/Queues.json`, { form: { FriendlyName: 'sales' } });
    const page = call(scope, 'GET', `${API}/Queues.json?PageSize=1`).body;
    expect(expectListEnvelope2010(page, 'queues')).toHaveLength(1);
    expect(page.next_page_uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Queues.json?PageSize=1&Page=1&PageToken=PA${q.body.sid}`);
    const app = call(scope, 'POST', `${API}/Applications.json`, { form: { FriendlyName: 'app', VoiceMethod: 'get' } }).body;
    expect(app.voice_method).toBe('GET');
    expect(call(scope, 'GET', `${API}/Applications.json?FriendlyName=app`).body.applications).toHaveLength(1);
  });

  it('knows the scope own account; another AccountSid is 404 unless it is a subaccount', () => {
    const { scope } = memoryScope();
    const own = call(scope, 'GET', `${API}.json`);
    expect(own.status).toBe(200);
    expect(own.body.sid).toBe(ACCOUNT_SID);
    expect(own.body.subresource_uris.queues).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Queues.json`);
    const stranger = `https://api.twilio.com/2010-04-01/Accounts/AC${'f'.repeat(32)}`;
    expect(call(scope, 'GET', `${stranger}.json`).status).toBe(404);
    expect(call(scope, 'POST', `${stranger}/Queues.json`, { form: { FriendlyName: 'q' } }).status).toBe(404);
    const sub = call(scope, 'POST', 'https://api.twilio.com/2010-04-01/Accounts.json', { form: { FriendlyName: 'sub' } }).body;
    const subQueues = `https://api.twilio.com/2010-04-01/Accounts/${sub.sid}/Queues.json`;
    expect(call(scope, 'POST', subQueues, { form: { FriendlyName: 'q' } }).body.account_sid).toBe(sub.sid);
    expect(call(scope, 'GET', subQueues).body.queues).toHaveLength(1);
    expect(call(scope, 'GET', `${API}/Queues.json`).body.queues).toHaveLength(0);
  });

  it('stores a create answered with its own schema as the fetched resource (a new Key keeps its secret to itself)', () => {
    const { scope } = memoryScope();
    const created = call(scope, 'POST', `${API}/Keys.json`, { form: { FriendlyName: 'ci' } }).body;
    expect(created.sid).toMatch(SID('SK'));
    expect(created).toHaveProperty('secret');
    const fetched = call(scope, 'GET', `${API}/Keys/${created.sid}.json`).body;
    expect(fetched).toMatchObject({ sid: created.sid, friendly_name: 'ci' });
    expect(fetched).not.toHaveProperty('secret');
    expect(call(scope, 'GET', `${API}/Keys.json`).body.keys.map((k: any) => k.sid)).toEqual([created.sid]);
  });
});

describe('overrides', () => {
  it('let a hand-built handler take one operation, with the generic engine as its fallback', () => {
    const { scope } = memoryScope();
    const overrides: GenericOverrides = new Map<string, GenericHandler>([
      ['conversations_v1.CreateConversation', (_op, _req, _scope, fallback) => {
        const answer = fallback();
        return { ...answer, body: { ...(answer.body as object), friendly_name: 'decorated' } };
      }],
      ['conversations_v1.ListConversation', () => ({ status: 200, body: { hand: 'built' } })],
    ]);
    expect(call(scope, 'POST', `${CONV}/Conversations`, { overrides }).body.friendly_name).toBe('decorated');
    expect(call(scope, 'GET', `${CONV}/Conversations`, { overrides }).body).toEqual({ hand: 'built' });
    expect(call(scope, 'GET', `${CONV}/Conversations`).body.conversations).toHaveLength(1);
  });
});
