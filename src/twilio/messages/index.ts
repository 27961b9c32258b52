/**
 * The Messages resource family (2010 `Messages.json`): API routes, the scheduled timeline visit,
 * the simulate events, what a served recording does to its state and how its callbacks read in
 * the inspector.
 */
import type { Delivery } from '../../callbacks/dispatcher';
import type { DeliveryView, ResourceModule } from '../../core/resource-module';
import { MirraError } from '../../errors';
import type { Session } from '../../session/session';
import { changeMessage, recoverVisits, settleMessage, STEP_TASK, visitMessage, type MessagePorts } from './effects';
import { InvalidTransition, viewAt } from './lifecycle';
import { renderMessage } from './render';
import { messageReplay } from './replay';
import { messageRoutes } from './routes';
import { messageCodec } from './stored';
import { MESSAGES, type MessageRecord } from './types';

/** How a message's status callback reads in the inspector: placed right after the transition it reports. */
export function statusCallbackView(d: Delivery): DeliveryView {
  const status = d.params.MessageStatus;
  const text = Array.isArray(status) ? status[0] : status;
  const sid = d.refs?.messageSid;
  return { type: 'callback', label: `status callback${text ? ` (${text})` : ''}`, anchor: sid && text ? { sid, status: text } : undefined };
}

/** `message.sent|delivered|failed|undelivered` with `messageId` (and `errorCode`). */
function forceStatus(ports: MessagePorts, status: 'sent' | 'delivered' | 'failed' | 'undelivered') {
  return (session: Session, body: Record<string, unknown>) => {
    const sid = String(body.messageId ?? body.sid ?? '');
    const stored = session.collection<MessageRecord>(MESSAGES).get(sid);
    if (!stored) throw new MirraError('MIRRA_ERR_NOT_FOUND', `message ${sid}`);
    const errorCode = body.errorCode === undefined ? undefined : Number(body.errorCode);
    if (errorCode !== undefined && !Number.isInteger(errorCode)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'errorCode is an integer');
    const now = session.clock.now();
    try {
      return renderMessage(changeMessage(ports, session, settleMessage(ports, session, stored, now), { type: 'force', status, errorCode }, now));
    } catch (err) {
      if (err instanceof InvalidTransition) throw new MirraError('MIRRA_ERR_INVALID_TRANSITION', err.message);
      throw err;
    }
  };
}

/** The Messages module. */
export function messagesResource(ports: MessagePorts): ResourceModule {
  return {
    name: 'messages',
    domains: ['api'],
    codecs: { [MESSAGES]: messageCodec },
    routes: (api) => messageRoutes(api, ports),
    derivedTasks: {
      [STEP_TASK]: { run: (session, ref, at) => visitMessage(ports, session, ref, at), recover: recoverVisits },
    },
    simulate: {
      'message.sent': forceStatus(ports, 'sent'),
      'message.delivered': forceStatus(ports, 'delivered'),
      'message.failed': forceStatus(ports, 'failed'),
      'message.undelivered': forceStatus(ports, 'undelivered'),
    },
    replay: messageReplay(ports),
    inspect: {
      deliveries: { 'status-callback': statusCallbackView },
      detail: {
        messages: (session, sid) => {
          const stored = session.collection<MessageRecord>(MESSAGES).get(sid);
          return stored ? renderMessage(viewAt(stored, session.clock.now())) : undefined;
        },
      },
    },
  };
}
