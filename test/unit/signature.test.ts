import twilio from 'twilio';
import { computeSignature, isValidSignature, signingPayload } from '../../src/signing/signature';
import { encodeForm } from '../../src/twilio/form';

describe('X-Twilio-Signature', () => {
  it('matches the published test vector', () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
    expect(computeSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('dedupes and sorts repeated values like the SDKs', () => {
    const params = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] };
    expect(computeSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });

  it('sorts keys case-sensitively (upper-case first)', () => {
    expect(signingPayload('u', { b: '1', B: '2', a: '3' })).toBe('uB2a3b1');
  });

  it('is accepted by twilio.validateRequest and rejected with another token', () => {
    const url = 'http://127.0.0.1:9999/cb?x=1';
    const params = { MessageSid: 'SM1', Body: 'hé llo + & = ok' };
    const sig = computeSignature('tok', url, params);
    expect(twilio.validateRequest('tok', sig, url, params)).toBe(true);
    expect(twilio.validateRequest('other', sig, url, params)).toBe(false);
    expect(isValidSignature('tok', url, params, sig)).toBe(true);
    expect(isValidSignature('tok', url, { ...params, Body: 'x' }, sig)).toBe(false);
  });

  it('form-encodes spaces as %20 and repeats array keys', () => {
    expect(encodeForm({ Body: 'a b', MediaUrl: ['x', 'y'] })).toBe('Body=a%20b&MediaUrl=x&MediaUrl=y');
  });
});
