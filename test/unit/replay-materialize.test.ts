/**
 * Materialising (src/cassette/materialize.ts): recorded tokens become the session's account, SIDs
 * minted once and reused (and resolved back from requests), and dates shifted onto its clock.
 */
import { aliasIdentity, materialize, materializePairs, MemoryAliasMap, Timeline, type MaterializeContext } from '../../src/cassette/materialize';
import { recordedMessage } from '../helpers/replay-cassette';

const ACCOUNT = 'AC' + '1'.repeat(32);
const NOW = Date.UTC(2031, 4, 6, 7, 8, 9); // Tue, 06 May 2031 07:08:09

function context(aliases = new MemoryAliasMap(), extra: Partial<MaterializeContext> = {}): MaterializeContext & { minted: string[] } {
  const minted: string[] = [];
  let n = 0;
  return {
    accountSid: ACCOUNT,
    aliases,
    instant: (ms) => NOW + (ms - 5000),
    mint: (prefix) => {
      const sid = prefix + (++n).toString(16).padStart(32, '0');
      minted.push(sid);
      return sid;
    },
    minted,
    ...extra,
  };
}

describe('materialize', () => {
  it('writes the session account, mints each alias once, and reuses it everywhere', () => {
    const ctx = context();
    const body = materialize(recordedMessage('{SM#1}', {}, 5000), ctx);
    expect(ctx.minted).toEqual(['SM' + '1'.padStart(32, '0')]);
    const sid = ctx.minted[0];
    expect(body).toMatchObject({ sid, account_sid: ACCOUNT, uri: `/2010-04-01/Accounts/${ACCOUNT}/Messages/${sid}.json` });
    expect((body.subresource_uris as Record<string, string>).media).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages/${sid}/Media.json`);
    const again = materialize({ sid: '{SM#1}', other: '{SM#2}' }, ctx);
    expect(again.sid).toBe(sid);
    expect(again.other).not.toBe(sid);
    expect(ctx.minted).toHaveLength(2);
  });

  it('shifts dates so the recorded request instant is the session clock now', () => {
    const ctx = context();
    // Recorded at +5000 ms; a date 1000 ms later in the recording is 1 s after now here.
    const out = materialize({ a: '{date:rfc2822:+5000}', b: '{date:iso:+6000}', c: '{date:isoms:+6250}', d: '{date:rfc2822:-1000}' }, ctx);
    expect(out).toEqual({
      a: 'Tue, 06 May 2031 07:08:09 +0000',
      b: '2031-05-06T07:08:10Z',
      c: '2031-05-06T07:08:10.250Z',
      d: 'Tue, 06 May 2031 07:08:03 +0000',
    });
  });

  it('maps one recorded instant to one session instant in every response (a timeline of served entries)', () => {
    const timeline = new Timeline();
    timeline.pin(100, NOW); // the create, recorded at +100, served now
    timeline.pin(1500, NOW + 9000); // a fetch recorded at +1500, served 9 s later (a slower run)
    const at = (ms: number) => timeline.instant(ms, [0, 0]);
    expect(at(100)).toBe(NOW); // the create's date_created, read in the later fetch: unchanged
    expect(at(1100)).toBe(NOW + 1000); // after the create, before the fetch: keeps its distance from the create
    expect(at(1600)).toBe(NOW + 9100);
    expect(at(-86_400_000)).toBe(NOW - 86_400_100); // before anything served: through the first pin
    expect(new Timeline().instant(7000, [5000, NOW])).toBe(NOW + 2000);
  });

  it('resolves the alias of a resource the session already has, from the recorded object', () => {
    const owned = 'PN' + 'e'.repeat(32);
    const ctx = context(new MemoryAliasMap(), {
      resolve: (_alias, prefix, recorded) => (prefix === 'PN' && recorded.phone_number === '+15555550123' ? owned : undefined),
    });
    const out = materialize({ incoming_phone_numbers: [{ sid: '{PN#1}', phone_number: '+15555550123' }, { sid: '{PN#2}', phone_number: '+15555550999' }] }, ctx);
    expect(out.incoming_phone_numbers[0].sid).toBe(owned);
    expect(out.incoming_phone_numbers[1].sid).toBe(ctx.minted[0]);
    expect(ctx.aliases.aliasOf(owned)).toBe('{PN#1}');
  });

  it('points Twilio absolute URLs at the mirror for base-URL clients', () => {
    const ctx = context(new MemoryAliasMap(), { origin: 'http://127.0.0.1:4010' });
    const out = materialize(
      { url: 'https://verify.twilio.com/v2/Services/{VA#1}', meta: { next_page_url: 'https://api.twilio.com/x?Page=1' }, other: 'https://example.com/twilio.com', more_info: 'https://www.twilio.com/docs/errors/21211' },
      ctx,
    );
    expect(out.url).toBe(`http://127.0.0.1:4010/v2/Services/${ctx.minted[0]}`);
    expect(out.meta.next_page_url).toBe('http://127.0.0.1:4010/x?Page=1');
    expect(out.other).toBe('https://example.com/twilio.com');
    expect(out.more_info).toBe('https://www.twilio.com/docs/errors/21211');
  });

  it('materialises callback params, keeping repeated keys', () => {
    const ctx = context(new MemoryAliasMap([['{SM#1}', 'SM' + 'f'.repeat(32)]]));
    const params = materializePairs([['AccountSid', '{AccountSid}'], ['MediaUrl', 'a'], ['MediaUrl', 'b'], ['MessageSid', '{SM#1}']], ctx);
    expect(params).toEqual({ AccountSid: ACCOUNT, MediaUrl: ['a', 'b'], MessageSid: 'SM' + 'f'.repeat(32) });
  });
});

describe('aliasIdentity', () => {
  it('writes an incoming request in the cassette terms: the account placeholder and bound aliases', () => {
    const sm = 'SM' + 'a'.repeat(32);
    const unknown = 'MG' + 'b'.repeat(32);
    const aliases = new MemoryAliasMap([['{SM#1}', sm]]);
    const out = aliasIdentity(
      { method: 'GET', product: 'api', path: `/2010-04-01/Accounts/${ACCOUNT}/Messages/${sm}.json`, query: [['Ref', sm]], form: [['MessagingServiceSid', unknown]] },
      ACCOUNT,
      aliases,
    );
    expect(out.path).toBe('/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json');
    expect(out.query).toEqual([['Ref', '{SM#1}']]);
    expect(out.form).toEqual([['MessagingServiceSid', unknown]]); // unknown SIDs stay for matching to bind
  });
});
