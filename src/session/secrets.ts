/**
 * Session secrets without writing them down: generated auth tokens and API key secrets are derived
 * from a per-data-dir instance key (a 0600 file beside the store), and only their hashes are stored.
 * A token the user supplied is kept in memory and learned again from the first request it signs.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The instance key of a data dir (created on first use), or a random one when there is no dir. */
export function loadInstanceKey(dataDir: string | null): Buffer {
  if (!dataDir) return randomBytes(32);
  const file = join(dataDir, 'instance.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, randomBytes(32).toString('hex'), { mode: 0o600 });
    if (!existsSync(file)) renameSync(tmp, file);
  }
  chmodSync(file, 0o600);
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

/** One-way hash of a secret, for verification only. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The generated auth token of a session: 32 hex digits, like Twilio's. */
export function deriveAuthToken(instanceKey: Buffer, sessionId: string): string {
  return createHmac('sha256', instanceKey).update(`auth-token:${sessionId}`).digest('hex').slice(0, 32);
}

/** The generated secret of an API key: 32 alphanumerics, like Twilio's. */
export function deriveApiKeySecret(instanceKey: Buffer, keySid: string): string {
  return createHmac('sha256', instanceKey).update(`api-key:${keySid}`).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 32);
}
