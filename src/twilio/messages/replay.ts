/**
 * What a served recording does to Messages' state (the replay hooks). Replayed messages become
 * the emulator's MessageRecords (created, fetched, listed, updated), a replayed delete removes one,
 * and a replayed status callback moves its message's status through the lifecycle, so a
 * later fetch or list of the emulator agrees with what the replay served and sent. With recorded
 * callbacks a replayed message has no timeline of its own (the callbacks are its timeline); a
 * cassette recorded without callbacks gives a new message the emulator's timeline instead, trimmed
 * whenever a served representation shows it further along.
 */
import type { ApplyContext, CallbackClaim, ReplayHooks, ServedAnswer } from '../../core/resource-module';
import type { Session } from '../../session/session';
import type { FormParams } from '../../signing/signature';
import { dateOf, isObject, isSuccess, listItems } from '../representation';
import { newSid, SID_PREFIX } from '../sid';
import { changeMessage, scheduleTimeline, settleMessage, type MessagePorts } from './effects';
import { InvalidTransition, planTimeline } from './lifecycle';
import { DEFAULT_TIMELINE, outcomeFor } from './model';
import { contentTypeOf } from './render';
import { MESSAGES, TERMINAL, type MediaRecord, type MessageDirection, type MessageRecord, type MessageStatus, type PlannedStep } from './types';

type Served = ServedAnswer;

const LIST = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/;
const ONE = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\/((?:SM|MM)[0-9a-f]{32})\.json$/;

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function mediaFor(json: Record<string, unknown>, prev: MessageRecord | undefined, served: Served): MediaRecord[] {
  const count = Number(json.num_media ?? prev?.media.length ?? 0) || 0;
  if (prev && prev.media.length === count) return prev.media;
  const urls = served.form.filter(([k]) => k === 'MediaUrl' || k === 'MediaUrl[]').map(([, v]) => v);
  const media: MediaRecord[] = [];
  for (let i = 0; i < count; i++) {
    const url = urls[i] ?? prev?.media[i]?.url ?? '';
    media.push(prev?.media[i] ?? { sid: newSid(SID_PREFIX.media), contentType: contentTypeOf(url), url, dateCreated: served.now });
  }
  return media;
}

/** A MessageRecord from a served message representation (keeping what only the emulator knows). */
export function messageFromJson(json: Record<string, unknown>, prev: MessageRecord | undefined, served: Served): MessageRecord {
  const created = dateOf(json.date_created, prev?.dateCreated ?? served.now);
  const statusCallback = served.method === 'POST' && LIST.test(served.path) ? served.form.find(([k]) => k === 'StatusCallback')?.[1] : undefined;
  return {
    sid: String(json.sid),
    accountSid: str(json.account_sid) ?? prev?.accountSid ?? session0(served),
    to: str(json.to) ?? prev?.to ?? '',
    from: str(json.from),
    senderOnQueue: prev?.senderOnQueue ?? null,
    messagingServiceSid: str(json.messaging_service_sid),
    body: str(json.body) ?? prev?.body ?? '',
    status: (str(json.status) ?? prev?.status ?? 'queued') as MessageStatus,
    direction: (str(json.direction) ?? prev?.direction ?? 'outbound-api') as MessageDirection,
    numSegments: Number(json.num_segments ?? prev?.numSegments ?? 1) || 0,
    price: str(json.price),
    priceUnit: str(json.price_unit),
    errorCode: typeof json.error_code === 'number' ? json.error_code : json.error_code ? Number(json.error_code) : null,
    errorMessage: str(json.error_message),
    dateCreated: created,
    dateUpdated: dateOf(json.date_updated, created),
    dateSent: dateOf(json.date_sent, null),
    statusCallback: statusCallback ?? prev?.statusCallback ?? null,
    media: mediaFor(json, prev, served),
    plan: [],
  };
}

function session0(served: Served): string {
  return /\/Accounts\/(AC[0-9a-f]{32})\//.exec(served.path)?.[1] ?? '';
}

/**
 * The emulator's timeline for a replayed message (synthesised callbacks): new, or trimmed to its
 * status. `planned` says the message has a plan to visit once it is stored.
 */
