/**
 * API keys answered from the session (2010 `Accounts/{Sid}/Keys.json` and IAM v1 `/v1/Keys`):
 * the list is the keys the session authenticates with, a created key's secret authenticates at
 * once (and is shown only in the create answer, as on Twilio), an updated key is renamed, a
 * deleted one no longer authenticates. The session's own key (the one `mirra env` prints) is in
 * the list; deleted, it comes back with a reset.
 *
 * LIMITATIONS: IAM `KeyType=restricted` and `Policy` are accepted and echoed, not enforced.
 */
import type { ApiKeys } from '../../core/ports';
import type { ApiKeyRecord, Session } from '../../session/session';
import { notFound } from '../errors';
import { listAs, renderAs, type GenericHandler, type GenericRequest, type GenericScope, type OwnRecord } from '../generic/engine-api';
import { newSid, newToken, SID_PREFIX } from '../sid';

/** What the session's own key is called (it was made with the session, not through the API). */
const OWN_KEY_NAME = 'mirra session key';

function sessionOf(scope: GenericScope): Session {
  if (!scope.session) throw new TypeError('API keys are answered from a session');
  return scope.session;
}

/** The session's keys that authenticate, as records to answer with. */
function liveKeys(session: Session): ApiKeyRecord[] {
  return session.record.apiKeys.filter((k) => !k.revoked);
}

function keyRecord(session: Session, k: ApiKeyRecord, extra: Record<string, unknown> = {}): OwnRecord {
  const created = k.dateCreated ?? session.record.createdAt;
  return { key: k.sid, data: { sid: k.sid, friendly_name: k.friendlyName ?? OWN_KEY_NAME, date_created: created, date_updated: k.dateUpdated ?? created, ...extra } };
}

/** The key a request addresses (its `Sid`), or Twilio's 404 naming the path. */
function addressedKey(session: Session, request: GenericRequest): ApiKeyRecord {
  const key = liveKeys(session).find((k) => k.sid === request.pathParams.Sid);
  if (!key) throw notFound(request.path ?? '');
  return key;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : Array.isArray(value) ? String(value[value.length - 1]) : undefined);

/** The key operations of both APIs, by id. */
export function keyOverrides(apiKeys: ApiKeys): Record<string, GenericHandler> {
  const create: GenericHandler = (op, request, scope) => {
    const session = sessionOf(scope);
    // IAM names the account in the form; keys of another account are not this session's to make.
    const account = text(request.form.AccountSid);
    if (account !== undefined && account !== scope.accountSid) throw notFound(request.path ?? '');
    const sid = newSid(SID_PREFIX.apiKey);
    const secret = newToken();
    const friendlyName = text(request.form.FriendlyName) ?? '';
    apiKeys.addApiKey(session, { sid, secret, friendlyName, at: scope.now() });
    const stored = liveKeys(session).find((k) => k.sid === sid)!;
    return { status: op.spec.c, body: renderAs(op, request, scope, keyRecord(session, stored, { secret, policy: null })) };
  };
  const fetch: GenericHandler = (op, request, scope) => {
    const session = sessionOf(scope);
    return { status: op.spec.c, body: renderAs(op, request, scope, keyRecord(session, addressedKey(session, request))) };
  };
  const update: GenericHandler = (op, request, scope) => {
    const session = sessionOf(scope);
    const key = addressedKey(session, request);
    const name = text(request.form.FriendlyName);
    if (name !== undefined) apiKeys.renameApiKey(session, key.sid, name, scope.now());
    return { status: op.spec.c, body: renderAs(op, request, scope, keyRecord(session, addressedKey(session, request))) };
  };
  const remove: GenericHandler = (op, request, scope) => {
    const session = sessionOf(scope);
    apiKeys.removeApiKey(session, addressedKey(session, request).sid);
    return { status: op.spec.c, body: null };
  };
  const list: GenericHandler = (op, request, scope) => {
    const session = sessionOf(scope);
    // IAM lists the keys of the account its `AccountSid` query names.
    const account = text(request.query.AccountSid);
    const keys = account !== undefined && account !== scope.accountSid ? [] : liveKeys(session);
    return listAs(op, request, scope, keys.map((k) => keyRecord(session, k, { flags: [] })));
  };
  return {
    'api_v2010.CreateNewKey': create,
    'api_v2010.FetchKey': fetch,
    'api_v2010.UpdateKey': update,
    'api_v2010.DeleteKey': remove,
    'api_v2010.ListKey': list,
    'iam_v1.CreateNewKey': create,
    'iam_v1.FetchKey': fetch,
    'iam_v1.UpdateKey': update,
    'iam_v1.DeleteKey': remove,
    'iam_v1.ListGetKeys': list,
  };
}
