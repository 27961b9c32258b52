/**
 * The `mirra` command line (yargs): one file per command. Every run loads all of them (yargs needs
 * their builders), so each requires what its handler runs (the mirror, the recorder, cassette tools)
 * inside the handler: `mirra up` must be healthy well within half a second (issue #6).
 */
import yargs from 'yargs';
import { cassettesCommand } from './cassettes';
import { envCommand } from './env';
import { failureMessage } from './failure';
import { recordCommand } from './record';
import { replayCommand } from './replay';
import { seedsCommand } from './seeds';
import { trustCommand } from './trust';
import { upCommand } from './up';

/** Runs the CLI with `argv` (without node and script). */
export function main(argv: string[]): void {
  void yargs(argv)
    .scriptName('mirra')
    .parserConfiguration({ 'populate--': true })
    .command(upCommand)
    .command(replayCommand)
    .command(recordCommand)
    .command(cassettesCommand)
    .command(envCommand)
    .command(seedsCommand)
    .command(trustCommand)
    .demandCommand(1, 'Name a command (try `mirra up`).')
    .strict()
    .help()
    .fail((msg, err) => {
      process.stderr.write(`mirra: ${failureMessage(msg, err)}\n`);
      process.exit(2);
    })
    .parseAsync();
}
