/**
 * The Twilio code of a failed webhook attempt (pure): every kind of failure send.ts reports maps to
 * its 11200-family code, and a success or a mirra-side failure carries none.
 */
import { classifyAttempt, WEBHOOK_FAILURE_CODES } from '../../src/callbacks/failure-codes';

describe('classifyAttempt', () => {
  it.each([
    [{ failure: 'ct', errno: 'ENOTFOUND' }, 11210],
    [{ failure: 'ct', errno: 'EAI_AGAIN' }, 11210],
    [{ failure: 'ct', errno: 'ECONNREFUSED' }, 11205],
    [{ failure: 'ct', errno: 'CONNECT_TIMEOUT' }, 11205],
    [{ failure: 'ct', errno: 'EHOSTUNREACH' }, 11205],
    [{ failure: 'rt', errno: 'READ_TIMEOUT' }, 11200],
    [{ failure: 'ct', errno: 'ECONNRESET' }, 11200],
    [{ failure: '5xx', statusCode: 503 }, 11200],
    [{ failure: '4xx', statusCode: 404 }, 11200],
    [{ failure: 'ct', errno: 'HPE_INVALID_CONSTANT' }, 11206],
    [{ failure: 'ct', errno: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 11206],
    [{ failure: 'ct', errno: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }, 11220],
    [{ failure: 'ct', errno: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 11235],
    [{ failure: 'ct', errno: 'CERT_HAS_EXPIRED' }, 11236],
    [{ failure: 'ct', errno: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 11237],
    [{ failure: 'ct', errno: 'INVALID_URL' }, 11100],
    [{ failure: 'ct', errno: 'TOO_MANY_REDIRECTS' }, 11215],
  ] as const)('%j → %i', (result, code) => {
    expect(classifyAttempt(result)).toEqual({ code, message: WEBHOOK_FAILURE_CODES[code] });
  });

  it('has no code for a success, or for a failure of mirra itself (no auth token yet)', () => {
    expect(classifyAttempt({ statusCode: 200 })).toBeUndefined();
    expect(classifyAttempt({ statusCode: 302 })).toBeUndefined();
    expect(classifyAttempt({ failure: '4xx' })).toBeUndefined();
  });
});
