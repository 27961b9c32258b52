/**
 * The pure parts of inbound handling: the strict XML parser, the Messaging TwiML interpreter and
 * the default opt-out keywords. Each malformed document must be an XmlError (→ Twilio's 12100),
 * never an exception of another kind.
 */
import { keywordOf } from '../../src/twilio/inbound/keywords';
import { interpretTwiml } from '../../src/twilio/inbound/twiml';
import { isElement, ownText, parseXml, XmlError } from '../../src/twilio/inbound/xml';

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
    ['', /document is empty/],
    ['hello', /before the root element/],
    [' <?xml version="1.0"?><Response/>', /only allowed at the very start/],
    ['<?xml encoding="x"?><Response/>', /needs a version/],
    ['<Response>', /not closed/],
    ['<Response></response>', /does not match/],
    ['<Response><Message></Response></Message>', /does not match <Message>/],
    ['<Response a=1/>', /must be quoted/],
    ['<Response a="1" a="2"/>', /appears twice/],
    ['<Response a="<"/>', /not allowed in the value/],
    ['<Response>AT&T</Response>', /entity reference/],
    ['<Response>&nbsp;</Response>', /undefined entity/],
    ['<Response>&#0;</Response>', /undefined entity/],
    ['<Response/><Response/>', /after the root element/],
    ['<!DOCTYPE r [<!ENTITY x "y">]><Response/>', /DOCTYPE/],
    ['<Response><!-- a -- b --></Response>', /"--"/],
    ['<Response><![CDATA[x</Response>', /unterminated CDATA/],
    ['<Response>]]></Response>', /"\]\]>"/],
    ['<Response a="1"b="2"/>', /expected whitespace/],
    ['<1Response/>', /expected a name/],
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
    expect(interpretTwiml('<Reply><Message>x</Message></Reply>')).toEqual({ actions: [], issues: [{ code: 12100, message: expect.stringContaining('not <Response>') }] });
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
