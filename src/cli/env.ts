/**
 * `mirra env`: prints the environment of a running mirror (from `--url`, else the mirror recorded in
 * `--data-dir`, else http://127.0.0.1:4010) as shell `export` lines, dotenv or JSON.
 */
import type { CommandModule } from 'yargs';
import { toShell } from '../server/env';
import { readRunInfo } from './run-file';

interface EnvArgs {
  url?: string;
  dataDir: string;
  session?: string;
  format: string;
  token?: string;
}

export const envCommand: CommandModule<object, EnvArgs> = {
  command: 'env',
  describe: 'Print the environment that routes an unchanged SDK to a running mirror',
  builder: (y) =>
    y
      .option('url', { type: 'string', describe: 'Base URL of the mirror' })
      .option('data-dir', { type: 'string', default: '.mirra', describe: 'Data dir of the mirror (to find its URL)' })
      .option('session', { type: 'string', describe: 'Session id (default session when omitted)' })
      .option('format', { type: 'string', default: 'sh', choices: ['sh', 'dotenv', 'json'] })
      .option('token', { type: 'string', describe: "The mirror's token, when it listens beyond loopback (else $MIRRA_TOKEN)" }) as never,
  handler: async (argv) => {
    const url = argv.url ?? readRunInfo(argv.dataDir)?.url ?? 'http://127.0.0.1:4010';
    const query = argv.session ? `?session=${encodeURIComponent(argv.session)}` : '';
    let res: Response;
    try {
      const token = argv.token ?? process.env.MIRRA_TOKEN;
      res = await fetch(`${url}/_mirra/env${query}`, { headers: token ? { 'x-mirra-token': token } : {} });
    } catch {
      process.stderr.write(`mirra: no mirror answers at ${url}; start one with \`npx mirra up\` (or pass --url)\n`);
      process.exit(1);
    }
    const body = (await res.json()) as Record<string, string>;
    if (!res.ok) {
      process.stderr.write(`mirra: ${JSON.stringify(body)}\n`);
      process.exit(1);
    }
    if (argv.format === 'json') process.stdout.write(JSON.stringify(body, null, 2) + '\n');
    else if (argv.format === 'dotenv') process.stdout.write(Object.entries(body).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    else process.stdout.write(toShell(body) + '\n');
  },
};
