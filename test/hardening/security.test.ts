/**
 * Security: loopback by default with no token; beyond loopback the control plane and the proxy
 * require the mirror's token; no secret reaches the store, the data dir or the logs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { REPO_ROOT, runSdk } from '../helpers/child';
import { startTestMirror, tempDir } from '../helpers/mirror';
import { startReceiver } from '../helpers/receiver';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('security', () => {
  it('listens on 127.0.0.1 by default and needs no token there', async () => {
    const tm = await startTestMirror({ host: undefined });
    expect(new URL(tm.url).hostname).toBe('127.0.0.1');
    expect(tm.mirror.options.token).toBeNull();
    expect((await tm.control('GET', '/_mirra/sessions')).status).toBe(200);
    await tm.close();
  });

  it('beyond loopback, requires the token on the control plane and the proxy', async () => {
    const tm = await startTestMirror({ host: '0.0.0.0', seed: 'twilio:verified-numbers' });
    const token = tm.mirror.options.token!;
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const url = tm.url.replace('0.0.0.0', '127.0.0.1');
    const denied = await fetch(`${url}/_mirra/sessions`);
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { code: string }).code).toBe('MIRRA_ERR_UNAUTHORIZED');
    expect((await fetch(`${url}/_mirra/sessions`, { headers: { 'x-mirra-token': token } })).status).toBe(200);
    expect((await fetch(`${url}/_mirra/sessions`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${url}/_mirra/sessions`, { headers: { 'x-mirra-token': 'x'.repeat(32) } })).status).toBe(401);
    expect((await fetch(`${url}/_mirra/health`)).status).toBe(200);
    // The SDK configured by the printed env carries the token in HTTP_PROXY; without it, CONNECT gets 407.
    const env = { ...tm.env, HTTP_PROXY: tm.env.HTTP_PROXY.replace('0.0.0.0', '127.0.0.1'), HTTPS_PROXY: undefined };
    expect(env.HTTP_PROXY).toContain(`mirra:${token}@`);
    const ok = await runSdk(env, `return (await client.messages.create({ to: '+15551230000', from: '+15555550123', body: 'x' })).status;`);
    expect(ok).toBe('queued');
    const noToken = await runSdk({ ...env, HTTP_PROXY: url }, `return (await client.messages.create({ to: '+15551230000', from: '+15555550123', body: 'x' })).status;`);
    expect(noToken.error.status).toBe(407);
    await tm.close();
  });

  it('writes no auth token, API secret or Basic credentials into the data dir or the logs', async () => {
    const dataDir = tempDir('mirra-secrets-');
    const sid = 'AC' + '7'.repeat(32);
    const token = 'SeCrEt' + '9'.repeat(26);
    const basic = Buffer.from(`${sid}:${token}`).toString('base64');
    const rx = await startReceiver();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'mirra.js'), 'up', '--port', '0', '--data-dir', dataDir, '--ca-dir', join(dataDir, 'ca'), '--seed', 'twilio:verified-numbers', '--account-sid', sid, '--auth-token', token, '--log-level', 'debug'], { cwd: REPO_ROOT });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const url = await new Promise<string>((resolve) => {
      const check = () => {
        const m = /mirra is up at (\S+)/.exec(output);
        if (m) resolve(m[1]);
        else setTimeout(check, 50);
      };
      check();
    });
    const headers = { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' };
    const created = await fetch(`${url}/2010-04-01/Accounts/${sid}/Messages.json`, { method: 'POST', headers, body: `To=%2B15551230000&From=%2B15555550123&Body=hello&StatusCallback=${encodeURIComponent(rx.url + '/cb')}` });
    expect(created.status).toBe(201);
    const session = (await (await fetch(`${url}/_mirra/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { apiKeySid: string; apiKeySecret: string; accountSid: string };
    await fetch(`${url}/2010-04-01/Accounts/${session.accountSid}/Messages.json`, { headers: { authorization: 'Basic ' + Buffer.from(`${session.apiKeySid}:${session.apiKeySecret}`).toString('base64') } });
    await fetch(`${url}/_mirra/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advanceMs":5000}' });
    await rx.waitFor(3);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    const secrets = [token, basic, session.apiKeySecret];
    for (const file of filesUnder(dataDir)) {
      const bytes = readFileSync(file);
      for (const secret of secrets) expect({ file, leaked: bytes.includes(Buffer.from(secret)) }).toEqual({ file, leaked: false });
    }
    expect(readFileSync(join(dataDir, 'state.lmdb')).includes(Buffer.from(sid))).toBe(true); // the scan reads real data
    for (const secret of [token, basic]) expect(output.includes(secret)).toBe(false);
    expect(statSync(join(dataDir, 'ca', 'mirra-ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'instance.key')).mode & 0o777).toBe(0o600);
    await rx.close();
  }, 30000);
});
