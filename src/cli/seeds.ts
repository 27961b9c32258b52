/**
 * `mirra seeds`: lists the built-in seeds.
 */
import type { CommandModule } from 'yargs';
import { listBuiltinSeeds } from '../seeds/seed';

export const seedsCommand: CommandModule = {
  command: 'seeds',
  describe: 'List the built-in seeds (use with --seed twilio:NAME)',
  handler: () => {
    for (const s of listBuiltinSeeds()) process.stdout.write(`twilio:${s.name.padEnd(18)} ${s.description}\n`);
  },
};
