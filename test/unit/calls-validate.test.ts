/**
 * Validating a Calls create (§1.1, §1.2): each bad request gets Twilio's code, status and wording;
 * test-credential magic numbers decide their outcome; a good request comes out normalised.
 */
import { CALL_ERRORS } from '../../src/twilio/calls/errors';
import { validateCreate, type CreateCallContext, type VoiceApplication } from '../../src/twilio/calls/validate';
import { TwilioError, type TwilioErrorBody } from '../../src/twilio/errors';
import type { Params } from '../../src/twilio/form';

const OWNED = '+14155550123';
const APP_SID = 'AP' + 'a'.repeat(32);
const app: VoiceApplication = {
  voiceUrl: 'https://app.test/app-voice', voiceMethod: 'GET', voiceFallbackUrl: null, voiceFallbackMethod: 'POST',
  statusCallback: 'https://app.test/app-status', statusCallbackMethod: 'POST',
};
const ctx: CreateCallContext = { ownsCallerId: (n) => n === OWNED, application: (sid) => (sid === APP_SID ? app : null) };
const base: Params = { To: '+14155550100', From: OWNED, Url: 'https://app.test/voice' };

function errorOf(params: Params, context: CreateCallContext = ctx): TwilioErrorBody {
  try {
    validateCreate(params, context);
  } catch (err) {
    if (err instanceof TwilioError) return err.toBody();
    throw err;
  }
  throw new Error('validated');
}

