/**
 * Which twilio-oai commit a directory of specs came from: its SOURCE.md (our snapshot of the specs
 * says so) or, for a clone, its git HEAD. Shared by the generators that stamp their output with it.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

/** The 40-hex commit of the specs in `dir`; throws when neither source tells. */
function specCommit(dir) {
  const source = path.join(dir, 'SOURCE.md');
  if (fs.existsSync(source)) {
    const m = /Snapshot commit[^`]*`([0-9a-f]{40})`/.exec(fs.readFileSync(source, 'utf8'));
    if (m) return m[1];
  }
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    throw new Error(`cannot tell which twilio-oai commit ${dir} is (no SOURCE.md, not a git clone)`);
  }
}

module.exports = { specCommit };
