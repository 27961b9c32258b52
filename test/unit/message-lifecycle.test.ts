import { advance, canMove, catchUp, InvalidTransition, lastStepAt, nextStepAt, planTimeline, priceFor, touched, viewAt } from '../../src/twilio/messages/lifecycle';
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

  it('counts the next step from the current one and fills the inbox on delivery', () => {
    const { next } = advance(message(), { type: 'step' }, 10);
    expect(nextStepAt(next)).toBe(30);
    const last = advance(message({ status: 'sent', plan: [{ status: 'delivered', afterMs: 5 }] }), { type: 'step' }, 99);
    expect(last.effects).toContainEqual({ type: 'inbox' });
  });

  it('takes a reported status (a replayed callback) along the same path, without telling the app again', () => {
    const { next, effects } = advance(message(), { type: 'report', status: 'delivered' }, 7);
    expect(next.status).toBe('delivered');
    expect(effects).toEqual([
      { type: 'entered', status: 'sending' },
      { type: 'entered', status: 'sent' },
      { type: 'entered', status: 'delivered' },
      { type: 'inbox' },
    ]);
    expect(advance(next, { type: 'report', status: 'delivered' }, 8)).toEqual({ next, effects: [] });
    expect(() => advance(next, { type: 'report', status: 'queued' }, 9)).toThrow(InvalidTransition);
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

  describe('status derived from the plan and the clock', () => {
    it('is what stepping at each due time gives, at any instant', () => {
      // Stepping one task at a time (the old scheduler) and deriving at once must agree everywhere.
      for (const now of [0, 9, 10, 29, 30, 59, 60, 1000]) {
        let stepped = message();
        for (let at = nextStepAt(stepped); at !== null && at <= now; at = nextStepAt(stepped)) stepped = advance(stepped, { type: 'step' }, at).next;
        expect(viewAt(message(), now)).toEqual(stepped);
      }
      const early = message();
      expect(viewAt(early, 9)).toBe(early); // nothing due: the record itself, no copy
    });

    it('reports each transition with its own instant and effects', () => {
      const { next, transitions } = catchUp(message({ statusCallback: null }), 60);
      expect(transitions.map((t) => [t.next.status, t.next.dateUpdated])).toEqual([['sending', 10], ['sent', 30], ['delivered', 60]]);
      expect(transitions.map((t) => t.effects[0])).toEqual([{ type: 'callback', status: 'sending' }, { type: 'callback', status: 'sent' }, { type: 'callback', status: 'delivered' }]);
      expect(transitions[2].effects).toContainEqual({ type: 'inbox' });
      expect(next.status).toBe('delivered');
      expect(next.plan).toEqual([]);
      expect(next.dateSent).toBe(30);
    });

    it('knows when the next and the last step fall due', () => {
      expect(nextStepAt(message())).toBe(10);
      expect(lastStepAt(message())).toBe(60);
      expect(nextStepAt(message({ status: 'delivered' }))).toBeNull();
      expect(lastStepAt(message({ plan: [] }))).toBeNull();
      // After a step, the rest counts from it: the last step does not move.
      expect(lastStepAt(viewAt(message(), 35))).toBe(60);
    });

    it('keeps the plan where it was when something else touches the message', () => {
      const redacted = { ...touched(viewAt(message(), 12), 25), body: '' };
      expect(redacted.dateUpdated).toBe(25);
      expect(nextStepAt(redacted)).toBe(30);
      expect(lastStepAt(redacted)).toBe(60);
      expect(viewAt(redacted, 30).status).toBe('sent');
      expect(viewAt(redacted, 30).planFrom).toBeUndefined();
    });

    it('drops a plan that no longer fits the status instead of failing the read', () => {
      const moved = message({ status: 'delivered', plan: [{ status: 'sent', afterMs: 1 }] });
      expect(viewAt(moved, 100)).toBe(moved); // terminal: nothing is due
      const odd = message({ status: 'queued', plan: [{ status: 'delivered', afterMs: 1 }] });
      const { next } = catchUp(odd, 100);
      expect(next.status).toBe('queued');
      expect(next.plan).toEqual([]);
    });
  });
});
