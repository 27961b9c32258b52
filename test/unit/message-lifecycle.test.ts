import { advance, canMove, InvalidTransition, planTimeline, priceFor } from '../../src/twilio/messages/lifecycle';
import type { MessageRecord } from '../../src/twilio/messages/types';

function message(over: Partial<MessageRecord> = {}): MessageRecord {
  return {
    sid: 'SM' + '0'.repeat(32), accountSid: 'AC' + '0'.repeat(32), to: '+15551230000', from: '+15555550123', senderOnQueue: null,
    messagingServiceSid: null, body: 'hi', status: 'queued', direction: 'outbound-api', numSegments: 2, price: null, priceUnit: 'USD',
    errorCode: null, errorMessage: null, dateCreated: 0, dateUpdated: 0, dateSent: null, statusCallback: 'http://cb', media: [],
    plan: [{ status: 'sending', afterMs: 10 }, { status: 'sent', afterMs: 20 }, { status: 'delivered', afterMs: 30 }], ...over,
  };
}

describe('message lifecycle', () => {
  it('steps along the plan, scheduling each next step and emitting a callback per transition', () => {
    let m = message();
    const seen: string[] = [];
    for (const at of [10, 30, 60]) {
      const { next, effects } = advance(m, { type: 'step' }, at);
      seen.push(next.status);
      expect(effects[0]).toEqual({ type: 'callback', status: next.status });
      m = next;
    }
    expect(seen).toEqual(['sending', 'sent', 'delivered']);
    expect(m.dateSent).toBe(30);
    expect(m.price).toBe(priceFor(2));
    expect(m.price).toBe('-0.01580');
    expect(m.plan).toEqual([]);
  });

  it('schedules the next step relative to the current one and fills the inbox on delivery', () => {
    const { effects } = advance(message(), { type: 'step' }, 10);
    expect(effects).toContainEqual({ type: 'schedule', at: 30 });
    const last = advance(message({ status: 'sent', plan: [{ status: 'delivered', afterMs: 5 }] }), { type: 'step' }, 99);
    expect(last.effects).toContainEqual({ type: 'inbox' });
  });

  it('forces an outcome through the intermediate statuses', () => {
    const { next, effects } = advance(message(), { type: 'force', status: 'undelivered', errorCode: 30005 }, 7);
    expect(effects.filter((e) => e.type === 'callback').map((e) => (e as { status: string }).status)).toEqual(['sending', 'sent', 'undelivered']);
    expect(next.errorCode).toBe(30005);
    expect(next.errorMessage).toBe('Unknown destination handset');
    expect(next.plan).toEqual([]);
  });

  it('defaults error codes: undelivered 30003, failed 30008', () => {
    expect(advance(message(), { type: 'force', status: 'undelivered' }, 1).next.errorCode).toBe(30003);
    expect(advance(message(), { type: 'force', status: 'failed' }, 1).next.errorCode).toBe(30008);
  });

  it('refuses impossible transitions', () => {
    expect(() => advance(message({ status: 'delivered' }), { type: 'force', status: 'failed' }, 1)).toThrow(InvalidTransition);
    expect(() => advance(message(), { type: 'cancel' }, 1)).toThrow(InvalidTransition);
    expect(canMove('sent', 'failed')).toBe(false);
    expect(canMove('scheduled', 'canceled')).toBe(true);
  });

  it('reveals the pool sender when a service message is queued', () => {
    const m = message({ status: 'accepted', from: null, senderOnQueue: '+14155550101', numSegments: 0, plan: [{ status: 'queued', afterMs: 0 }] });
    const { next } = advance(m, { type: 'step' }, 1);
    expect(next.from).toBe('+14155550101');
    expect(next.numSegments).toBe(1);
  });

  it('plans outcomes from seed rules', () => {
    const steps = [{ status: 'sending' as const, afterMs: 1 }, { status: 'sent' as const, afterMs: 2 }, { status: 'delivered' as const, afterMs: 3 }];
    expect(planTimeline(steps, { status: 'failed', errorCode: 30007 }, false)).toEqual([{ status: 'sending', afterMs: 1 }, { status: 'failed', afterMs: 2, errorCode: 30007 }]);
    expect(planTimeline(steps, { status: 'undelivered' }, false).map((s) => s.status)).toEqual(['sending', 'sent', 'undelivered']);
    expect(planTimeline(steps, { status: 'sent' }, false).map((s) => s.status)).toEqual(['sending', 'sent']);
    expect(planTimeline(steps, undefined, true)[0]).toEqual({ status: 'queued', afterMs: 0 });
  });
});
