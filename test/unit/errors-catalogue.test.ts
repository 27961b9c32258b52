/**
 * Errors are catalogues: every code the mirror can return is documented in the README, every
 * documented code exists, and every catalogued code is used somewhere in the source.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MIRRA_ERRORS } from '../../src/errors';
import { twilioModules } from '../../src/server/modules';
import '../../src/twilio/calls/errors'; // Calls' codes, until the calls module is registered
import { allTwilioErrorCodes } from '../../src/twilio/errors';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Codes in README table rows: `| 21211 | 400 | …`. */
function documentedTwilioCodes(): number[] {
  return [...README.matchAll(/^\| (\d{5}) \| \d{3} \|/gm)].map((m) => Number(m[1]));
}

describe('error catalogues', () => {
  twilioModules(); // every module registers its codes when imported
  const src = sources(join(ROOT, 'src'))
    .filter((p) => !p.endsWith(join('twilio', 'errors.ts')) && !p.includes('generated'))
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');

  it('documents every Twilio code the mirror returns, and only those', () => {
    expect([...new Set(documentedTwilioCodes())].sort()).toEqual(allTwilioErrorCodes().sort());
  });

  it('uses every catalogued Twilio code somewhere', () => {
    const unused = allTwilioErrorCodes().filter((code) => !new RegExp(`\\b${code}\\b`).test(src));
    expect(unused).toEqual([]);
  });

  it('documents and uses every MIRRA_ERR code', () => {
    for (const code of Object.keys(MIRRA_ERRORS)) {
      expect(README).toContain(`| ${code} |`);
      if (code !== 'MIRRA_ERR_INTERNAL') expect(src).toMatch(new RegExp(`'${code}'`));
    }
  });
});
