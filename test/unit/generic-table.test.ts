/**
 * The generated API table: up to date with its generator and Twilio's specs (byte for byte),
 * loaded per domain on first use only, and complete (all 55 specs' operations).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMAIN_HOSTS, OPERATION_COUNT, SPEC_COMMIT } from '../../src/twilio/generic/generated/index';

const repoRoot = path.resolve(__dirname, '../..');
const tableDir = path.join(repoRoot, 'src/twilio/generic/generated');
const testSchemas = path.join(repoRoot, 'test/generated/api-schemas.json');
// The specs live next to the repo in the dev workspace only (TWILIO_OAI_DIR points elsewhere, as
// from a worktree); a user's clone does not have them.
const specDir = process.env.TWILIO_OAI_DIR ?? path.resolve(repoRoot, '../shared/twilio-oai');
const hasSpecs = fs.existsSync(specDir);

describe('generated API table', () => {
  (hasSpecs ? it : it.skip)(
    hasSpecs
      ? 'is up to date with scripts/gen-api-table.js and the twilio-oai specs'
      : 'is up to date (SKIPPED: ../shared/twilio-oai is absent, so there is nothing to regenerate from)',
    () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-api-table-'));
      try {
        execFileSync(process.execPath, [path.join(repoRoot, 'scripts/gen-api-table.js'), specDir, path.join(out, 'table'), path.join(out, 'test')], { stdio: 'pipe' });
        // Byte comparison: a stale file or a non-deterministic generator both fail here.
        const names = fs.readdirSync(path.join(out, 'table')).sort();
        expect(names).toEqual(fs.readdirSync(tableDir).sort());
        for (const name of names) expect([name, fs.readFileSync(path.join(out, 'table', name)).equals(fs.readFileSync(path.join(tableDir, name)))]).toEqual([name, true]);
        expect(fs.readFileSync(path.join(out, 'test', 'api-schemas.json')).equals(fs.readFileSync(testSchemas))).toBe(true);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it('covers the 55 specs of twilio-oai d50069b4: 1,447 operations on 38 hosts', () => {
    expect(SPEC_COMMIT).toMatch(/^d50069b4/);
    expect(OPERATION_COUNT).toBe(1447);
    expect(Object.keys(DOMAIN_HOSTS)).toHaveLength(38);
    expect(DOMAIN_HOSTS['flex-api']).toBe('flex-api.twilio.com');
  });

  it('loads a domain on its first request only, and no other', () => {
    const loaded: string[] = [];
    jest.isolateModules(() => {
      for (const label of Object.keys(DOMAIN_HOSTS)) {
        const actual = `../../src/twilio/generic/generated/${label}`;
        jest.doMock(actual, () => {
          loaded.push(label);
          return jest.requireActual(actual);
        });
      }
      const { findOperation } = require('../../src/twilio/generic/engine-api') as typeof import('../../src/twilio/generic/engine-api');
      expect(loaded).toEqual([]);
      expect(findOperation('GET', 'sync.twilio.com', '/v1/Services')).toBeDefined();
      expect(findOperation('GET', 'sync.twilio.com', '/v1/Services/IS1')).toBeDefined();
      expect(loaded).toEqual(['sync']);
      findOperation('GET', '127.0.0.1:4010', '/2010-04-01/Accounts/AC1/Queues.json');
      expect(loaded).toEqual(['sync', 'api']);
    });
  });
});
