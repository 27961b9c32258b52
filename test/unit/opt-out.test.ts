/**
 * Opt-outs answered from memory when no pair could be opted out (issue #14: every create asks):
 * a STOP stored by an earlier run is still honoured, a START ends it, a STOP now starts it.
 */
import { initialClockState, realTime } from '../../src/clock';
import { Session, type SessionRecord } from '../../src/session/session';
import { MemoryStore } from '../../src/store/memory-store';
import { isOptedOut, setOptOut } from '../../src/twilio/messages/opt-out';

const record = { id: 's1', accountSid: 'AC1', clock: initialClockState() } as SessionRecord;
const NUMBER = '+15555550123';
const SERVICE = 'MG00000000000000000000000000000001';
const PHONE = '+15551230000';

describe('opt-outs', () => {
  it('honours a STOP stored before the session object existed (a restarted mirror), and START', () => {
    const store = new MemoryStore();
    setOptOut(new Session(record, store, realTime, null), NUMBER, PHONE, true);
    const restarted = new Session(record, store, realTime, null);
    expect(isOptedOut(restarted, NUMBER, PHONE, null)).toBe(true);
    expect(isOptedOut(restarted, NUMBER, '+15551239999', null)).toBe(false);
    setOptOut(restarted, NUMBER, PHONE, false);
    expect(isOptedOut(restarted, NUMBER, PHONE, null)).toBe(false);
    expect(isOptedOut(new Session(record, store, realTime, null), NUMBER, PHONE, null)).toBe(false);
  });

  it('sees a STOP made after its first answer, from a number or its service', () => {
    const session = new Session(record, new MemoryStore(), realTime, null);
    expect(isOptedOut(session, NUMBER, PHONE, SERVICE)).toBe(false);
    setOptOut(session, SERVICE, PHONE, true);
    expect(isOptedOut(session, NUMBER, PHONE, SERVICE)).toBe(true);
    expect(isOptedOut(session, NUMBER, PHONE, null)).toBe(false);
    setOptOut(session, NUMBER, PHONE, true);
    expect(isOptedOut(session, NUMBER, PHONE, null)).toBe(true);
  });
});
