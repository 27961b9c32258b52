/**
 * IncomingPhoneNumbers API routes (2010): buy, list, fetch, update, release, and the typed
 * Local/Mobile/TollFree lists. Routes parse, call the model, render.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendJson, sendNoContent } from '../reply';
import { notFound } from '../errors';
import { one, type Params } from '../form';
import { formOf, jsonSid, pathOf, queryOf } from '../http';
import { page2010, readPageRequest, slicePage } from '../pagination';
import { buyNumber, releaseNumber, updateNumber } from './model';
import { renderIncomingNumber } from './render';
import { INCOMING_NUMBERS, type IncomingNumberRecord, type NumberType } from './types';

type AccountParams = { AccountSid: string };

/** The typed sub-lists, whose schemas lack `type`. */
const TYPED: Record<string, NumberType> = { 'Local.json': 'local', 'Mobile.json': 'mobile', 'TollFree.json': 'tollfree' };

function loadNumber(request: FastifyRequest, sid: string): IncomingNumberRecord {
  const n = request.session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).get(sid);
  if (!n) throw notFound(pathOf(request));
  return n;
}

/**
 * `PhoneNumber` filter: partial numbers with `*` for any digit; with a leading `+` it is a prefix of
 * the E.164 number (real traffic: `PhoneNumber=+45`), without one it may match anywhere.
 */
function phoneNumberMatcher(value: string): (e164: string) => boolean {
  const cleaned = value.replace(/[\s().-]/g, '');
  const body = cleaned.replace(/^\+/, '').replace(/[^0-9*]/g, '').replace(/\*/g, '\\d');
  const re = cleaned.startsWith('+') ? new RegExp('^\\+' + body) : new RegExp(body);
  return (e164) => re.test(e164);
}

/** The list filters (Beta, FriendlyName, PhoneNumber, Origin), echoed in paging URIs in query order. */
function readFilters(query: Params): { filters: [string, string][]; match: (n: IncomingNumberRecord) => boolean } {
  const filters: [string, string][] = [];
  const tests: ((n: IncomingNumberRecord) => boolean)[] = [];
  for (const key of Object.keys(query)) {
    const value = one(query, key);
    if (value === undefined) continue;
    if (key === 'PhoneNumber') {
      const matches = phoneNumberMatcher(value);
      tests.push((n) => matches(n.phoneNumber));
    } else if (key === 'FriendlyName') {
      tests.push((n) => n.friendlyName === value);
    } else if (key === 'Beta') {
      // Beta=false leaves beta numbers out; true (the default) includes them.
      if (value.toLowerCase() === 'false') tests.push((n) => !n.beta);
    } else if (key === 'Origin') {
      tests.push((n) => n.origin === value);
    } else {
      continue;
    }
    filters.push([key, value]);
  }
  return { filters, match: (n) => tests.every((t) => t(n)) };
}

/** Registers the IncomingPhoneNumbers routes. */
export async function incomingNumberRoutes(app: FastifyInstance): Promise<void> {
  const base = '/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers';

  const list = (type: NumberType | undefined) => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = queryOf(request);
    const page = readPageRequest(query);
    const { filters, match } = readFilters(query);
    const all = request.session
      .collection<IncomingNumberRecord>(INCOMING_NUMBERS)
      .list({ filter: (n) => (!type || n.type === type) && match(n) });
    // Real page tokens of this list are PAID/PBID + 32 hex (twilio-real-traffic.md §6).
    const tokenSid = (n: IncomingNumberRecord) => 'ID' + n.sid.slice(2);
    const slice = slicePage(all, page, tokenSid);
    const accountSid = request.session.accountSid;
    return sendJson(reply, 200, page2010('incoming_phone_numbers', slice, page, pathOf(request), filters, tokenSid, (n) => renderIncomingNumber(n, accountSid, !type)));
  };

  const buy = (type: NumberType | undefined) => async (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.session;
    const record = buyNumber(session, formOf(request), session.clock.now(), type);
    return sendJson(reply, 201, renderIncomingNumber(record, session.accountSid, !type));
  };

  app.get<{ Params: AccountParams }>(`${base}.json`, list(undefined));
  app.post<{ Params: AccountParams }>(`${base}.json`, buy(undefined));

  app.get<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const type = TYPED[request.params.file];
    if (type) return list(type)(request, reply);
    const n = loadNumber(request, jsonSid(request, request.params.file));
    return sendJson(reply, 200, renderIncomingNumber(n, request.session.accountSid));
  });

  app.post<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const type = TYPED[request.params.file];
    if (type) return buy(type)(request, reply);
    const session = request.session;
    const n = loadNumber(request, jsonSid(request, request.params.file));
    const next = updateNumber(session, n, formOf(request), session.clock.now());
    return sendJson(reply, 200, renderIncomingNumber(next, session.accountSid));
  });

  app.delete<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const n = loadNumber(request, jsonSid(request, request.params.file));
    releaseNumber(request.session, n);
    return sendNoContent(reply);
  });
}
