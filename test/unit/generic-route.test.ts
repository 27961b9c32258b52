/**
 * findOperation: which spec operation a request is, by Twilio host (edge/region forms included)
 * or, in base-URL mode, by the `/<domain>` path prefix or an unambiguous path.
 */
import { findOperation, routesOf } from '../../src/twilio/generic/engine-api';

const CH = 'CH' + '0'.repeat(32);
const id = (method: string, host: string | undefined, url: string) => findOperation(method, host, url)?.operation.id;

describe('Twilio host names', () => {
  it('take the domain from the host, and the parameters from the path', () => {
    const m = findOperation('GET', 'conversations.twilio.com', `/v1/Conversations/${CH}/Participants`)!;
    expect(m.operation.id).toBe('conversations_v1.ListConversationParticipant');
    expect(m.pathParams).toEqual({ ConversationSid: CH });
    expect(m.prefix).toBe('');
    expect(m.path).toBe(`/v1/Conversations/${CH}/Participants`);
  });

  it('accept the edge/region forms the SDKs build (twilio-api.md §9), any case, with a port', () => {
    expect(id('GET', 'api.dublin.ie1.twilio.com', '/2010-04-01/Accounts/AC1/Queues.json')).toBe('api_v2010.ListQueue');
    expect(id('POST', 'conversations.sydney.au1.twilio.com', '/v1/Conversations')).toBe('conversations_v1.CreateConversation');
    expect(id('GET', 'verify.au1.twilio.com', '/v2/Services')).toBe('verify_v2.ListService');
    expect(id('GET', 'Sync.Twilio.Com:443', '/v1/Services')).toBe('sync_v1.ListService');
    expect(id('GET', 'flex-api.twilio.com', '/v1/Configuration')).toBe('flex_v1.FetchConfiguration');
  });

  it('match nothing on a Twilio host without an API, or a path the host does not serve', () => {
    expect(findOperation('GET', 'www.twilio.com', '/v1/Conversations')).toBeUndefined();
    expect(findOperation('GET', 'sync.twilio.com', '/v1/Conversations')).toBeUndefined();
    expect(findOperation('GET', 'conversations.twilio.com', '/v1/Nope')).toBeUndefined();
  });

  it('match nothing for a method the path does not take', () => {
    expect(findOperation('PUT', 'conversations.twilio.com', '/v1/Conversations')).toBeUndefined();
    expect(findOperation('DELETE', 'conversations.twilio.com', '/v1/Conversations')).toBeUndefined();
  });

  it('prefer a literal segment to a parameter (`/v1/Services/Usecases` is not a Service)', () => {
    expect(id('GET', 'messaging.twilio.com', '/v1/Services/Usecases')).toBe('messaging_v1.FetchUsecase');
    expect(id('GET', 'messaging.twilio.com', '/v1/Services/MG123')).toBe('messaging_v1.FetchService');
  });

  it('percent-decode path parameters, drop the query string, and refuse malformed escapes', () => {
    const m = findOperation('GET', 'lookups.twilio.com', '/v2/PhoneNumbers/%2B15005550006?Fields=caller_name')!;
    expect(m.pathParams).toEqual({ PhoneNumber: '+15005550006' });
    expect(findOperation('GET', 'lookups.twilio.com', '/v2/PhoneNumbers/%E0%A4%A')).toBeUndefined();
  });

  it('keep 2010 paths to their `.json` form', () => {
    expect(id('GET', 'api.twilio.com', '/2010-04-01/Accounts/AC1/Queues/QU1.json')).toBe('api_v2010.FetchQueue');
    expect(findOperation('GET', 'api.twilio.com', '/2010-04-01/Accounts/AC1/Queues/QU1')).toBeUndefined();
  });
});

describe('base-URL mode (the host is the mirror)', () => {
  const HOST = '127.0.0.1:4010';

  it('takes the domain from a `/<domain>` prefix, and reports the prefix', () => {
    const m = findOperation('POST', HOST, '/conversations/v1/Conversations')!;
    expect(m.operation.id).toBe('conversations_v1.CreateConversation');
    expect(m.prefix).toBe('/conversations');
    expect(m.path).toBe('/v1/Conversations');
    expect(id('GET', HOST, '/flex-api/v1/Configuration')).toBe('flex_v1.FetchConfiguration');
    expect(id('GET', HOST, '/chat/v2/Services')).toBe('chat_v2.ListService');
    expect(id('GET', HOST, '/api/2010-04-01/Accounts/AC1/Queues.json')).toBe('api_v2010.ListQueue');
  });

  it('serves 2010 paths and unambiguous roots without a prefix', () => {
    expect(id('GET', HOST, '/2010-04-01/Accounts/AC1/Applications.json')).toBe('api_v2010.ListApplication');
    expect(id('GET', HOST, '/v1/Conversations')).toBe('conversations_v1.ListConversation');
    expect(id('GET', HOST, '/v1/Workspaces')).toBe('taskrouter_v1.ListWorkspace');
    expect(id('GET', HOST, '/v2/Flows')).toBe('studio_v2.ListFlow');
  });

  it('gives ambiguous unprefixed roots the products mirra served first: /v2 Verify, /v1 Messaging, PhoneNumbers Lookups', () => {
    expect(id('GET', HOST, '/v2/Services')).toBe('verify_v2.ListService');
    expect(id('GET', HOST, '/v1/Services')).toBe('messaging_v1.ListService');
    expect(id('GET', HOST, '/v2/PhoneNumbers/+15005550006')).toBe('lookups_v2.FetchPhoneNumber');
    // Several domains, none of them a legacy product: the prefix is required.
    expect(findOperation('GET', HOST, '/v1/Credentials')).toBeUndefined();
    expect(id('GET', HOST, '/notify/v1/Credentials')).toBe('notify_v1.ListCredential');
  });

  it('tries a prefix that is also a path of another domain both ways (preview serves /wireless/Commands)', () => {
    expect(id('GET', HOST, '/wireless/v1/Commands')).toBe('wireless_v1.ListCommand');
    expect(id('GET', HOST, '/wireless/Commands')).toBe('preview.ListWirelessCommand');
    expect(routesOf(HOST, '/wireless/Commands').map((r) => `${r.label}${r.prefix}`)).toEqual(['wireless/wireless', 'preview']);
  });

  it('matches nothing for an unknown prefix or root', () => {
    expect(findOperation('GET', HOST, '/nope/v1/Conversations')).toBeUndefined();
    expect(findOperation('GET', HOST, '/v9/Things')).toBeUndefined();
    expect(findOperation('GET', undefined, '/v1/Conversations')?.operation.id).toBe('conversations_v1.ListConversation');
  });
});
