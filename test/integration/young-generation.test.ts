/**
 * mirra's server commands cap V8's young generation (src/cli/young-generation.ts, issue #14 item
 * 3): in a process that allocates in bursts across many event-loop turns, as a mirror under load
 * does, the young generation stays at the cap where it would otherwise grow to V8's maximum; a
 * user's own sizing flag turns the cap off. Each case runs in a fresh process (the built module),
 * as V8's heap sizes belong to the whole process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { growthFactorFor } from '../../src/cli/young-generation';
import { REPO_ROOT, runCommand, runNode } from '../helpers/child';

const MODULE = JSON.stringify(join(REPO_ROOT, 'dist', 'cli', 'young-generation.js'));
const MB = 2 ** 20;

/** The young generation's size before and after a burst, with the cap set up as `setup` says. */
async function youngAround(setup: string): Promise<{ start: number; after: number }> {
  const script = `
    const { capYoungGeneration, youngGenerationBytes } = require(${MODULE});
    ${setup}
    const start = youngGenerationBytes();
    let keep = [];
    let turns = 0;
    (function burst() {
      for (let i = 0; i < 2000; i++) {
        const o = { a: i, b: 'x' + i, c: [i] };
        if (i % 10 === 0) keep.push(o);
        if (keep.length > 50000) keep = [];
      }
      if (++turns < 3000) setImmediate(burst);
      else console.log(JSON.stringify({ start, after: youngGenerationBytes() }));
    })();`;
  const out = await runNode(script, { NODE_OPTIONS: '' }, 60_000);
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout) as { start: number; after: number };
}

const youngAfterBurst = async (setup: string) => (await youngAround(setup)).after;

describe('the young generation cap', () => {
  it('keeps the young generation at two 4 MB semi-spaces through a burst that grows it uncapped', async () => {
    const uncapped = await youngAfterBurst('');
    const capped = await youngAround('capYoungGeneration();');
    expect(uncapped).toBeGreaterThan(8 * MB);
    // Grown to the cap at once (a young generation kept small would promote too much), and no further.
    expect(capped.start).toBe(8 * MB);
    expect(capped.after).toBe(8 * MB);
  }, 120_000);

  it('brings a shrunk young generation back to the cap in one step, never past it', () => {
    expect(growthFactorFor(2 * MB, 8 * MB)).toBe(4);
    expect(growthFactorFor(3 * MB, 8 * MB)).toBe(2);
    expect(growthFactorFor(5 * MB, 8 * MB)).toBe(1);
    expect(growthFactorFor(8 * MB, 8 * MB)).toBe(1);
    expect(growthFactorFor(32 * MB, 8 * MB)).toBe(1);
  });

  it('leaves a young generation the user sized alone, and can be undone', async () => {
    const userSized = await youngAfterBurst("capYoungGeneration(4, ['--max-semi-space-size=64'], '');");
    expect(userSized).toBeGreaterThan(8 * MB);
    const viaNodeOptions = await youngAfterBurst("capYoungGeneration(4, [], '--semi-space-growth-factor=2');");
    expect(viaNodeOptions).toBeGreaterThan(8 * MB);
    const undone = await youngAfterBurst('capYoungGeneration()();');
    expect(undone).toBeGreaterThan(8 * MB);
  }, 120_000);

  it('is what the mirra command does first', async () => {
    // A preloaded script notes the young generation as `mirra --help` exits: at the cap only if
    // bin/mirra.js capped it (a short command alone leaves V8's young generation smaller).
    const dir = mkdtempSync(join(tmpdir(), 'mirra-young-'));
    try {
      const preload = join(dir, 'note.js');
      const out = join(dir, 'young.txt');
      writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, String(require(${MODULE}).youngGenerationBytes())));`);
      const run = await runCommand(process.execPath, [join(REPO_ROOT, 'bin', 'mirra.js'), '--help'], { NODE_OPTIONS: `--require ${preload}` });
      expect(run.code).toBe(0);
      expect(Number(readFileSync(out, 'utf8'))).toBe(8 * MB);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
