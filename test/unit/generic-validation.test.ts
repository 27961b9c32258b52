/**
 * Request validation from the spec: required parameters (form, query, JSON), types and enums
 * answer 400/20001 in Twilio's error shape; valid values are coerced to the property's type.
 */
import { call, memoryScope } from '../helpers/generic';

const ROOMS = 'https://video.twilio.com/v1/Rooms';
const error = (message: string) => ({ status: 400, body: { code: 20001, message, more_info: 'https://www.twilio.com/docs/errors/20001', status: 400 } });

describe('required parameters', () => {
  it('a missing form parameter is 400/20001 "Missing required parameter X in the post body"', () => {
    const { scope } = memoryScope();
    expect(call(scope, 'POST', 'https://taskrouter.twilio.com/v1/Workspaces', { form: {} })).toEqual(error('Missing required parameter FriendlyName in the post body'));
    // Present but empty counts as present (Twilio clears a field that way).
    expect(call(scope, 'POST', 'https://taskrouter.twilio.com/v1/Workspaces', { form: { FriendlyName: '' } }).status).toBe(201);
  });

  it('a missing query parameter names the query string', () => {
    const { scope } = memoryScope();
    expect(call(scope, 'GET', 'https://messaging.twilio.com/v2/Channels/Senders')).toEqual(error('Missing required parameter Channel in the query string'));
    expect(call(scope, 'GET', 'https://messaging.twilio.com/v2/Channels/Senders?Channel=whatsapp').status).toBe(200);
  });

  it('a missing field of a JSON body is 400/20001, and a present one is stored', () => {
    const { scope } = memoryScope();
    expect(call(scope, 'POST', 'https://content.twilio.com/v1/Content', { json: { language: 'en' } })).toEqual(error('Missing required parameter types in the post body'));
    const created = call(scope, 'POST', 'https://content.twilio.com/v1/Content', { json: { language: 'en', types: { 'twilio/text': { body: 'hi' } }, friendly_name: 'greeting' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ language: 'en', friendly_name: 'greeting', types: { 'twilio/text': { body: 'hi' } } });
  });
});

describe('types and enums', () => {
  it.each([
    ['Type', 'bogus'],
    ['MaxParticipants', 'abc'],
    ['MaxParticipants', ''],
    ['EnableTurn', 'yes'],
    ['VideoCodecs', 'AV1'],
  ])('%s=%j is 400/20001 "Invalid parameter"', (param, value) => {
    const { scope } = memoryScope();
    expect(call(scope, 'POST', ROOMS, { form: { [param]: value } })).toEqual(error(`Invalid parameter ${param}: ${value}`));
  });

  it('coerces valid values to the property type; enum values take the spec spelling', () => {
    const { scope } = memoryScope();
    const room = call(scope, 'POST', ROOMS, { form: { Type: 'GO', MaxParticipants: '4', EnableTurn: 'True', 'VideoCodecs[]': ['VP8', 'H264'] } });
    expect(room.status).toBe(201);
    expect(room.body).toMatchObject({ type: 'go', max_participants: 4, enable_turn: true, video_codecs: ['VP8', 'H264'] });
  });

  it('a parameter without an enum that writes an enum property takes that property values', () => {
    const { scope } = memoryScope();
    const svc = call(scope, 'POST', 'https://serverless.twilio.com/v1/Services', { form: { UniqueName: 'a', FriendlyName: 'a' } }).body.sid;
    const builds = `https://serverless.twilio.com/v1/Services/${svc}/Builds`;
    expect(call(scope, 'POST', builds, { form: { Runtime: 'node99' } })).toEqual(error('Invalid parameter Runtime: node99'));
    expect(call(scope, 'POST', builds, { form: { Runtime: 'node22' } }).body.runtime).toBe('node22');
  });

  it('an object property needs JSON text, a date-time a date', () => {
    const { scope } = memoryScope();
    const addOns = 'https://marketplace.twilio.com/v1/InstalledAddOns';
    const addOn = { AvailableAddOnSid: `XB${'0'.repeat(32)}`, AcceptTermsOfService: 'true' };
    expect(call(scope, 'POST', addOns, { form: { ...addOn, Configuration: 'not json' } })).toEqual(error('Invalid parameter Configuration: not json'));
    expect(call(scope, 'POST', addOns, { form: { ...addOn, Configuration: '{"k":"v"}' } }).body.configuration).toEqual({ k: 'v' });
    expect(call(scope, 'POST', 'https://conversations.twilio.com/v1/Conversations', { form: { DateCreated: 'yesterday' } })).toEqual(error('Invalid parameter DateCreated: yesterday'));
    const dated = call(scope, 'POST', 'https://conversations.twilio.com/v1/Conversations', { form: { DateCreated: '2020-01-02T03:04:05Z' } });
    expect(dated.body.date_created).toBe('2020-01-02T03:04:05Z');
  });

  it('validates query filters too, and a page size over 1000 is 20007', () => {
    const { scope } = memoryScope();
    expect(call(scope, 'GET', 'https://conversations.twilio.com/v1/Conversations?State=bogus')).toEqual(error('Invalid parameter State: bogus'));
    expect(call(scope, 'GET', 'https://conversations.twilio.com/v1/Conversations?PageSize=1001').body.code).toBe(20007);
  });

  it('a JSON field of the wrong type is 400/20001', () => {
    const { scope } = memoryScope();
    const answer = call(scope, 'POST', 'https://assistants.twilio.com/v1/Tools', { json: { name: 't', type: 'x', enabled: 'yes' } });
    expect(answer).toEqual(error('Invalid parameter enabled: "yes"'));
  });
});
