/**
 * The live count while recording, on stderr: one line rewritten in place on a terminal, plain
 * lines otherwise (CI logs), each naming what changed.
 */
import type { RecorderCounts } from './recorder';

/** Where the count goes: stderr or a test's buffer. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** The one-line summary of `counts`. */
export function describeCounts(cassette: string, counts: RecorderCounts): string {
  const parts = [`${counts.interactions} interaction${counts.interactions === 1 ? '' : 's'}`, `${counts.callbacks} callback${counts.callbacks === 1 ? '' : 's'}`];
  if (counts.faults > 0) parts.push(`${counts.faults} upstream fault${counts.faults === 1 ? '' : 's'}`);
  if (counts.rejected > 0) parts.push(`${counts.rejected} rejected callback${counts.rejected === 1 ? '' : 's'} (bad signature)`);
  return `mirra record ${cassette}: ${parts.join(', ')}`;
}

/** Shows counts as they change; `done()` ends the live line. */
export class ProgressLine {
  private live = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly cassette: string,
  ) {}

  /** Shows `counts`. */
  update(counts: RecorderCounts): void {
    const line = describeCounts(this.cassette, counts);
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${line}`);
      this.live = true;
    } else {
      this.out.write(`${line}\n`);
    }
  }

  /** Prints a message on its own line without losing the live count. */
  note(message: string, counts: RecorderCounts): void {
    if (this.live) this.out.write('\r\x1b[2K');
    this.out.write(`${message}\n`);
    if (this.live) this.update(counts);
  }

  /** Ends the live line. */
  done(): void {
    if (this.live) this.out.write('\n');
    this.live = false;
  }
}
