/**
 * Calls API routes (2010, twilio-voice-and-more.md §1): create, list, fetch, update, delete.
 * Routes parse, call the model and the runner, render; the lifecycle and the interpreter decide.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, twilioError } from '../errors';
import { one, type Params } from '../form';
import { formOf, jsonSid, pathOf, queryOf } from '../http';
import { page2010, readPageRequest, slicePage } from '../pagination';
import { toE164 } from '../phone';
import { sendJson, sendNoContent } from '../reply';
import { newSid, SID_PREFIX } from '../sid';
import { isTestAccount } from '../test-credentials';
import { parseDateFilter } from '../wire';
import { createContext, readCreate } from './create';
import { isEnded } from './lifecycle';
import { placeOutbound } from './place';
import { newCallRecord } from './record';
import { renderCall } from './render';
import { CallEngine, type CallPorts } from './runner/engine';
import { CALL_RUNS, type CallRun } from './runner/run';
import { callSettings } from './runner/settings';
import { CALLS, type CallRecord, type CallStatus } from './types';
import { updateSource } from './update';

type AccountParams = { AccountSid: string };

/** A call of the request's session (not one of Verify's own), or 404. */
export function loadCall(request: FastifyRequest, sid: string): CallRecord {
  const call = request.session.collection<CallRecord>(CALLS).get(sid);
  if (!call || call.verificationSid) throw notFound(pathOf(request));
  return call;
}

const STATUSES: readonly CallStatus[] = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'];

/** The list filters (§1.4), in the order given, for echoing in paging URIs. */
function readFilters(query: Params): { filters: [string, string][]; match: (c: CallRecord) => boolean } {
  const filters: [string, string][] = [];
  const tests: ((c: CallRecord) => boolean)[] = [];
  const sec = (ms: number) => Math.floor(ms / 1000);
  for (const key of Object.keys(query)) {
    const value = one(query, key);
    if (value === undefined) continue;
    if (key === 'To' || key === 'From') {
      const wanted = toE164(value) ?? value;
      tests.push((c) => (key === 'To' ? c.to : c.from) === wanted);
    } else if (key === 'Status') {
      if (!STATUSES.includes(value as CallStatus)) throw twilioError(21400, { param: key, value });
      tests.push((c) => c.status === value);
    } else if (key === 'ParentCallSid') {
      tests.push((c) => c.parentCallSid === value);
    } else if (/^(StartTime|EndTime)[<>]?$/.test(key)) {
      const range = parseDateFilter(value);
      if (!range) throw twilioError(21400, { param: key, value });
      const field = (c: CallRecord) => (key.startsWith('Start') ? c.startTime : c.endTime);
      const day = Math.floor(range.start / 86_400_000);
      if (key.endsWith('<')) tests.push((c) => field(c) !== null && sec(field(c)!) <= sec(range.end));
      else if (key.endsWith('>')) tests.push((c) => field(c) !== null && sec(field(c)!) >= sec(range.start));
      else tests.push((c) => field(c) !== null && Math.floor(field(c)! / 86_400_000) === day);
    } else continue;
    filters.push([key, value]);
  }
  return { filters, match: (c) => tests.every((t) => t(c)) };
}

/** Registers the Calls routes. */
export function callRoutes(app: FastifyInstance, ports: CallPorts): void {
  const base = '/2010-04-01/Accounts/:AccountSid/Calls';

  app.post<{ Params: AccountParams }>(`${base}.json`, async (request, reply) => {
    const session = request.session;
    const input = readCreate(formOf(request), createContext(session, callSettings(session)));
    const now = session.clock.now();
    // Test credentials fetch no URL and fire no callback (docs/iam/test-credentials): answered, not kept.
    if (isTestAccount(session)) {
      const answered = newCallRecord({ sid: newSid(SID_PREFIX.call), accountSid: session.accountSid, direction: 'outbound-api', to: input.to, from: input.from }, now);
      return sendJson(reply, 201, renderCall(answered, true));
    }
    const call = CallEngine.run(ports, session, (engine) => placeOutbound(engine, input, now));
    return sendJson(reply, 201, renderCall(call, true));
  });

  app.get<{ Params: AccountParams }>(`${base}.json`, async (request, reply) => {
    const query = queryOf(request);
    const page = readPageRequest(query);
    const { filters, match } = readFilters(query);
    const all = request.session.collection<CallRecord>(CALLS).list({ newestFirst: true, filter: (c) => !c.verificationSid && match(c) });
    const slice = slicePage(all, page, (c) => c.sid);
    return sendJson(reply, 200, page2010('calls', slice, page, `${pathOf(request).replace(/\.json$/, '')}.json`, filters, (c) => c.sid, (c) => renderCall(c)));
  });

  app.get<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    return sendJson(reply, 200, renderCall(loadCall(request, jsonSid(request, request.params.file))));
  });

  app.post<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const session = request.session;
    const call = loadCall(request, jsonSid(request, request.params.file));
    const form = formOf(request);
    const status = one(form, 'Status');
    if (status !== undefined && status !== 'canceled' && status !== 'completed') throw twilioError(21400, { param: 'Status', value: status });
    const hasSource = !!(one(form, 'Url') || one(form, 'Twiml'));
    // §1.3: an ended call takes no update (21220); a redirect needs a call in progress.
    if (isEnded(call) || (hasSource && !status && call.status !== 'in-progress')) throw twilioError(21220);
    const now = session.clock.now();
    const next = CallEngine.run(ports, session, (engine) => {
      if (status) return engine.life(call.sid, { type: status === 'canceled' ? 'cancel' : 'complete' }, now) ?? call;
      if (hasSource) updateSource(engine, call, form, now);
      return engine.call(call.sid) ?? call;
    });
    return sendJson(reply, 200, renderCall(next));
  });

  app.delete<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const call = loadCall(request, jsonSid(request, request.params.file));
    if (!isEnded(call)) throw twilioError(20009);
    ports.commit.transaction(() => {
      request.session.collection<CallRecord>(CALLS).delete(call.sid);
      request.session.collection<CallRun>(CALL_RUNS).delete(call.sid);
    });
    return sendNoContent(reply);
  });
}
