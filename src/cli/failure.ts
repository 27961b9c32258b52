/**
 * What the CLI prints when a command fails: mirra's own errors are named by their code and already
 * end with their fix (see src/errors.ts), so a script can tell them apart; the system errors a user
 * meets most (a port in use, a directory not writable) and yargs' usage errors get one here, so no
 * failure ends without saying what to do. yargs' usage errors are reworded for the command they
 * concern: an unknown command is named with the commands there are (not "Not enough non-option
 * arguments"), an unknown flag once, as typed.
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
  ENOTDIR: 'a path names a file where a directory is needed: point --data-dir (or --ca-dir) at a directory',
  EEXIST: 'a path names a file where a directory is needed: point --data-dir (or --ca-dir) at a directory',
};

/** The commands of the CLI: each top-level name with its subcommands (none for most). */
export type CommandTree = ReadonlyMap<string, readonly string[]>;

/** What a failure message may say about where it happened: the words typed and the commands there are. */
export interface FailureContext {
  argv: readonly string[];
  commands: CommandTree;
}

/** The command words at the start of `argv` (up to the first flag or `--`). */
function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  return words;
}

/** The known command `argv` names (`mirra`, `mirra up`, `mirra cassettes list`), for help pointers. */
function commandPath(argv: readonly string[], commands: CommandTree): string {
  const [first, second] = commandWords(argv);
  if (!first || !commands.has(first)) return 'mirra';
  return (commands.get(first) ?? []).includes(second) ? `mirra ${first} ${second}` : `mirra ${first}`;
}

/**
 * An unknown or missing command in the words typed, said with the commands there are; undefined
 * when the words name known commands all the way down.
 */
function commandProblem(argv: readonly string[], commands: CommandTree): string | undefined {
  const [first, second] = commandWords(argv);
  const top = [...commands.keys()];
  if (first === undefined) return undefined;
  if (!commands.has(first)) return `unknown command \`mirra ${first}\`: the commands are ${top.join(', ')}. Fix: run one of them (\`mirra --help\` says what each does).`;
  const subs = commands.get(first) ?? [];
  if (subs.length === 0) return undefined;
  if (second === undefined) return `\`mirra ${first}\` needs a command: ${subs.join(', ')}. Fix: run one of them (\`mirra ${first} --help\` says what each does).`;
  if (!subs.includes(second)) {
    return `unknown command \`mirra ${first} ${second}\`: the commands of \`mirra ${first}\` are ${subs.join(', ')}. Fix: run one of them (\`mirra ${first} --help\` says what each does).`;
  }
  return undefined;
}

/** kebab-case → camelCase, as yargs expands flag names. */
function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** yargs' "Unknown argument(s): a, b" reworded: commands named as such, each flag once as typed. */
function unknownArguments(list: string, ctx: FailureContext): string | undefined {
  const names = list.split(', ').map((n) => n.trim());
  // yargs lists a flag's camelCase expansion beside it (bogus-flag, bogusFlag): keep the one typed.
  const typed = names.filter((n) => !names.some((other) => other !== n && camel(other) === n));
  const isFlag = (n: string) => ctx.argv.some((a) => a === `--${n}` || a.startsWith(`--${n}=`) || a === `-${n}` || a === `--no-${n}`);
  const flags = typed.filter(isFlag);
  if (flags.length === 0) return commandProblem(ctx.argv, ctx.commands);
  const path = commandPath(ctx.argv, ctx.commands);
  const shown = flags.map((f) => (f.length === 1 ? `-${f}` : `--${f}`)).join(', ');
  return `unknown option${flags.length > 1 ? 's' : ''} ${shown} for \`${path}\`. Fix: \`${path} --help\` lists its options.`;
}

/** The line to print for a failed command: `msg` from yargs, or the error thrown. */
export function failureMessage(msg: string | undefined, err: Error | undefined, ctx?: FailureContext): string {
  if (err instanceof MirraError) return `${err.code}: ${err.message}`;
  // A `.check()` that returns its complaint hands yargs a string: a usage message like yargs' own.
  if (err && !(err instanceof Error)) return failureMessage(msg ?? String(err), undefined, ctx);
  if (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const fix = code ? SYSTEM_FIXES[code] : undefined;
    return fix ? `${err.message}. Fix: ${fix}.` : err.message;
  }
  // yargs' own messages: an unknown option or command, a missing argument, no command.
  const text = msg ?? 'the command failed';
  if (ctx) {
    const unknown = /^Unknown (?:arguments?|command): (.+)$/.exec(text);
    const reworded = unknown ? unknownArguments(unknown[1], ctx) : /^Not enough non-option arguments/.test(text) ? commandProblem(ctx.argv, ctx.commands) : undefined;
    if (reworded) return reworded;
    if (/Fix: /.test(text)) return text;
    const path = commandPath(ctx.argv, ctx.commands);
    if (path !== 'mirra') return `${text}${/[.!?]$/.test(text) ? '' : '.'} Fix: see \`${path} --help\`.`;
  }
  return /mirra (up|--help)|--help|Fix: /.test(text) ? text : `${text} Fix: see \`mirra --help\` (or \`mirra <command> --help\`).`;
}
