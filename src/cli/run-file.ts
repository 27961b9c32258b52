/**
 * `<data-dir>/mirror.json`: where a running `mirra up` can be found (no secrets in it), so that
 * `mirra env` works without flags.
 */
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** What is recorded about a running mirror. */
export interface RunInfo {
  url: string;
  pid: number;
}

function file(dataDir: string): string {
  return join(dataDir, 'mirror.json');
}

export function writeRunInfo(dataDir: string, info: RunInfo): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file(dataDir), JSON.stringify(info, null, 2) + '\n');
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
