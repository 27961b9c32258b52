/**
 * Waiting for something to happen in another process or on a socket: polls `condition` until it
 * holds. The timeout only guards a test from hanging; no test asserts on how long it took.
 */

/** Resolves once `condition` holds; rejects after `timeoutMs` of it not holding. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`the condition did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
