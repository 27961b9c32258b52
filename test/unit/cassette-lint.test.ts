import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { lintCassetteText } from '../../src/cassette/lint';

describe('cassettes lint', () => {
  it('passes a clean, placeholdered cassette', () => {
    const clean = [
      '{',
      '  "request": { "path": "/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json",',
      '    "form": [["AuthToken", "[REDACTED]"], ["Body", "hello"], ["StatusCallback", "http://127.0.0.1:{port}/cb"]] },',
      '  "response": { "body": { "sid": "{SM#1}", "date_created": "{date:rfc2822:+0}" } }',
      '}',
    ].join('\n');
    expect(lintCassetteText(clean)).toEqual([]);
  });

  it('flags secrets with their line, masked', () => {
    const dirty = [
      '{',
      '  "headers": { "authorization": "Basic QUMxMjM0NTY3ODkwOmFiY2RlZmdoaWprbG1ub3A=" },',
      '  "form": [["password", "hunter2hunter2"]],',
      '  "body": { "account_sid": "AC0123456789abcdef0123456789abcdef", "url": "https://user:pw@example.com/x" },',
      '  "note": "-----BEGIN RSA PRIVATE KEY-----"',
      '}',
    ].join('\n');
    const found = lintCassetteText(dirty);
    expect(found.map((f) => [f.line, f.rule])).toEqual([
      [2, 'basic-auth header'],
      [2, 'authorization field'],
      [3, 'secret-named field'],
      [4, 'twilio account sid'],
      [4, 'credentials in a URL'],
      [5, 'private key'],
    ]);
    expect(found.every((f) => !f.excerpt.includes('QUMxMjM0NTY3ODkwOmFiY2RlZmdoaWprbG1ub3A'))).toBe(true);
  });
});

describe('mirra cassettes lint (CLI)', () => {

  it('exits 1 on a secret and 0 on a clean file, for pre-commit hooks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirra-lint-'));
    writeFileSync(join(dir, 'bad.cassette.json'), '{"form": [["AuthToken", "0123456789abcdef0123456789abcdef"]]}\n');
    writeFileSync(join(dir, 'good.cassette.json'), '{"form": [["AuthToken", "[REDACTED]"]]}\n');
    const bin = join(REPO_ROOT, 'bin', 'mirra.js');
    const bad = await runCommand(process.execPath, [bin, 'cassettes', 'lint', join(dir, 'bad.cassette.json')], {});
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('bad.cassette.json:1: secret-named field');
    expect(bad.stdout).not.toContain('0123456789abcdef0123456789abcdef');
    const good = await runCommand(process.execPath, [bin, 'cassettes', 'lint', join(dir, 'good.cassette.json')], {});
    expect(good.code).toBe(0);
  });
});
