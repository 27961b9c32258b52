/**
 * Finding sessions, as the API surface and the control plane need it (the session manager
 * implements it).
 */
import type { Session } from '../session/session';

/** Looks sessions up and checks credentials against them. */
export interface SessionDirectory {
  get(id: string): Session | undefined;
  byAccountSid(accountSid: string): Session | undefined;
  byApiKey(keySid: string): Session | undefined;
  /** True when `username`/`password` are the session's AccountSid + token or one of its API keys. */
  authenticate(session: Session, username: string, password: string): boolean;
}
