/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and lists where the time went: self time per
 * function (file:line), and inclusive time of mirra's own functions, as a flame graph would show
 * them in numbers.
 */
'use strict';
const { readFileSync } = require('node:fs');
const { relative } = require('node:path');

const ROOT = require('node:path').join(__dirname, '..', '..');
/** mirra's own code as profiles name it: the build under test (BENCH_DIST or dist/) or src/. */
const OWN = [relative(ROOT, require('./dist').DIST), 'src'].map((dir) => ` ${dir}/`);

function where(cf) {
  const url = cf.url ? relative(ROOT, cf.url.replace(/^file:\/\//, '')) : '';
  return `${cf.functionName || '(anonymous)'} ${url}${url ? `:${cf.lineNumber + 1}` : ''}`.trim();
}

/** Self and inclusive milliseconds per function of the profile at `file`. */
function summariseProfile(file, top = 25) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (dt[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const incl = new Map();
  for (const [id, us] of selfUs) {
    const name = where(byId.get(id).callFrame);
    self.set(name, (self.get(name) ?? 0) + us);
    // Inclusive: every distinct function on the stack gets the sample once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const fn = where(byId.get(cur).callFrame);
      if (seen.has(fn)) continue;
      seen.add(fn);
      incl.set(fn, (incl.get(fn) ?? 0) + us);
    }
  }
  const rows = (m, filter = () => true) =>
    [...m.entries()]
      .filter(([name]) => filter(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / total }));
  return {
    totalMs: total / 1000,
    self: rows(self),
    mirraInclusive: rows(incl, (n) => OWN.some((dir) => n.includes(dir))),
  };
}

/** Plain-text table of a summary. */
function formatProfile(s) {
  const line = (r) => `${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`;
  return [`total ${s.totalMs.toFixed(0)} ms sampled`, '', 'self time:', ...s.self.map(line), '', 'inclusive (mirra functions):', ...s.mirraInclusive.map(line)].join('\n');
}

module.exports = { summariseProfile, formatProfile };

if (require.main === module) {
  process.stdout.write(formatProfile(summariseProfile(process.argv[2], Number(process.argv[3] ?? 30))) + '\n');
}
