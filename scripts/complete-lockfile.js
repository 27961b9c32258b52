#!/usr/bin/env node
'use strict';
/**
 * Adds lockfile entries for the optional, platform-specific packages of other systems
 * (`@swc/core-darwin-arm64`, `@msgpackr-extract/...-win32-x64`, ...).
 *
 * Why: the package registry this project's machines reach serves only the packages for this
 * platform, so `npm install` cannot read the others' metadata and leaves them out of
 * package-lock.json — and then `npm ci` refuses the lockfile ("Missing: ... from lock file").
 * Each missing entry is written as npm itself would for a foreign platform: version, os/cpu/libc
 * derived from the package name, and `optional: true`, so `npm ci` skips it on this system.
 *
 * Run after any `npm install` that changes the lockfile: `node scripts/complete-lockfile.js`.
 */
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = { darwin: 'darwin', linux: 'linux', win32: 'win32', freebsd: 'freebsd', android: 'android', openbsd: 'openbsd', sunos: 'sunos', aix: 'aix', netbsd: 'netbsd', openharmony: 'openharmony' };
const CPU = ['x64', 'arm64', 'arm', 'ia32', 'ppc64', 's390x', 'loong64', 'riscv64', 'wasm32', 'mips64el', 'ppc64le'];

/** os/cpu/libc of a platform package, from its name (e.g. `core-linux-arm-gnueabihf`). */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS[p]);
  const cpu = parts.find((p) => CPU.includes(p));
  const entry = {};
  if (os) entry.os = [os];
  if (cpu) entry.cpu = [cpu];
  if (parts.includes('musl') || parts.includes('musleabihf')) entry.libc = ['musl'];
  else if (os === 'linux' && parts.some((p) => p.startsWith('gnu'))) entry.libc = ['glibc'];
  return entry;
}

let added = 0;
for (const [where, pkg] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const base = where ? `${where}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[base] || packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform.os && !platform.cpu) continue; // not a platform package: leave it to npm
    packages[`node_modules/${name}`] = { version: String(version).replace(/^[\^~=]/, ''), ...platform, optional: true };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`complete-lockfile: added ${added} platform entries\n`);
