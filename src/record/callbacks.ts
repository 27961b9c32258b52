/**
 * Callback capture addresses. With `--public-url` (a tunnel to this machine), a request's
 * `StatusCallback` is rewritten to `PUBLIC/_mirra/record/callbacks/RUN/SEQ/PARAM` before it goes to
 * Twilio, so Twilio's callbacks come to the recorder, which checks, stores and forwards them to the
 * app's own URL. RUN tells this recording's callbacks from a late one of an earlier run.
 */

/**
 * Request params whose URL is rewritten to a capture address: notifications whose answer Twilio
 * ignores. A call's `Url`/`FallbackUrl` are not among them: the TwiML they answer with names
 * further URLs (often relative ones) that Twilio requests directly, so the app's documents are not
 * captured, and a replayed call with recorded callbacks runs no TwiML (README, Voice).
 */
export const CALLBACK_PARAMS = ['StatusCallback', 'RecordingStatusCallback', 'AsyncAmdStatusCallback'] as const;

/** Where capture addresses live on the recorder. */
export const HOOK_PREFIX = '/_mirra/record/callbacks/';

/** A capture address, parsed. */
export interface HookRef {
  runId: string;
  seq: number;
  param: string;
}

/** The path of the capture address of `param` of interaction `seq`. */
export function hookPath(ref: HookRef): string {
  return `${HOOK_PREFIX}${encodeURIComponent(ref.runId)}/${ref.seq}/${encodeURIComponent(ref.param)}`;
}

/** Parses a capture path (a tunnel may put a prefix in front of it); undefined when it is none. */
export function parseHookPath(path: string): HookRef | undefined {
  const at = path.indexOf(HOOK_PREFIX);
  if (at === -1) return undefined;
  const m = /^([A-Za-z0-9_-]+)\/(\d+)\/([A-Za-z]+)$/.exec(path.slice(at + HOOK_PREFIX.length));
  return m ? { runId: m[1], seq: Number(m[2]), param: m[3] } : undefined;
}

/**
 * `body` (a form) with the value of `param` replaced by `value`, every other byte untouched, so
 * what Twilio receives differs from what the app sent only where it must. Undefined when the form
 * has no such param.
 */
export function replaceFormValue(body: string, param: string, value: string): string | undefined {
  let found = false;
  const parts = body.split('&').map((part) => {
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    let key: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      return part;
    }
    if (key !== param) return part;
    found = true;
    return `${rawKey}=${encodeURIComponent(value)}`;
  });
  return found ? parts.join('&') : undefined;
}
