/**
 * A request and its answer as values, for transports with no socket (in-process mode: nock hands
 * the mirror what the app sent; the answer goes back the same way).
 */

/** A request as a socketless transport hands it to the mirror. */
export interface TransportRequest {
  method: string;
  /** Host name as the client addressed it, e.g. `api.twilio.com`. */
  host: string;
  /** Path with query string. */
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** The mirror's answer. */
export interface TransportResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** A control-plane answer. */
export interface ControlAnswer<T = any> {
  status: number;
  body: T;
}
