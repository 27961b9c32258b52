/**
 * Issue #7 part 5: errors name the fix. Every MIRRA_ERR code has one (the type makes a missing one
 * fail to compile; this checks it says something), every MirraError message ends with it, a call
 * site may give a better one, and the CLI adds one to the system errors users meet most.
 */
import { MIRRA_ERROR_FIXES, MIRRA_ERRORS, MirraError, type MirraErrorCode } from '../../src/errors';
import { failureMessage } from '../../src/cli/failure';

describe('MirraError names the fix', () => {
  it.each(Object.keys(MIRRA_ERRORS) as MirraErrorCode[])('%s', (code) => {
    const fix = MIRRA_ERROR_FIXES[code];
    expect(fix.length).toBeGreaterThan(15);
    const err = new MirraError(code, 'what went wrong');
    expect(err.message).toBe(`${MIRRA_ERRORS[code].message}: what went wrong. Fix: ${fix}${/[.!?]$/.test(fix) ? '' : '.'}`);
    expect(err.toBody()).toMatchObject({ code, status: MIRRA_ERRORS[code].status, message: err.message });
    expect(err.fix).toBe(fix);
  });

  it('takes a call site’s own fix, and reads well without a detail', () => {
    expect(new MirraError('MIRRA_ERR_UNKNOWN_SESSION', 'jest-9', 'call useMirror() first').message).toBe('No such session: jest-9. Fix: call useMirror() first.');
    expect(new MirraError('MIRRA_ERR_PAYLOAD_TOO_LARGE').message).toBe('Request body too large. Fix: send a body under 1 MiB.');
  });
});

describe('CLI failures name the fix', () => {
  const sysErr = (code: string, message: string) => Object.assign(new Error(message), { code });

  it('for a port in use, an unwritable data dir, and usage mistakes', () => {
    expect(failureMessage(undefined, sysErr('EADDRINUSE', 'listen EADDRINUSE: address already in use 127.0.0.1:4010'))).toBe(
      'listen EADDRINUSE: address already in use 127.0.0.1:4010. Fix: another process (perhaps another mirra) listens there: stop it, or pick another port with --port N (0 picks a free one).',
    );
    expect(failureMessage(undefined, sysErr('EACCES', "EACCES: permission denied, mkdir '/x/.mirra'"))).toContain('Fix: the port needs privileges');
    expect(failureMessage('Unknown argument: prot', undefined)).toBe('Unknown argument: prot Fix: see `mirra --help` (or `mirra <command> --help`).');
    expect(failureMessage('Name a command (try `mirra up`).', undefined)).toBe('Name a command (try `mirra up`).');
  });

  it('names mirra’s own errors by their code and keeps their message (it carries the fix)', () => {
    const err = new MirraError('MIRRA_ERR_UNKNOWN_SEED', 'twilio:nope');
    expect(failureMessage(undefined, err)).toBe(`MIRRA_ERR_UNKNOWN_SEED: ${err.message}`);
    expect(err.message).toContain('Fix: use twilio:NAME with a built-in seed');
  });
});
