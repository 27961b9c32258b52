/**
 * What the CLI prints when a command fails: mirra's own errors are named by their code and already
 * end with their fix (see src/errors.ts), so a script can tell them apart; the system errors a user meets most (a port in use, a directory not writable)
 * and yargs' usage errors get one here, so no failure ends without saying what to do.
 */
import { MirraError } from '../errors';

/** Fixes for system error codes, by `code`. */
const SYSTEM_FIXES: Record<string, string> = {
  EADDRINUSE: 'another process (perhaps another mirra) listens there: stop it, or pick another port with --port N (0 picks a free one)',
  EADDRNOTAVAIL: '--host names an address this machine does not have: use 127.0.0.1, or one of `ip addr`',
  EACCES: 'the port needs privileges (use one above 1023) or the path is not writable (point --data-dir at a writable directory, or use --ephemeral)',
  EPERM: 'the path is not writable: point --data-dir at a writable directory, or use --ephemeral',
  EROFS: 'the file system is read-only: point --data-dir at a writable directory, or use --ephemeral',
  ENOSPC: 'the disk is full: free space, or use --ephemeral',
};

/** The line to print for a failed command: `msg` from yargs, or the error thrown. */
export function failureMessage(msg: string | undefined, err: Error | undefined): string {
  if (err instanceof MirraError) return `${err.code}: ${err.message}`;
  // A `.check()` that returns its complaint hands yargs a string: a usage message like yargs' own.
  if (err && !(err instanceof Error)) return failureMessage(msg ?? String(err), undefined);
  if (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const fix = code ? SYSTEM_FIXES[code] : undefined;
    return fix ? `${err.message}. Fix: ${fix}.` : err.message;
  }
  // yargs' own messages: an unknown option, a missing argument, no command.
  const text = msg ?? 'the command failed';
  return /mirra (up|--help)|--help/.test(text) ? text : `${text} Fix: see \`mirra --help\` (or \`mirra <command> --help\`).`;
}