function withTimeline(session: Session, next: MessageRecord, prev: MessageRecord | undefined, created: boolean, served: Served): { record: MessageRecord; planned: boolean } {
  if (TERMINAL.has(next.status)) return { record: { ...next, plan: [] }, planned: false };
  let plan: PlannedStep[];
  if (prev) {
    const i = prev.plan.findIndex((s) => s.status === next.status);
    plan = i === -1 ? prev.plan : prev.plan.slice(i + 1);
    if (plan.length === 0) return { record: { ...next, plan }, planned: false };
  } else {
    if (!created) return { record: next, planned: false };
    const seed = session.seed.messages ?? {};
    plan = planTimeline((seed.timeline ?? DEFAULT_TIMELINE) as PlannedStep[], outcomeFor(seed.outcomes, next.to), next.status === 'accepted');
  }
  // The plan counts from the moment the answer was served, whatever date the recording shows.
  return { record: { ...next, plan, planFrom: served.now }, planned: true };
}

function upsert(ports: MessagePorts, session: Session, json: Record<string, unknown>, served: Served, ctx: ApplyContext, created: boolean): void {
  if (typeof json.sid !== 'string') return;
  const messages = session.collection<MessageRecord>(MESSAGES);
  const prev = messages.get(json.sid);
  const next = messageFromJson(json, prev, served);
  if (!ctx.synthesiseCallbacks) {
    messages.update(next);
    return;
  }
  const { record, planned } = withTimeline(session, next, prev, created, served);
  messages.update(record);
  if (planned) scheduleTimeline(ports, session, record);
}

/** Applies a served Messages response; false when the route is not Messages'. */
function applyMessage(ports: MessagePorts, session: Session, served: Served, ctx: ApplyContext): boolean {
  const one = ONE.exec(served.path);
  if (!one && !LIST.test(served.path)) return false;
  const messages = session.collection<MessageRecord>(MESSAGES);
  if (one && (served.status === 404 || (served.method === 'DELETE' && isSuccess(served.status)))) {
    messages.delete(one[1]);
    return true;
  }
  if (!isSuccess(served.status)) return true;
  if (!one && served.method === 'GET') listItems(served.body, 'messages').forEach((m) => upsert(ports, session, m, served, ctx, false));
  else if (isObject(served.body)) upsert(ports, session, served.body, served, ctx, !one && served.method === 'POST');
  return true;
}

/**
 * A replayed status callback (`MessageSid` + `MessageStatus`) about a message of the session: its
 * status moves through the lifecycle (a report the state machine refuses — an older status
 * arriving late — leaves it as it is); the callback itself goes out as the recording has it.
 */
function applyCallback(ports: MessagePorts, session: Session, params: FormParams, at: number): CallbackClaim | undefined {
  const pick = (k: string) => (Array.isArray(params[k]) ? (params[k] as string[])[0] : (params[k] as string | undefined));
  const sid = pick('MessageSid') ?? pick('SmsSid');
  if (!sid) return undefined;
  const claim: CallbackClaim = { kind: 'status-callback', orderKey: sid, refs: { messageSid: sid } };
  const status = pick('MessageStatus') ?? pick('SmsStatus');
  const stored = session.collection<MessageRecord>(MESSAGES).get(sid);
  if (!stored || !status) return claim;
  const errorCode = pick('ErrorCode');
  try {
    const settled = settleMessage(ports, session, stored, at);
    // A service message's sender shows first in its callbacks when the recording has no timeline.
    const message = settled.from === null && pick('From') ? { ...settled, from: pick('From')! } : settled;
    changeMessage(ports, session, message, { type: 'report', status: status as MessageStatus, errorCode: errorCode === undefined ? undefined : Number(errorCode) }, at);
  } catch (err) {
    if (!(err instanceof InvalidTransition)) throw err;
  }
  return claim;
}

/** Messages' replay hooks. */
export function messageReplay(ports: MessagePorts): ReplayHooks {
  return {
    apply: (session, served, ctx) => applyMessage(ports, session, served, ctx),
    callback: (session, params, at) => applyCallback(ports, session, params, at),
  };
}
