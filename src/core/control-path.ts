/**
 * Where mirra's own control plane lives: every path under `/_mirra`, on any host that is not the
 * emulated API's.
 */

/** True for the control plane (`/_mirra/...`). */
export function isControlPath(url: string): boolean {
  return url === '/_mirra' || url.startsWith('/_mirra/') || url.startsWith('/_mirra?');
}
