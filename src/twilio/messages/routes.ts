/**
 * Messages API routes (2010): create, list, fetch, update, delete, and media. Routes parse, call the
 * model, render; nothing here decides behaviour.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, twilioError } from '../errors';
import { one, type Params } from '../form';
import { formOf, jsonSid, pathOf, queryOf } from '../http';
import { page2010, readPageRequest, slicePage } from '../pagination';
import { toE164 } from '../phone';
import { sendJson, sendNoContent } from '../reply';
import { parseDateFilter } from '../wire';
import { changeMessage, scheduleTimeline, settleMessage, type MessagePorts } from './effects';
import { InvalidTransition, touched, viewAt } from './lifecycle';
import { createMessage, type OptOutCheck } from './model';
import { renderMedia, renderMessage } from './render';
import { MESSAGES, TERMINAL, type MessageRecord } from './types';
import { isOptedOut } from './opt-out';

type AccountParams = { AccountSid: string };

/** A message of the request's session as stored, or 404. */
function storedMessage(request: FastifyRequest, sid: string): MessageRecord {
  const m = request.session.collection<MessageRecord>(MESSAGES).get(sid);
  if (!m) throw notFound(pathOf(request));
  return m;
}

/** A message of the request's session as it stands now (its due steps derived, not stored), or 404. */
function loadMessage(request: FastifyRequest, sid: string): MessageRecord {
  return viewAt(storedMessage(request, sid), request.session.clock.now());
}

/** A message about to change: its due steps stored (and their effects carried out) first, or 404. */
function loadForChange(ports: MessagePorts, request: FastifyRequest, sid: string): MessageRecord {
  return settleMessage(ports, request.session, storedMessage(request, sid), request.session.clock.now());
}

/** Stored messages as they stand at `now`, those that `match`. */
function* viewsAt(messages: Iterable<MessageRecord>, now: number, match: (m: MessageRecord) => boolean): Iterable<MessageRecord> {
  for (const m of messages) {
    const view = viewAt(m, now);
    if (match(view)) yield view;
  }
}

/** The list filters Twilio supports, in the order given, for echoing in paging URIs. */
function readFilters(query: Params): { filters: [string, string][]; match: (m: MessageRecord) => boolean } {
  const filters: [string, string][] = [];
  const tests: ((m: MessageRecord) => boolean)[] = [];
  for (const key of Object.keys(query)) {
    const value = one(query, key);
    if (value === undefined) continue;
    if (key === 'To' || key === 'From') {
      filters.push([key, value]);
      const wanted = toE164(value) ?? value;
      tests.push((m) => (key === 'To' ? m.to : m.from) === wanted);
    } else if (key === 'DateSent' || key === 'DateSent<' || key === 'DateSent>') {
      const range = parseDateFilter(value);
      if (!range) throw twilioError(21400, { param: key, value });
      filters.push([key, value]);
      // Dates on the wire have whole seconds, so compare at that precision; `DateSent=` means a day.
      const sec = (ms: number) => Math.floor(ms / 1000);
      const day = Math.floor(range.start / 86_400_000);
      if (key === 'DateSent') tests.push((m) => m.dateSent !== null && Math.floor(m.dateSent / 86_400_000) === day);
      if (key === 'DateSent<') tests.push((m) => m.dateSent !== null && sec(m.dateSent) <= sec(range.end));
      if (key === 'DateSent>') tests.push((m) => m.dateSent !== null && sec(m.dateSent) >= sec(range.start));
    }
  }
  return { filters, match: (m) => tests.every((t) => t(m)) };
}

/** Registers the Messages routes. */
export function messageRoutes(app: FastifyInstance, ports: MessagePorts, optedOut: OptOutCheck = isOptedOut): void {
  const base = '/2010-04-01/Accounts/:AccountSid/Messages';

  app.post<{ Params: AccountParams }>(`${base}.json`, async (request, reply) => {
    const session = request.session;
    const now = session.clock.now();
    // The message and its first step commit together: one store commit per create.
    const message = ports.commit.transaction(() => {
      const created = createMessage(session, formOf(request), now, optedOut);
      scheduleTimeline(ports, session, created); // nothing to schedule for a test-credential answer
      return created;
    });
    return sendJson(reply, 201, renderMessage(message));
  });

  app.get<{ Params: AccountParams }>(`${base}.json`, async (request, reply) => {
    const query = queryOf(request);
    const page = readPageRequest(query);
    const { filters, match } = readFilters(query);
    const all = viewsAt(request.session.collection<MessageRecord>(MESSAGES).list({ newestFirst: true }), request.session.clock.now(), match);
    const slice = slicePage(all, page, (m) => m.sid);
    return sendJson(reply, 200, page2010('messages', slice, page, `${pathOf(request).replace(/\.json$/, '')}.json`, filters, (m) => m.sid, renderMessage));
  });

  app.get<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    return sendJson(reply, 200, renderMessage(loadMessage(request, jsonSid(request, request.params.file))));
  });

  app.post<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const session = request.session;
    let message = loadForChange(ports, request, jsonSid(request, request.params.file));
    const form = formOf(request);
    const status = one(form, 'Status');
    if (status !== undefined) {
      if (status !== 'canceled') throw twilioError(21400, { param: 'Status', value: status });
      try {
        message = changeMessage(ports, session, message, { type: 'cancel' }, session.clock.now());
      } catch (err) {
        if (err instanceof InvalidTransition) throw twilioError(30409);
        throw err;
      }
    }
    const body = one(form, 'Body');
    if (body !== undefined) {
      if (body !== '') throw twilioError(21400, { param: 'Body', value: 'only an empty Body (redaction) is allowed' });
      message = { ...touched(message, session.clock.now()), body: '' };
      session.collection<MessageRecord>(MESSAGES).update(message);
    }
    return sendJson(reply, 200, renderMessage(message));
  });

  app.delete<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const message = loadForChange(ports, request, jsonSid(request, request.params.file));
    if (!TERMINAL.has(message.status)) throw twilioError(20009);
    request.session.collection<MessageRecord>(MESSAGES).delete(message.sid);
    return sendNoContent(reply);
  });

  app.get<{ Params: AccountParams & { sid: string } }>(`${base}/:sid/Media.json`, async (request, reply) => {
    const message = loadMessage(request, request.params.sid);
    const page = readPageRequest(queryOf(request));
    const slice = slicePage(message.media, page, (m) => m.sid);
    return sendJson(reply, 200, page2010('media_list', slice, page, pathOf(request), [], (m) => m.sid, (m) => renderMedia(message, m)));
  });

  app.get<{ Params: AccountParams & { sid: string; file: string } }>(`${base}/:sid/Media/:file`, async (request, reply) => {
    const message = loadMessage(request, request.params.sid);
    const mediaSid = jsonSid(request, request.params.file);
    const media = message.media.find((m) => m.sid === mediaSid);
    if (!media) throw notFound(pathOf(request));
    return sendJson(reply, 200, renderMedia(message, media));
  });

  app.delete<{ Params: AccountParams & { sid: string; file: string } }>(`${base}/:sid/Media/:file`, async (request, reply) => {
    const message = loadForChange(ports, request, request.params.sid);
    const mediaSid = jsonSid(request, request.params.file);
    if (!message.media.some((m) => m.sid === mediaSid)) throw notFound(pathOf(request));
    const next = { ...message, media: message.media.filter((m) => m.sid !== mediaSid) };
    request.session.collection<MessageRecord>(MESSAGES).update(next);
    return sendNoContent(reply);
  });
}
