/**
 * Notifications (2010 `Calls/{CallSid}/Notifications`, `Notifications`; schemas
 * `…call.call_notification`, `…notification` and their `-instance` forms): the debugger alerts a
 * call raised (TwiML fetch and parse failures, bad verbs and attributes, callback answers 4xx/5xx;
 * twilio-voice-and-more.md §9) read as Twilio's older Notifications resource shows them —
 * `log` "0" for an error, "1" for a warning, `message_text` form-encoded (`ErrorCode`,
 * `LogLevel`, `Msg`, as the spec's example), the webhook request it was about on the instance.
 * Newest first, filtered by `Log` and `MessageDate` (and `<`/`>`).
 *
 * LIMITATIONS: nothing but a call's alerts is a notification; `response_body` and
 * `response_headers` are empty.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, twilioError } from '../errors';
import { encodeForm, one, type Params } from '../form';
import { jsonSid, pathOf, queryOf } from '../http';
import { page2010, readPageRequest, slicePage } from '../pagination';
import { sendJson } from '../reply';
import { parseDateFilter, rfc2822 } from '../wire';
import { loadCall } from './routes';
import { CALL_RUNS, type CallAlert, type CallRun } from './runner/run';
import { CALLS, type CallRecord } from './types';

type AccountParams = { AccountSid: string };
/** An alert with its SID, and the call it was raised on. */
type Notification = CallAlert & { sid: string; callSid: string; accountSid: string };

function notificationsOf(request: FastifyRequest, callSid?: string): Notification[] {
  const calls = request.session.collection<CallRecord>(CALLS);
  const runs = callSid ? [request.session.collection<CallRun>(CALL_RUNS).get(callSid)].filter((r): r is CallRun => !!r) : [...request.session.collection<CallRun>(CALL_RUNS).list()];
  const out: Notification[] = [];
  for (const run of runs) {
    const call = calls.get(run.sid);
    if (!call || call.verificationSid) continue;
    for (const a of run.alerts) if (a.sid) out.push({ ...a, sid: a.sid, callSid: call.sid, accountSid: call.accountSid });
  }
  return out.sort((a, b) => b.at - a.at);
}

function readFilters(query: Params): { filters: [string, string][]; match: (n: Notification) => boolean } {
  const filters: [string, string][] = [];
  const tests: ((n: Notification) => boolean)[] = [];
  const sec = (ms: number) => Math.floor(ms / 1000);
  for (const key of Object.keys(query)) {
    const value = one(query, key);
    if (value === undefined) continue;
    if (key === 'Log') {
      if (value !== '0' && value !== '1') throw twilioError(21400, { param: key, value });
      tests.push((n) => logOf(n) === value);
    } else if (/^MessageDate[<>]?$/.test(key)) {
      const range = parseDateFilter(value);
      if (!range) throw twilioError(21400, { param: key, value });
      if (key.endsWith('<')) tests.push((n) => sec(n.at) <= sec(range.end));
      else if (key.endsWith('>')) tests.push((n) => sec(n.at) >= sec(range.start));
      else tests.push((n) => Math.floor(n.at / 86_400_000) === Math.floor(range.start / 86_400_000));
    } else continue;
    filters.push([key, value]);
  }
  return { filters, match: (n) => tests.every((t) => t(n)) };
}

const logOf = (n: Notification) => (n.level === 'error' ? '0' : '1');

/** A notification as JSON (`instance`: with the request it was about); `uri` under the call or the account. */
function render(n: Notification, underCall: boolean, instance: boolean): Record<string, unknown> {
  const at = rfc2822(n.at);
  const base = `/2010-04-01/Accounts/${n.accountSid}${underCall ? `/Calls/${n.callSid}` : ''}/Notifications/${n.sid}.json`;
  const out: Record<string, unknown> = {
    account_sid: n.accountSid,
    api_version: '2010-04-01',
    call_sid: n.callSid,
    date_created: at,
    date_updated: at,
    error_code: String(n.code),
    log: logOf(n),
    message_date: at,
    message_text: encodeForm({ ErrorCode: String(n.code), LogLevel: n.level === 'error' ? 'ERROR' : 'WARN', Msg: n.message }),
    more_info: `https://www.twilio.com/docs/errors/${n.code}`,
    request_method: n.request?.method ?? null,
    request_url: n.request?.url ?? null,
  };
  if (instance) Object.assign(out, { request_variables: n.request ? encodeForm(n.request.params) : '', response_body: '', response_headers: '' });
  return { ...out, sid: n.sid, uri: base };
}

/** Registers the Notifications routes (list and fetch; Twilio has no others). */
export function notificationRoutes(app: FastifyInstance): void {
  const ofCall = '/2010-04-01/Accounts/:AccountSid/Calls/:CallSid/Notifications';
  const ofAccount = '/2010-04-01/Accounts/:AccountSid/Notifications';
  const list = (request: FastifyRequest, all: Notification[], underCall: boolean) => {
    const query = queryOf(request);
    const page = readPageRequest(query);
    const { filters, match } = readFilters(query);
    return page2010('notifications', slicePage(all.filter(match), page, (n) => n.sid), page, pathOf(request), filters, (n) => n.sid, (n) => render(n, underCall, false));
  };
  const one = (request: FastifyRequest, all: Notification[], sid: string) => {
    const found = all.find((n) => n.sid === sid);
    if (!found) throw notFound(pathOf(request));
    return found;
  };

  app.get<{ Params: AccountParams & { CallSid: string } }>(`${ofCall}.json`, async (request, reply) => {
    const call = loadCall(request, request.params.CallSid);
    return sendJson(reply, 200, list(request, notificationsOf(request, call.sid), true));
  });
  app.get<{ Params: AccountParams & { CallSid: string; file: string } }>(`${ofCall}/:file`, async (request, reply) => {
    const call = loadCall(request, request.params.CallSid);
    return sendJson(reply, 200, render(one(request, notificationsOf(request, call.sid), jsonSid(request, request.params.file)), true, true));
  });
  app.get<{ Params: AccountParams }>(`${ofAccount}.json`, async (request, reply) => sendJson(reply, 200, list(request, notificationsOf(request), false)));
  app.get<{ Params: AccountParams & { file: string } }>(`${ofAccount}/:file`, async (request, reply) =>
    sendJson(reply, 200, render(one(request, notificationsOf(request), jsonSid(request, request.params.file)), false, true)),
  );
}
