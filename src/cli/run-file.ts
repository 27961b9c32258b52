/**
 * `<data-dir>/mirror.json`: where a running `mirra up` can be found, so that `mirra env` works
 * without flags. When the mirror listens beyond loopback it also holds the mirror's token (issue
 * #15: `mirra env` in another shell must work as the banner says), so the file is 0600 — as
 * private as the instance key beside it — and it goes when the mirror stops.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What is recorded about a running mirror. */
export interface RunInfo {
  url: string;
  pid: number;
  /** The token its control plane requires (only when it listens beyond loopback). */
  token?: string;
}

function file(dataDir: string): string {
  return join(dataDir, 'mirror.json');
}

export function writeRunInfo(dataDir: string, info: RunInfo): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file(dataDir), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file(dataDir), 0o600); // also when an older file was there with another mode
}

export function readRunInfo(dataDir: string): RunInfo | null {
  if (!existsSync(file(dataDir))) return null;
  try {
    return JSON.parse(readFileSync(file(dataDir), 'utf8')) as RunInfo;
  } catch {
    return null;
  }
}

export function removeRunInfo(dataDir: string): void {
  rmSync(file(dataDir), { force: true });
}
