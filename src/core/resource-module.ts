/**
 * The seam between the generic machinery (server, replay, record, inspector) and the resources of
 * an emulated API: a resource folder exports a factory that takes the ports it uses and returns
 * one of these. Generic code calls resources only through this interface, so adding a resource
 * touches its own folder and one registration line (docs/adding-a-resource.md).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Delivery } from '../callbacks/dispatcher';
import type { AttemptResult } from '../callbacks/send';
import type { Pair } from '../cassette/types';
import type { FormParams } from '../signing/signature';
import type { RecordCodec } from '../session/collection';
import type { DerivedTaskKind } from '../session/scheduler';
import type { Session } from '../session/session';
import type { TimelineRow } from './timeline-row';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session of the request: authenticated for the API, named for the control plane. */
    session: Session;
  }
}

/** Runs a task booked on the session clock; `at` is the instant it fell due, to use as "now". */
export type TaskHandler = (session: Session, ref: any, at: number) => void | Promise<void>;

/** Answers a `POST /_mirra/simulate` event: returns the JSON answer. */
export type SimulateHandler = (session: Session, body: Record<string, unknown>) => unknown | Promise<unknown>;

/** Handles the final answer to one of the resource's webhooks (e.g. executing TwiML). */
export type ResponseHandler = (session: Session, delivery: Delivery, result: AttemptResult) => void | Promise<void>;

/** A recorded answer served to a session, materialised (the session's SIDs and dates). */
export interface ServedAnswer {
  method: string;
  /**
   * The API domain the request addressed (the host's first label, `conversations`; in base-URL
   * mode the `/<domain>` prefix or what the path implies), as the cassette normalises it.
   */
  product?: string;
  /** The request's real path (without a base-URL `/<domain>` prefix). */
  path: string;
  /** The request's form and query pairs, as sent. */
  form: Pair[];
  status: number;
  body: unknown;
  /** Session-clock instant of the request. */
  now: number;
}

/** What applying a served answer needs to know about the cassette. */
export interface ApplyContext {
  /**
   * The cassette holds no callbacks (recorded without a public URL): a replayed resource gets the
   * emulator's own timeline, whose callbacks the emulator then sends.
   */
  synthesiseCallbacks: boolean;
}

/** A replayed callback a resource recognised as its own, applied to its state. */
export interface CallbackClaim {
  /** The delivery kind it goes out as (the resource's own, so the log and inspector read it alike). */
  kind: string;
  /** The resource SID its deliveries are ordered by. */
  orderKey: string;
  /** SIDs the delivery concerns, for the log's filters. */
  refs: Record<string, string>;
}

/** What a served recording does to a resource's state (replay, STYLE.md 10). */
export interface ReplayHooks {
  /** Applies a served answer of one of the resource's routes to state; false when not its route. */
  apply?(session: Session, served: ServedAnswer, ctx: ApplyContext): boolean;
  /** Applies a replayed callback about one of its resources (through its lifecycle); undefined when not its own. */
  callback?(session: Session, params: FormParams, at: number): CallbackClaim | undefined;
  /**
   * The session's SID for a recorded object whose alias is not bound yet — a resource that existed
   * before the recording (a seeded number, service), found by what it is rather than by its SID.
   */
  resolveExisting?(session: Session, prefix: string, recorded: Record<string, unknown>): string | undefined;
}

/** How one delivery reads in the inspector's timeline. */
export interface DeliveryView {
  /** Row type: `callback` (status callbacks) or `inbound-webhook` (requests for the app's TwiML). */
  type: 'callback' | 'inbound-webhook';
  /** What it is, e.g. `status callback (delivered)`. */
  label: string;
  /** The status transition it reports: the row is placed right after it. */
  anchor?: { sid: string; status: string };
}

/** How a resource's events read in the inspector. */
export interface InspectHooks {
  /** By delivery kind: how the resource's deliveries read. */
  deliveries?: Record<string, (delivery: Delivery) => DeliveryView>;
  /** Rows of the session's timeline the resource contributes (e.g. what handsets received). */
  rows?(session: Session): TimelineRow[];
  /** By resource name (`messages`): one resource as `/_mirra/inspect/<name>/<sid>` shows it, or undefined. */
  detail?: Record<string, (session: Session, sid: string) => unknown>;
}

/** One resource family of an emulated API. Every part is optional. */
export interface ResourceModule {
  name: string;
  /**
   * The API domains its routes serve: host labels (`api`, `verify`, `messaging`). A request on
   * another domain's host never reaches its routes (`chat.twilio.com/v1/Services` is not a
   * Messaging Service): it goes to the fallbacks. Absent: its routes answer on every host.
   */
  domains?: readonly string[];
  /** API routes (absolute paths), registered in the API plugin (authenticated, API error shape). */
  routes?(api: FastifyInstance): void | Promise<void>;
  /**
   * Answers an API request no route took (or one on a domain the route's module does not serve):
   * resolves true when it answered, false to leave it to the next module's fallback and, when
   * none answers, the API's 404. Fallbacks are asked in registration order.
   */
  fallback?(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /** Control-plane routes under `/_mirra`. */
  control?(app: FastifyInstance): void | Promise<void>;
  /** Applies the resource's section of the session's seed to fresh session data. */
  seed?(session: Session): void;
  /** Compact stored forms of its collections, by collection name. */
  codecs?: Record<string, RecordCodec<any>>;
  /** Scheduler task handlers, by task kind. */
  tasks?: Record<string, TaskHandler>;
  /** Derived task kinds (visits its records say when they are due), by task kind. */
  derivedTasks?: Record<string, DerivedTaskKind>;
  /** Simulate events, by event name. */
  simulate?: Record<string, SimulateHandler>;
  /** Handlers of webhook answers, by the name a delivery's `onResponse` gives. */
  responses?: Record<string, ResponseHandler>;
  replay?: ReplayHooks;
  inspect?: InspectHooks;
}
