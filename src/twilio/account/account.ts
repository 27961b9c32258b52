/**
 * The 2010 Account (twilio-api.md §2.5) answered from the session, through the generic engine's
 * overrides: `GET /2010-04-01/Accounts/{Sid}.json` is the session's own account (its auth token,
 * its creation date, `Full`, `active`), `POST /Accounts.json` makes a subaccount, and the list
 * holds both. Apps commonly fetch their Account on start-up to check their credentials.
 *
 * LIMITATIONS: a subaccount is a record of its parent's session, not a session of its own: its
 * `auth_token` authenticates nothing, and hand-built resources (Messages, numbers) under its
 * AccountSid answer 404.
 */
import type { Session } from '../../session/session';
import { callEngine, operation, patchRecord, plantRecord, type GenericHandler, type GenericResponse, type GenericScope } from '../generic/engine-api';
import { newToken } from '../sid';

const FETCH = 'api_v2010.FetchAccount';

/** What the account of a session is called until it is renamed. */
function defaultName(session: Session): string {
  return `mirra ${session.id}`;
}

/**
 * Stores the session's own account the first time an override needs it, with the session's
 * values; the auth token is never stored (it is filled in when answering).
 */
function ensureOwnAccount(scope: GenericScope): void {
  const session = scope.session;
  if (!session) return;
  const fetch = operation('api', FETCH);
  if (scope.store.get(fetch.type!.n, '', scope.accountSid)) return;
  const created = session.record.createdAt;
  plantRecord(fetch, { Sid: scope.accountSid }, scope, {
    friendly_name: defaultName(session),
    owner_account_sid: scope.accountSid,
    status: 'active',
    type: 'Full',
    date_created: created,
    date_updated: created,
  });
}

/** An account as answered: the session's own carries the session's auth token. */
function withToken(account: unknown, scope: GenericScope): unknown {
  const a = account as Record<string, unknown> | null;
  if (!a || a.sid !== scope.accountSid) return account;
  return { ...a, auth_token: scope.session?.authToken ?? '' };
}

/** Runs the engine's answer after the own account is stored, with the token filled in. */
function ownAnswer(scope: GenericScope, fallback: () => GenericResponse): GenericResponse {
  ensureOwnAccount(scope);
  const answer = fallback();
  const body = answer.body as Record<string, unknown> | null;
  if (body && Array.isArray(body.accounts)) return { ...answer, body: { ...body, accounts: body.accounts.map((a) => withToken(a, scope)) } };
  return { ...answer, body: withToken(body, scope) };
}

/** A subaccount: owned by the session's account, active, with an auth token of its own. */
const createSubaccount: GenericHandler = (_op, request, scope, fallback) => {
  ensureOwnAccount(scope);
  const created = fallback();
  const sid = String((created.body as Record<string, unknown>).sid);
  patchRecord(operation('api', FETCH), { Sid: sid }, scope, {
    owner_account_sid: scope.accountSid,
    status: 'active',
    type: 'Full',
    auth_token: newToken(),
    friendly_name: typeof request.form.FriendlyName === 'string' ? request.form.FriendlyName : `SubAccount Created at ${new Date(scope.now()).toISOString()}`,
  });
  return { ...created, body: callEngine(scope, 'api', 'GET', `/2010-04-01/Accounts/${sid}.json`) ?? created.body };
};

/** The Account operations, by id. */
export const ACCOUNT_OVERRIDES: Readonly<Record<string, GenericHandler>> = {
  [FETCH]: (_op, _request, scope, fallback) => ownAnswer(scope, fallback),
  'api_v2010.UpdateAccount': (_op, _request, scope, fallback) => ownAnswer(scope, fallback),
  'api_v2010.ListAccount': (_op, _request, scope, fallback) => ownAnswer(scope, fallback),
  'api_v2010.CreateAccount': createSubaccount,
};
