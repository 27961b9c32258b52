/**
 * Errors are catalogues: every Twilio code the mirror can answer with sits in exactly one static
 * table, is documented in the README and is used by the source; every code the source builds an
 * error from is catalogued. The same holds for mirra's own MIRRA_ERR codes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MIRRA_ERRORS } from '../../src/errors';
import { ERROR_TABLES, TWILIO_ERRORS } from '../../src/twilio/error-catalogue';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Source text without comments: a code named in a comment is not a use of it. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const files = sources(join(ROOT, 'src')).filter((p) => !p.includes('generated'));
/** The catalogue's tables are where codes are defined, not used. */
const isTable = (p: string) => /twilio\/(api-errors|error-catalogue)\.ts$/.test(p) || /twilio\/[^/]+\/errors\.ts$/.test(p) || p.endsWith(join('src', 'errors.ts'));
const using = files.filter((p) => !isTable(p)).map((p) => ({ file: relative(ROOT, p), text: code(readFileSync(p, 'utf8')) }));
const catalogued = Object.keys(TWILIO_ERRORS).map(Number).sort();

/** Codes in README table rows: `| 21211 | 400 | …`. */
function documentedTwilioCodes(): number[] {
  return [...README.matchAll(/^\| (\d{5}) \| \d{3} \|/gm)].map((m) => Number(m[1]));
}

describe('error catalogues', () => {
  it('keeps each Twilio code in exactly one table', () => {
    const seen = new Map<number, string>();
    const twice: string[] = [];
    for (const [owner, table] of Object.entries(ERROR_TABLES)) {
      for (const c of Object.keys(table).map(Number)) {
        if (seen.has(c)) twice.push(`${c} in ${seen.get(c)} and ${owner}`);
        seen.set(c, owner);
      }
    }
    expect(twice).toEqual([]);
    expect([...seen.keys()].sort()).toEqual(catalogued);
  });

  it('documents every Twilio code the mirror returns, and only those', () => {
    expect([...new Set(documentedTwilioCodes())].sort()).toEqual(catalogued);
  });

  it('uses every catalogued Twilio code somewhere outside the tables', () => {
    const unused = catalogued.filter((c) => !using.some((f) => new RegExp(`\\b${c}\\b`).test(f.text)));
    expect(unused).toEqual([]);
  });

  it('catalogues every code an error is built from', () => {
    const built = using.flatMap((f) => [...f.text.matchAll(/\b(?:twilioError|TwilioError)\(\s*(\d{5})\b/g)].map((m) => ({ file: f.file, code: Number(m[1]) })));
    expect(built.length).toBeGreaterThan(20);
    expect(built.filter((b) => !catalogued.includes(b.code))).toEqual([]);
  });

  it('documents and uses every MIRRA_ERR code', () => {
    for (const c of Object.keys(MIRRA_ERRORS)) {
      expect(README).toContain(`| ${c} |`);
      if (c !== 'MIRRA_ERR_INTERNAL') expect(using.some((f) => f.text.includes(`'${c}'`))).toBe(true);
    }
  });
});
