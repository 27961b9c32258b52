/**
 * The services every route and resource module shares, decorated once on the fastify instance
 * (`app.mirra`) and on each API request (`request.session`) by module augmentation.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher, ResponseHandler } from '../callbacks/dispatcher';
import type { ResolvedOptions } from '../config';
import type { Session } from '../session/session';
import type { Scheduler } from '../session/scheduler';
import type { SessionManager } from '../session/sessions';
import type { Store } from '../store/store';

/** Shared services of one mirror. */
export interface MirraContext {
  options: ResolvedOptions;
  store: Store;
  sessions: SessionManager;
  scheduler: Scheduler;
  dispatcher: Dispatcher;
  /** mirra's CA (proxy mode) and the combined bundle for clients whose CA setting replaces the roots. */
  trust: { caPath: string | null; bundlePath: string | null };
  /**
   * Optional interception of authenticated API requests before the emulator's routes (replay from
   * cassettes): returns true when it has answered the request itself.
   */
  interceptor?: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;
  /** Reports an internal failure (logged, never swallowed). */
  reportError(err: unknown, where: string): void;
  /** Optional observer of status changes (the inspector's live feed); it never changes behaviour. */
  observer?: StateObserver;
}

/** A resource entering a status (a message becoming `sent`, ...), as an observer sees it. */
export interface StatusChange {
  /** The resource family, e.g. `message`. */
  resource: string;
  sid: string;
  status: string;
  /** The session-clock instant of the change. */
  at: number;
  errorCode?: number | null;
}

/** Watches a mirror's state changes without taking part in them. */
export interface StateObserver {
  statusChanged(session: Session, change: StatusChange): void;
}

/** A handler of a scheduled task kind. */
export type ModuleTaskHandler = (ctx: MirraContext, session: Session, ref: any, at: number) => void | Promise<void>;

/** A handler of a `POST /_mirra/simulate` event: returns the JSON answer. */
export type SimulateHandler = (ctx: MirraContext, session: Session, body: Record<string, unknown>) => unknown | Promise<unknown>;

/** A handler of a webhook's final response. */
export type ModuleResponseHandler = (ctx: MirraContext, ...args: Parameters<ResponseHandler>) => ReturnType<ResponseHandler>;

/**
 * One resource family (messages, verify, numbers, ...): its routes and the hooks it adds to the
 * shared machinery. The app is the list of these.
 */
export interface ResourceModule {
  name: string;
  /** Twilio API routes (absolute paths), registered as an encapsulated plugin. */
  routes?: (app: FastifyInstance, ctx: MirraContext) => Promise<void>;
  /** Extra control-plane routes under /_mirra. */
  control?: (app: FastifyInstance, ctx: MirraContext) => Promise<void>;
  /** Applies this module's section of the session's seed to fresh session data. */
  applySeed?: (ctx: MirraContext, session: Session) => void;
  tasks?: Record<string, ModuleTaskHandler>;
  simulate?: Record<string, SimulateHandler>;
  responses?: Record<string, ModuleResponseHandler>;
}

declare module 'fastify' {
  interface FastifyInstance {
    mirra: MirraContext;
  }
  interface FastifyRequest {
    /** The authenticated session of a Twilio API request. */
    session: Session;
  }
}

/**
 * The origin (`https://verify.twilio.com`, `http://127.0.0.1:4010`) the client used. Twilio serves
 * its API over HTTPS only, so a request under a Twilio host name gets `https` even when the
 * transport itself was plain (in-process `app.inject`, where there is no TLS socket).
 */
export function originOf(request: FastifyRequest): string {
  const protocol = /(^|\.)twilio\.com$/i.test(request.hostname) ? 'https' : request.protocol;
  return `${protocol}://${request.host}`;
}
