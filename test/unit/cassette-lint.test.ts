/**
 * `cassettes lint` reads a cassette's parsed structure: secrets are found wherever they sit and
 * however the file is formatted, named by their path and masked; what does not parse is refused.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { lintCassetteText, lintCassetteValue } from '../../src/cassette/lint';
import { MirraError } from '../../src/errors';

const TOKEN = '0123456789abcdef0123456789abcdef';

describe('cassettes lint', () => {
  it('passes a clean, placeholdered cassette', () => {
    const clean = {
      request: { path: '/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json', form: [['AuthToken', '[REDACTED]'], ['Body', 'hello'], ['StatusCallback', 'http://127.0.0.1:{port}/cb']] },
      response: { body: { sid: '{SM#1}', date_created: '{date:rfc2822:+0}', auth_token: null, password: '' } },
    };
    expect(lintCassetteValue(clean)).toEqual([]);
  });

  it('flags secrets by path, masked', () => {
    const dirty = {
      headers: { authorization: 'Basic QUMxMjM0NTY3ODkwOmFiY2RlZmdoaWprbG1ub3A=' },
      form: [['password', 'hunter2hunter2']],
      body: { account_sid: 'AC0123456789abcdef0123456789abcdef', url: 'https://user:pw@example.com/x' },
      note: '-----BEGIN RSA PRIVATE KEY-----',
    };
    const found = lintCassetteValue(dirty);
    expect(found.map((f) => [f.path, f.rule])).toEqual([
      ['headers.authorization', 'authorization field'],
      ['headers.authorization', 'basic-auth header'],
      ['form[0]', 'secret-named field'],
      ['body.account_sid', 'twilio account sid'],
      ['body.url', 'credentials in a URL'],
      ['note', 'private key'],
    ]);
    expect(found.every((f) => !f.excerpt.includes('QUMxMjM0NTY3ODkwOmFiY2RlZmdoaWprbG1ub3A') && !f.excerpt.includes('hunter2hunter2'))).toBe(true);
  });

  it('finds a secret whatever the formatting: one line, jq-style, minified', () => {
    const value = { interactions: [{ request: { form: [['To', '+15551230000'], ['AuthToken', TOKEN]] } }] };
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), JSON.stringify(value, null, 8)]) {
      expect(lintCassetteText(text).map((f) => [f.path, f.rule])).toEqual([['interactions[0].request.form[1]', 'secret-named field']]);
    }
  });

  it('looks into URLs, form text and JSON kept as text', () => {
    const found = lintCassetteValue({
      callback: 'https://app.example.com/cb?user=x&auth_token=' + TOKEN,
      raw: `To=%2B1555&ApiKeySecret=${TOKEN}`,
      body: JSON.stringify({ nested: { AuthToken: TOKEN } }),
    });
    expect(found.map((f) => [f.path, f.rule])).toEqual([
      ['callback', 'secret-named param in text'],
      ['raw', 'secret-named param in text'],
      ['body(json).nested.AuthToken', 'secret-named field'],
    ]);
  });

  it('refuses text that is not JSON rather than calling it clean', () => {
    expect(() => lintCassetteText(`AuthToken: ${TOKEN}`, 'x.json')).toThrow(MirraError);
    expect(() => lintCassetteText(`AuthToken: ${TOKEN}`, 'x.json')).toThrow(/MIRRA_ERR_INVALID_CASSETTE|not JSON/);
  });
});

describe('mirra cassettes lint (CLI)', () => {
  it('exits 1 on a secret and 0 on a clean file, for pre-commit hooks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirra-lint-'));
    writeFileSync(join(dir, 'bad.cassette.json'), `{"form": [["AuthToken", "${TOKEN}"]]}\n`);
    writeFileSync(join(dir, 'good.cassette.json'), '{"form": [["AuthToken", "[REDACTED]"]]}\n');
    const bin = join(REPO_ROOT, 'bin', 'mirra.js');
    const bad = await runCommand(process.execPath, [bin, 'cassettes', 'lint', join(dir, 'bad.cassette.json')], {});
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('bad.cassette.json: form[0]: secret-named field');
    expect(bad.stdout).not.toContain(TOKEN);
    const good = await runCommand(process.execPath, [bin, 'cassettes', 'lint', join(dir, 'good.cassette.json')], {});
    expect(good.code).toBe(0);
  });
});
