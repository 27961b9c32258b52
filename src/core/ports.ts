/**
 * The narrow services resource code is given (STYLE.md 11). Each is a whole object before any
 * resource module is made — the store, the scheduler, the outbox and the inspector's feed
 * implement them — and a module's functions take only the ones they use.
 */
import type { Delivery, DeliveryRequest } from '../callbacks/dispatcher';
import type { Session } from '../session/session';

/** All-or-nothing writes: what `fn` writes commits together, or none of it does. */
export interface Commit {
  transaction<T>(fn: () => T): T;
}

/** Work booked on a session's virtual clock (the scheduler). */
export interface Schedule {
  /** Runs the task handler registered for `kind` with `ref` once the session clock reaches `at`. */
  schedule(session: Session, at: number, kind: string, ref: unknown): void;
  /**
   * Books derived task `kind` for the record numbered `ref` at `at`: held in memory only, and
   * rebuilt from the records when the mirror starts (the module's `derivedTasks[kind].recover`).
   */
  book(session: Session, at: number, kind: string, ref: number): void;
  /** Drops booked tasks of `kind` whose ref satisfies `match`. */
  cancel(session: Session, kind: string, match: (ref: any) => boolean): void;
}

/** A problem found while handling a webhook's answer (Twilio's debugger code and message). */
export interface DeliveryProblem {
  code: number;
  message: string;
}

/** The durable outbox of signed webhooks (status callbacks, inbound webhooks, TwiML fetches). */
export interface Outbox {
  /** Persists a delivery and sends it in the background, in order per `orderKey`. */
  enqueue(session: Session, req: DeliveryRequest): Delivery;
  /** Adds a problem to a delivery's log entry (e.g. Twilio's 12100 for a malformed document). */
  recordError(session: Session, delivery: Delivery, problem: DeliveryProblem): void;
  /** Resolves when no delivery of the session is in flight (booked retries do not count). */
  whenIdle(session: Session): Promise<void>;
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

/** Watches status changes without taking part in them (the inspector's feed). */
export interface StatusObserver {
  statusChanged(session: Session, change: StatusChange): void;
}

/** Reports an internal failure: logged with where it happened, never swallowed. */
export type ReportError = (err: unknown, where: string) => void;

/** A new API key of a session's account. */
export interface NewApiKey {
  sid: string;
  /** The secret, shown once (in the create answer) and then known only by its hash. */
  secret: string;
  friendlyName: string;
  /** Session-clock instant of its creation. */
  at: number;
}

/**
 * The API keys a session's account authenticates with besides its auth token (the session
 * manager implements it): a key added here authenticates at once, a removed one no longer does.
 */
export interface ApiKeys {
  addApiKey(session: Session, key: NewApiKey): void;
  /** Renames a key; false when the session has no such key. */
  renameApiKey(session: Session, sid: string, friendlyName: string, at: number): boolean;
  /** Removes a key; false when the session has no such key. */
  removeApiKey(session: Session, sid: string): boolean;
}

/** Every port a resource module may take. */
export interface ResourcePorts {
  commit: Commit;
  schedule: Schedule;
  outbox: Outbox;
  observe: StatusObserver;
  report: ReportError;
  apiKeys: ApiKeys;
}
