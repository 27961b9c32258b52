/**
 * The Twilio debugger code of a failed webhook attempt (the 11200 family, twilio-voice-and-more.md
 * §9.1; titles from Twilio's error catalogue, twilio.com/docs/api/errors/NNNNN). Twilio reports a
 * delivery that could not reach the app with these codes in the debugger and Monitor alerts, so the
 * delivery log shows the same code on each failed attempt. Pure: an attempt's result in, a code out.
 */
import type { AttemptResult } from './send';

/** A Twilio debugger code and its catalogue title. */
export interface FailureCode {
  code: number;
  message: string;
}

/** The webhook failure codes mirra reports, with the catalogue's titles. */
export const WEBHOOK_FAILURE_CODES = {
  /** Invalid URL format. */
  11100: 'Invalid URL format',
  /** A 4xx/5xx answer, or no answer within the read timeout. */
  11200: 'HTTP retrieval failure',
  /** No TCP connection within the connect timeout, refused, or unreachable. */
  11205: 'HTTP connection failure',
  /** The server did not speak valid HTTP (e.g. plain HTTP on an HTTPS port, garbage on the socket). */
  11206: 'HTTP protocol violation',
  /** The host name does not resolve (DNS). */
  11210: 'HTTP bad host name',
  /** More than 10 redirects in a row. */
  11215: 'HTTP too many redirects',
  /** The TLS handshake failed. */
  11220: 'SSL/TLS Handshake Error',
  11235: 'Certificate Invalid - Domain Mismatch',
  11236: 'Certificate Invalid - Certificate Expired',
  11237: 'Certificate Invalid - Could not find path to certificate',
} as const;

type Code = keyof typeof WEBHOOK_FAILURE_CODES;

const code = (c: Code): FailureCode => ({ code: c, message: WEBHOOK_FAILURE_CODES[c] });

/** Node's error codes (and send.ts's timeout codes) by the Twilio code they mean. */
const BY_ERRNO: Record<string, Code> = {
  INVALID_URL: 11100,
  ERR_INVALID_URL: 11100,
  ENOTFOUND: 11210,
  EAI_AGAIN: 11210,
  EAI_FAIL: 11210,
  EAI_NONAME: 11210,
  ECONNREFUSED: 11205,
  EHOSTUNREACH: 11205,
  ENETUNREACH: 11205,
  EADDRNOTAVAIL: 11205,
  CONNECT_TIMEOUT: 11205,
  READ_TIMEOUT: 11200,
  ECONNRESET: 11200,
  EPIPE: 11200,
  ECONNABORTED: 11200,
  TOO_MANY_REDIRECTS: 11215,
  ERR_TLS_CERT_ALTNAME_INVALID: 11235,
  CERT_HAS_EXPIRED: 11236,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 11237,
  UNABLE_TO_GET_ISSUER_CERT: 11237,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 11237,
  SELF_SIGNED_CERT_IN_CHAIN: 11237,
  DEPTH_ZERO_SELF_SIGNED_CERT: 11237,
  CERT_UNTRUSTED: 11237,
  EPROTO: 11220,
  ERR_SSL_WRONG_VERSION_NUMBER: 11206,
};

/**
 * The Twilio code of an attempt's failure, or undefined for a successful attempt (or one that
 * failed for a mirra-side reason, such as an unknown auth token, which has no Twilio code).
 */
export function classifyAttempt(result: Pick<AttemptResult, 'failure' | 'statusCode' | 'errno'>): FailureCode | undefined {
  if (!result.failure) return undefined;
  const errno = result.errno;
  if (errno) {
    const known = BY_ERRNO[errno];
    if (known) return code(known);
    // Node's HTTP parser errors (HPE_INVALID_CONSTANT, …) and other TLS errors.
    if (errno.startsWith('HPE_')) return code(11206);
    if (errno.startsWith('ERR_SSL_') || errno.startsWith('ERR_TLS_')) return code(11220);
  }
  // A 4xx/5xx answer is a retrieval failure (11200); status callbacks of calls add warning 15003,
  // which is not an attempt failure.
  if (result.statusCode !== undefined && result.statusCode >= 400) return code(11200);
  if (result.failure === 'ct') return errno ? code(11205) : undefined;
  if (result.failure === 'rt') return code(11200);
  return undefined;
}
