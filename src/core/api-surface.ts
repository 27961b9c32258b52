/**
 * What the generic server needs to know about the API it emulates — how a request is
 * authenticated, what an error and an answer look like on the wire, which hosts are the API's —
 * so that `server/` serves Twilio without importing it. `twilio/surface.ts` implements it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from '../session/session';
import type { SessionDirectory } from './sessions';

/** An answer in the API's own shape, ready to send. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The emulated API, as the server sees it. */
export interface ApiSurface {
  /** True for the API's own host names (`api.twilio.com`, regional and edge forms). */
  isApiHost(hostname: string): boolean;
  /**
   * The domain an API host name addresses (`conversations.sydney.au1.twilio.com` →
   * `conversations`); undefined for any other host (base-URL mode). Runs on every request: cheap.
   */
  domainOf(hostname: string): string | undefined;
  /** The session a request's credentials open, or throws the API's 401. */
  authenticate(sessions: SessionDirectory, request: FastifyRequest, defaultSessionId: string): Session;
  /** Rules once the session is known (a path naming another account is the API's 404, ...). */
  guard(request: FastifyRequest): void;
  /** The API's error for a path nothing serves. */
  notFound(path: string): Error;
  /** The answer for an error a route threw, or undefined when it is not one of the API's. */
  errorAnswer(err: unknown): ApiAnswer | undefined;
  /** The answer for a request the framework refused with `status` (too large, unreadable). */
  frameworkAnswer(status: number): ApiAnswer;
  /** Headers every API answer carries. */
  headers(request: FastifyRequest, durationMs: number, concurrent: number): Record<string, string>;
  /** Sends a JSON body with `status` in the API's bytes. */
  sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply;
  /** Sends an empty answer with `status` (and the API's JSON content type, as its 204s carry). */
  sendEmpty(reply: FastifyReply, status: number): FastifyReply;
  /**
   * The origin absolute URLs in answers should point at: undefined when the client used the API's
   * own host (the recorded URLs are right), else the mirror's own origin (base-URL mode).
   */
  clientOrigin(request: FastifyRequest): string | undefined;
}
