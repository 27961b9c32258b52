/**
 * The `mirra` command line (yargs): one file per command. Every run loads all of them (yargs needs
 * their builders), so each requires what its handler runs (the mirror, the recorder, cassette tools)
 * inside the handler: `mirra up` must be healthy well within half a second (issue #6).
 */
import yargs, { type CommandModule } from 'yargs';
import { cassettesCommand } from './cassettes';
import { envCommand } from './env';
import { failureMessage, type CommandTree } from './failure';
import { recordCommand } from './record';
import { replayCommand } from './replay';
import { seedsCommand } from './seeds';
import { trustCommand } from './trust';
import { upCommand } from './up';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

const COMMANDS: AnyCommand[] = [upCommand, replayCommand, recordCommand, cassettesCommand, envCommand, seedsCommand, trustCommand];

/** A command's name: the first word of its `command` string (`cassettes <command>` → cassettes). */
function nameOf(command: unknown): string {
  const spec = typeof command === 'string' ? command : (command as AnyCommand | undefined)?.command;
  return String(Array.isArray(spec) ? spec[0] : (spec ?? '')).split(' ')[0];
}

/**
 * The subcommands a command's builder declares, found by running the builder against a stand-in
 * that records its `.command()` calls and answers every other call with itself: yargs has no public
 * way to list them, and a failure message should name them (issue #15).
 */
function subcommandsOf(mod: AnyCommand): string[] {
  if (typeof mod.builder !== 'function') return [];
  const names: string[] = [];
  const stand: unknown = new Proxy(() => undefined, {
    get: (_target, prop) =>
      prop === 'command'
        ? (sub: unknown) => {
            names.push(nameOf(sub));
            return stand;
          }
        : () => stand,
  });
  try {
    (mod.builder as (y: unknown) => unknown)(stand);
  } catch {
    // A builder that needs the real yargs declares no subcommands we can list.
  }
  return names;
}

/** Every command with its subcommands, for failure messages. */
function commandTree(): CommandTree {
  return new Map(COMMANDS.map((c) => [nameOf(c), subcommandsOf(c)]));
}

/** Runs the CLI with `argv` (without node and script). */
export function main(argv: string[]): void {
  let cli = yargs(argv).scriptName('mirra').parserConfiguration({ 'populate--': true });
  for (const command of COMMANDS) cli = cli.command(command);
  void cli
    .demandCommand(1, 'Name a command (try `mirra up`).')
    .strict()
    .help()
    .fail((msg, err) => {
      process.stderr.write(`mirra: ${failureMessage(msg, err, { argv, commands: commandTree() })}\n`);
      process.exit(2);
    })
    .parseAsync();
}
