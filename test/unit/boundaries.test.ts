/**
 * The house's seams hold (STYLE.md 10–11): a resource is one folder under src/twilio/, registered
 * in src/twilio/resources.ts; the generic folders reach resources only through the
 * ResourceModule interface, never by importing a resource's files; `server/` and `twilio/` do not
 * import each other. Imports are read from the source (static `import`/`export … from` and
 * `require()`), so a new import that breaks a seam fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const SRC = join(__dirname, '..', '..', 'src');
const TWILIO = join(SRC, 'twilio');
/** Folders that must know no resource. */
const GENERIC = ['server', 'replay', 'record', 'inspector', 'cassette', 'store', 'callbacks', 'session', 'core', 'seeds', 'signing', 'proxy', 'inprocess', 'harness', 'jest', 'vitest', 'cli'];
/** Folders under src/twilio/ that are not resources (generated tables, the shared TwiML reader). */
const NOT_RESOURCES = new Set(['generated', 'twiml']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.m?ts$/.test(p) ? [p] : [];
  });
}

/** The modules a file imports, as absolute paths (relative specifiers only). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s+|require\()\s*['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
  return specs.map((s) => resolve(dirname(file), s));
}

const resources = readdirSync(TWILIO).filter((f) => statSync(join(TWILIO, f)).isDirectory() && !NOT_RESOURCES.has(f));
const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

describe('seams', () => {
  it('finds the resource folders', () => {
    expect(resources).toEqual(expect.arrayContaining(['messages', 'verify', 'numbers', 'messaging-services', 'inbound', 'handsets', 'calls']));
  });

  it('registers every resource folder in src/twilio/resources.ts', () => {
    const registry = importsOf(join(TWILIO, 'resources.ts'));
    const pending: string[] = [];
    expect(resources.filter((r) => !pending.includes(r) && !registry.some((p) => inside(p, join(TWILIO, r))))).toEqual([]);
  });

  it('keeps every generic folder out of the resources’ files', () => {
    const leaks: string[] = [];
    for (const folder of GENERIC) {
      for (const file of files(join(SRC, folder))) {
        for (const target of importsOf(file)) {
          const hit = resources.find((r) => inside(target, join(TWILIO, r)));
          if (hit) leaks.push(`${relative(SRC, file)} → twilio/${hit}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('keeps server/ and twilio/ from importing each other', () => {
    const cross = [
      ...files(join(SRC, 'server')).flatMap((f) => importsOf(f).filter((t) => inside(t, TWILIO)).map((t) => `${relative(SRC, f)} → ${relative(SRC, t)}`)),
      ...files(TWILIO).flatMap((f) => importsOf(f).filter((t) => inside(t, join(SRC, 'server'))).map((t) => `${relative(SRC, f)} → ${relative(SRC, t)}`)),
    ];
    expect(cross).toEqual([]);
  });

  it('has resources import no other resource’s route, replay or inspect code', () => {
    // A resource may use another's model (Messages sends from owned numbers) but not its plumbing.
    const plumbing = /[/\\](routes|replay|index|simulate)(\.ts)?$/;
    const leaks: string[] = [];
    for (const r of resources) {
      for (const file of files(join(TWILIO, r))) {
        for (const target of importsOf(file)) {
          const other = resources.find((o) => o !== r && inside(target, join(TWILIO, o)));
          if (other && plumbing.test(target)) leaks.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
