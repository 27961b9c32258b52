/**
 * The Messages resource family: API routes, the scheduled timeline step, simulate events and the
 * recipient inbox on the control plane.
 */
import { MirraError } from '../../errors';
import type { MirraContext, ResourceModule } from '../../server/context';
import type { Session } from '../../session/session';
import { readInbox } from '../inbox';
import { toE164 } from '../phone';
import { applyMessageEffects, settleMessage, STEP_TASK } from './effects';
import { advance, InvalidTransition } from './lifecycle';
import { renderMessage } from './render';
import { messageRoutes } from './routes';
import { MESSAGES, type MessageRecord } from './types';

/** The scheduler's visit of a message's timeline: every step due by `at` applied and stored. */
function step(ctx: MirraContext, session: Session, ref: { sid: string }, at: number): void {
  const message = session.collection<MessageRecord>(MESSAGES).get(ref.sid);
  if (message) settleMessage(ctx, session, message, at, true); // else deleted meanwhile
}

/** `message.sent|delivered|failed|undelivered` with `messageId` (and `errorCode`). */
function forceStatus(status: 'sent' | 'delivered' | 'failed' | 'undelivered') {
  return (ctx: MirraContext, session: Session, body: Record<string, unknown>) => {
    const sid = String(body.messageId ?? body.sid ?? '');
    const stored = session.collection<MessageRecord>(MESSAGES).get(sid);
    if (!stored) throw new MirraError('MIRRA_ERR_NOT_FOUND', `message ${sid}`);
    const errorCode = body.errorCode === undefined ? undefined : Number(body.errorCode);
    if (errorCode !== undefined && !Number.isInteger(errorCode)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'errorCode is an integer');
    const message = settleMessage(ctx, session, stored, session.clock.now());
    try {
      const { next, effects } = advance(message, { type: 'force', status, errorCode }, session.clock.now());
      ctx.scheduler.cancel(session, STEP_TASK, (ref: { sid: string }) => ref.sid === sid);
      applyMessageEffects(ctx, session, next, effects);
      return renderMessage(next);
    } catch (err) {
      if (err instanceof InvalidTransition) throw new MirraError('MIRRA_ERR_INVALID_TRANSITION', err.message);
      throw err;
    }
  };
}

/** The Messages module. */
export const messagesModule: ResourceModule = {
  name: 'messages',
  routes: (app, ctx) => messageRoutes(app, ctx),
  tasks: { [STEP_TASK]: step },
  simulate: {
    'message.sent': forceStatus('sent'),
    'message.delivered': forceStatus('delivered'),
    'message.failed': forceStatus('failed'),
    'message.undelivered': forceStatus('undelivered'),
  },
  control: async (app) => {
    app.get<{ Querystring: { to?: string; session?: string } }>('/_mirra/messages', async (request) => {
      const to = request.query.to ? (toE164(request.query.to) ?? request.query.to) : undefined;
      const items = readInbox(request.session, to, ['sms', 'mms', 'whatsapp']);
      return { messages: items.map((i) => ({ sid: i.sourceSid, to: i.to, from: i.from, body: i.body, channel: i.channel, media_urls: i.mediaUrls, received_at: new Date(i.receivedAt).toISOString() })) };
    });
  },
};
