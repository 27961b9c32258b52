/**
 * Replayed messages become the emulator's MessageRecords (created, fetched, listed, updated), a
 * replayed delete removes one, and a replayed status callback moves its message's status, so a
 * later fetch or list of the emulator agrees with what the replay served and sent. With recorded
 * callbacks a replayed message has no timeline of its own (the callbacks are its timeline); a
 * cassette recorded without callbacks gives a new message the emulator's timeline instead, trimmed
 * whenever a served representation shows it further along.
 */
import type { Session } from '../session/session';
import type { FormParams } from '../signing/signature';
import { STEP_TASK, timelineVisitAt } from '../twilio/messages/effects';
import { planTimeline } from '../twilio/messages/lifecycle';
import { DEFAULT_TIMELINE, outcomeFor } from '../twilio/messages/model';
import { contentTypeOf } from '../twilio/messages/render';
import { MESSAGES, TERMINAL, type MediaRecord, type MessageDirection, type MessageRecord, type MessageStatus, type PlannedStep } from '../twilio/messages/types';
import { newSid, SID_PREFIX } from '../twilio/sid';
import { dateOf, isObject, isSuccess, listItems, type ApplyEnv, type Served } from './apply';

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

/** The emulator's timeline for a replayed message (synthesised callbacks): new, or trimmed to its status. */
function withTimeline(session: Session, next: MessageRecord, prev: MessageRecord | undefined, created: boolean, served: Served, env: ApplyEnv): MessageRecord {
  if (TERMINAL.has(next.status)) return { ...next, plan: [] };
  let plan: PlannedStep[];
  if (prev) {
    const i = prev.plan.findIndex((s) => s.status === next.status);
    plan = i === -1 ? prev.plan : prev.plan.slice(i + 1);
    if (plan.length === 0) return { ...next, plan };
  } else {
    if (!created) return next;
    const seed = session.seed.messages ?? {};
    plan = planTimeline((seed.timeline ?? DEFAULT_TIMELINE) as PlannedStep[], outcomeFor(seed.outcomes, next.to), next.status === 'accepted');
  }
  // The plan counts from the moment the answer was served, whatever date the recording shows.
  const planned: MessageRecord = { ...next, plan, planFrom: served.now };
  const visit = timelineVisitAt(planned);
  if (visit !== null) env.schedule(visit, STEP_TASK, { sid: next.sid });
  return planned;
}

function upsert(session: Session, json: Record<string, unknown>, served: Served, env: ApplyEnv, created: boolean): void {
  if (typeof json.sid !== 'string') return;
  const messages = session.collection<MessageRecord>(MESSAGES);
  const prev = messages.get(json.sid);
  let next = messageFromJson(json, prev, served);
  if (env.synthesiseCallbacks) next = withTimeline(session, next, prev, created, served, env);
  messages.update(next);
}

/** Applies a served Messages response; false when the route is not Messages'. */
export function applyMessage(session: Session, served: Served, env: ApplyEnv): boolean {
  const one = ONE.exec(served.path);
  if (!one && !LIST.test(served.path)) return false;
  const messages = session.collection<MessageRecord>(MESSAGES);
  if (one && (served.status === 404 || (served.method === 'DELETE' && isSuccess(served.status)))) {
    messages.delete(one[1]);
    return true;
  }
  if (!isSuccess(served.status)) return true;
  if (!one && served.method === 'GET') listItems(served.body, 'messages').forEach((m) => upsert(session, m, served, env, false));
  else if (isObject(served.body)) upsert(session, served.body, served, env, !one && served.method === 'POST');
  return true;
}

/** Applies a replayed status callback (`MessageSid` + `MessageStatus`) to its message. */
export function applyMessageCallback(session: Session, params: FormParams, at: number): void {
  const pick = (k: string) => (Array.isArray(params[k]) ? (params[k] as string[])[0] : (params[k] as string | undefined));
  const sid = pick('MessageSid') ?? pick('SmsSid');
  const status = pick('MessageStatus') ?? pick('SmsStatus');
  if (!sid || !status) return;
  const messages = session.collection<MessageRecord>(MESSAGES);
  const m = messages.get(sid);
  if (!m || m.status === status) return;
  const errorCode = pick('ErrorCode');
  messages.update({
    ...m,
    status: status as MessageStatus,
    dateUpdated: at,
    dateSent: m.dateSent ?? (['sent', 'delivered', 'undelivered', 'read'].includes(status) ? at : null),
    errorCode: errorCode !== undefined ? Number(errorCode) : m.errorCode,
    from: m.from ?? pick('From') ?? null,
  });
}