describe('validateCreate', () => {
  it('normalises a good request with Twilio’s defaults', () => {
    expect(validateCreate({ ...base, To: '(415) 555-0100' }, ctx)).toEqual({
      to: '+14155550100', toKind: 'number', from: OWNED, twiml: { kind: 'url', url: 'https://app.test/voice', method: 'POST' }, fallback: null,
      statusCallback: null, statusCallbackMethod: 'POST', statusCallbackEvents: ['completed'], timeout: 60, sendDigits: null, record: false,
      machineDetection: null, timeLimit: 14400, applicationSid: null,
    });
  });

  it.each<[string, Params, number, string]>([
    ['no To', { From: OWNED, Url: base.Url }, 21201, "No 'To' number is specified"],
    ['no From', { To: base.To, Url: base.Url }, 21213, "No 'From' number is specified"],
    ['a To that is no number', { ...base, To: 'abc' }, 21211, "The 'To' number abc is not a valid phone number."],
    ['a From that is no number', { ...base, From: 'abc' }, 21212, 'From is not a valid phone number: abc'],
    ['a number calling itself', { ...base, To: OWNED }, 21211, `The 'To' number ${OWNED} is not a valid phone number.`],
    ['no Url, Twiml or ApplicationSid', { To: base.To, From: OWNED }, 21205, 'Url parameter is required. For more information, see http://www.twilio.com/docs/api/twiml'],
    ['a bad Url', { ...base, Url: 'ftp://x' }, 21205, 'Url is not a valid URL: ftp://x'],
    ['a bad StatusCallback', { ...base, StatusCallback: 'nope' }, 21205, 'StatusCallback is not a valid URL: nope'],
    ['a bad Method', { ...base, Method: 'PUT' }, 21209, 'Invalid Method: PUT'],
    ['a bad Timeout', { ...base, Timeout: 'soon' }, 21208, 'Invalid Timeout: soon'],
    ['bad SendDigits', { ...base, SendDigits: '12x' }, 21206, 'Invalid SendDigits: 12x'],
    ['a bad MachineDetection', { ...base, MachineDetection: 'Maybe' }, 21234, 'Invalid Machine Detection configuration value: MachineDetection=Maybe'],
    ['an unknown ApplicationSid', { To: base.To, From: OWNED, ApplicationSid: 'AP' + 'f'.repeat(32) }, 21218, 'Invalid ApplicationSid'],
    ['a From the account does not own', { ...base, From: '+14155550999' }, 21210, "The source phone number provided, +14155550999, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio."],
    ['Twiml over 4000 characters', { To: base.To, From: OWNED, Twiml: `<Response><Say>${'x'.repeat(4000)}</Say></Response>` }, 21400, 'Invalid parameter Twiml: longer than 4000 characters'],
  ])('refuses %s', (_, params, code, message) => {
    expect(errorOf(params)).toEqual({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 });
  });

  it('applies the test-credential magic numbers (docs/iam/test-credentials)', () => {
    const magic: [Params, number][] = [
      [{ ...base, From: '+15005550001' }, 21212],
      [{ ...base, From: '+15005550006', To: '+15005550001' }, 21217],
      [{ ...base, From: '+15005550006', To: '+15005550002' }, 21214],
      [{ ...base, From: '+15005550006', To: '+15005550003' }, 21215],
      [{ ...base, From: '+15005550006', To: '+15005550004' }, 21216],
      [{ ...base, From: '+15005550007' }, 21210],
    ];
    for (const [params, code] of magic) expect([params.From, params.To, errorOf(params).code]).toEqual([params.From, params.To, code]);
    expect(errorOf({ ...base, From: '+15005550006', To: '+15005550003' }).message).toBe(
      'Account not authorized to call +15005550003. Perhaps you need to enable some international permissions: https://www.twilio.com/console/voice/calls/geo-permissions/low-risk',
    );
    expect(validateCreate({ ...base, From: '+15005550006' }, ctx).from).toBe('+15005550006');
  });

  it('lets client: and sip: targets take any caller name as From', () => {
    expect(validateCreate({ ...base, To: 'client:alice', From: 'Front desk' }, ctx)).toMatchObject({ to: 'client:alice', toKind: 'client', from: 'Front desk' });
    expect(validateCreate({ ...base, To: 'sip:bob@example.com', From: 'anyone' }, ctx)).toMatchObject({ toKind: 'sip' });
  });

  it('takes the app’s voice settings with ApplicationSid, ignoring the request’s', () => {
    const input = validateCreate({ To: base.To, From: OWNED, ApplicationSid: APP_SID, Url: 'https://ignored.test', StatusCallback: 'https://ignored.test/s' }, ctx);
    expect(input).toMatchObject({ applicationSid: APP_SID, twiml: { kind: 'url', url: 'https://app.test/app-voice', method: 'GET' }, statusCallback: 'https://app.test/app-status' });
  });

  it('prefers Url over Twiml, and keeps inline Twiml otherwise', () => {
    expect(validateCreate({ ...base, Twiml: '<Response/>' }, ctx).twiml).toEqual({ kind: 'url', url: base.Url, method: 'POST' });
    expect(validateCreate({ To: base.To, From: OWNED, Twiml: '<Response><Say>Hi</Say></Response>' }, ctx).twiml).toEqual({ kind: 'inline', xml: '<Response><Say>Hi</Say></Response>' });
  });

  it('reads StatusCallbackEvent repeated or space-separated, and drops callbacks for a bad value (21626: still created)', () => {
    expect(validateCreate({ ...base, StatusCallbackEvent: ['initiated', 'answered'] }, ctx).statusCallbackEvents).toEqual(['initiated', 'answered']);
    expect(validateCreate({ ...base, StatusCallbackEvent: 'ringing completed' }, ctx).statusCallbackEvents).toEqual(['ringing', 'completed']);
    expect(validateCreate({ ...base, StatusCallbackEvent: 'initiated,completed' }, ctx).statusCallbackEvents).toEqual([]);
  });

  it('caps Timeout at 600, lets SendDigits win over MachineDetection, and reads AMD settings', () => {
    expect(validateCreate({ ...base, Timeout: '900' }, ctx).timeout).toBe(600);
    expect(validateCreate({ ...base, SendDigits: 'ww1234#', MachineDetection: 'Enable' }, ctx)).toMatchObject({ sendDigits: 'ww1234#', machineDetection: null });
    expect(validateCreate({ ...base, MachineDetection: 'DetectMessageEnd', AsyncAmd: 'true', AsyncAmdStatusCallback: 'https://app.test/amd' }, ctx).machineDetection).toEqual({
      mode: 'DetectMessageEnd', timeoutSec: 30, asyncCallback: { url: 'https://app.test/amd', method: 'POST' },
    });
  });

  it('accepts localhost URLs unless asked to refuse them as Twilio does', () => {
    const local = { ...base, Url: 'http://localhost:3000/voice' };
    expect(validateCreate(local, ctx).twiml).toMatchObject({ url: 'http://localhost:3000/voice' });
    expect(errorOf(local, { ...ctx, rejectLocalUrls: true })).toMatchObject({ code: 21205, message: 'Url is not a valid URL: http://localhost:3000/voice' });
  });

  it('keeps every catalogued Calls code at HTTP 400', () => {
    expect(Object.values(CALL_ERRORS).every((e) => e.status === 400)).toBe(true);
  });
});
