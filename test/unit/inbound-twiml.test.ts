/**
 * The pure parts of inbound handling: the strict XML parser (saxes underneath), the Messaging
 * TwiML interpreter and the default opt-out keywords. Each malformed document must be an XmlError
 * (→ Twilio's 12100), never an exception of another kind.
 */
import { keywordOf } from '../../src/twilio/inbound/keywords';
import { interpretTwiml } from '../../src/twilio/inbound/twiml';
import { readTwimlDocument } from '../../src/twilio/twiml/document';
import { isElement, MAX_TWIML_BYTES, ownText, parseXml, textContent, XmlError } from '../../src/twilio/twiml/xml';

describe('parseXml', () => {
  it('parses declarations, comments, PIs, CDATA, attributes and entities', () => {
    const root = parseXml(
      '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- hi --><?app x?>\n<Response a="1" b=\'two &amp; &#x41;\'>' +
        'x &lt; y<![CDATA[<raw & text>]]>&#233;<Child/><!-- c --><Other  k = "v" ></Other></Response>\n<!-- tail -->\n',
    );
    expect(root.name).toBe('Response');
    expect(root.attrs).toEqual({ a: '1', b: 'two & A' });
    expect(ownText(root)).toBe('x < y<raw & text>é');
    expect(root.children.filter(isElement).map((c) => [c.name, c.attrs])).toEqual([['Child', {}], ['Other', { k: 'v' }]]);
  });

  const malformed: [string, RegExp][] = [
    ['', /root element/],
    ['hello', /outside of root/],
    [' <?xml version="1.0"?><Response/>', /must be at the start/],
    ['<?xml encoding="x"?><Response/>', /version/],
    ['<?xml version="2.0"?><Response/>', /version number/],
    ['<Response>', /unclosed tag/],
    ['<Response></response>', /<\/response> does not match <Response>/],
    ['<Response><Message></Response></Message>', /<\/Response> does not match <Message>/],
    ['</Response>', /unmatched closing tag/],
    ['<Response a=1/>', /unquoted/],
    ['<Response a="1" a="2"/>', /duplicate attribute/],
    ['<Response a="<"/>', /disallowed character/],
    ['<Response>AT&T</Response>', /./],
    ['<Response>&nbsp;</Response>', /undefined entity/],
    ['<Response>&#0;</Response>', /character entity/],
    ['<Response/><Response/>', /only one root/],
    ['<!DOCTYPE r [<!ENTITY x "y">]><Response>&x;</Response>', /DOCTYPE/],
    ['<!DOCTYPE x><Response/>', /DOCTYPE/],
    ['<Response><!-- a -- b --></Response>', /comment/],
    ['<Response><![CDATA[x</Response>', /unclosed/],
    ['<Response>]]></Response>', /"\]\]>"/],
    ['<Response a="1"b="2"/>', /whitespace/],
    ['<1Response/>', /tag name/],
    [`<Response>${'<a>'.repeat(40)}${'</a>'.repeat(40)}</Response>`, /deeper than 32/],
  ];
  it.each(malformed)('rejects %j', (doc, reason) => {
    let err: unknown;
    try {
      parseXml(doc);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(XmlError);
    expect((err as XmlError).message).toMatch(reason);
  });

  it('reports the line and column of the problem', () => {
    try {
      parseXml('<Response>\n  <Message>\n  </Response>');
      throw new Error('parsed');
    } catch (e) {
      expect(e).toMatchObject({ line: 3, column: 3 });
    }
  });

  it('keeps namespaces off: a prefixed name is just a name', () => {
    expect(parseXml('<a:Response xmlns:a="urn:x"/>')).toEqual({ name: 'a:Response', attrs: { 'xmlns:a': 'urn:x' }, children: [] });
  });

  it('collects text through nested markup (SSML inside <Say>)', () => {
    const say = parseXml('<Say>Hello <emphasis>there</emphasis>, <break time="1s"/>friend</Say>');
    expect(ownText(say)).toBe('Hello , friend');
    expect(textContent(say)).toBe('Hello there, friend');
  });

  it('refuses documents over 64 kB as too large (11750), not as malformed', () => {
    const big = `<Response><Say>${'x'.repeat(MAX_TWIML_BYTES)}</Say></Response>`;
    expect(() => parseXml(big)).toThrow(expect.objectContaining({ kind: 'too-large' }));
    expect(readTwimlDocument(big)).toEqual({ ok: false, issue: { code: 11750, message: expect.stringContaining('TwiML response body too large') } });
    expect(() => parseXml('<Response/>', { maxBytes: 5 })).toThrow(XmlError);
  });
});

describe('readTwimlDocument', () => {
  it('maps each way a document cannot run to its code (§9)', () => {
    expect(readTwimlDocument('<Response><Say>').ok).toBe(false);
    expect(readTwimlDocument('<Response><Say>')).toMatchObject({ issue: { code: 12100, message: /^Document parse failure: / } });
    expect(readTwimlDocument('<Reply/>')).toMatchObject({ issue: { code: 12102, message: /^The root element must be Response: .*<Reply>/ } });
    expect(readTwimlDocument('<Response version="3.0"/>')).toMatchObject({ issue: { code: 12101 } });
    expect(readTwimlDocument('<Response version="2010-04-01"><Say>hi</Say></Response>')).toMatchObject({ ok: true, root: { name: 'Response' } });
  });
});

describe('interpretTwiml', () => {
  it('turns <Message> (text, <Body>, <Media>, attributes) and <Sms> into message actions', () => {
    const plan = interpretTwiml(
      '<Response><Message to="+14155550100" from="+15555550123" statusCallback="/status">' +
        '<Body>Hi</Body><Media>https://e.com/a.png</Media><Media> /b.gif </Media></Message>' +
        '<Message>\n  plain  \n</Message><Sms action="/done">legacy</Sms></Response>',
    );
    expect(plan.issues).toEqual([]);
    expect(plan.actions).toEqual([
      { verb: 'Message', to: '+14155550100', from: '+15555550123', body: 'Hi', mediaUrls: ['https://e.com/a.png', '/b.gif'], statusCallback: '/status' },
      { verb: 'Message', to: null, from: null, body: 'plain', mediaUrls: [], statusCallback: null },
      { verb: 'Message', to: null, from: null, body: 'legacy', mediaUrls: [], statusCallback: '/done' },
    ]);
  });

  it('stops at <Redirect>, which hands control to another document', () => {
    const plan = interpretTwiml('<Response><Message>a</Message><Redirect method="get">/next</Redirect><Message>b</Message></Response>');
    expect(plan.actions.map((a) => a.verb)).toEqual(['Message', 'Redirect']);
    expect(plan.actions[1]).toEqual({ verb: 'Redirect', url: '/next', method: 'GET' });
  });

  it('accepts an empty <Response/>', () => {
    expect(interpretTwiml('<Response/>')).toEqual({ actions: [], issues: [] });
  });

  it('reports Twilio’s codes for what it cannot use, and keeps what it can', () => {
    expect(interpretTwiml('<Response><Message>').issues.map((i) => i.code)).toEqual([12100]);
    expect(interpretTwiml('<Reply><Message>x</Message></Reply>')).toEqual({ actions: [], issues: [{ code: 12102, message: expect.stringContaining('not <Response>') }] });
    const plan = interpretTwiml(
      '<Response>stray<Say>hi</Say><Message foo="1" method="PUT"><Bogus/>ok</Message><Message></Message><Redirect/>' +
        `<Message>${'<Media>https://e.com/x</Media>'.repeat(11)}</Message></Response>`,
    );
    expect(plan.issues.map((i) => i.code)).toEqual([12200, 14110, 12200, 14104, 12200, 14103, 12200, 12200]);
    expect(plan.actions).toHaveLength(2);
    expect(plan.actions[0]).toMatchObject({ body: 'ok' });
    expect((plan.actions[1] as { mediaUrls: string[] }).mediaUrls).toHaveLength(10);
  });
});

describe('keywordOf', () => {
  it.each([
    ['STOP', 'opt-out'], ['stop', 'opt-out'], [' Stop \n', 'opt-out'], ['STOPALL', 'opt-out'], ['unsubscribe', 'opt-out'],
    ['CANCEL', 'opt-out'], ['END', 'opt-out'], ['QUIT', 'opt-out'], ['REVOKE', 'opt-out'], ['OPTOUT', 'opt-out'],
    ['START', 'opt-in'], ['yes', 'opt-in'], ['UNSTOP', 'opt-in'], ['HELP', 'help'], ['info', 'help'],
    ['STOP please', null], ['please stop', null], ['STOP!', null], ['', null], ['stopp', null],
  ])('%j is %s', (body, kind) => {
    expect(keywordOf(body)).toBe(kind);
  });
});
