/**
 * Twilio's webhook connection overrides: a URL fragment such as `#ct=1000&rc=3&rp=all`
 * (twilio.com/docs/usage/webhooks/webhooks-connection-overrides). Defaults and ranges are Twilio's:
 * ct 5000 ms (100–10000), rt 15000 ms (100–15000), tt 15000 ms (100–15000), rc 1 (0–5), rp `ct`.
 */

/** Failure classes a retry policy can name. */
export type RetryClass = '4xx' | '5xx' | 'ct' | 'rt';

/** Effective connection settings of one webhook URL. */
export interface ConnectionOverrides {
  connectTimeoutMs: number;
  readTimeoutMs: number;
  totalTimeoutMs: number;
  retryCount: number;
  retryPolicy: Set<RetryClass>;
}

function clampInt(raw: string | null, min: number, max: number, fallback: number): number {
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  return Math.min(max, Math.max(min, Number(raw)));
}

/** Splits a configured URL into the URL requested (fragment removed) and its overrides. */
export function parseWebhookUrl(configured: string): { url: string; overrides: ConnectionOverrides } {
  const hash = configured.indexOf('#');
  const url = hash === -1 ? configured : configured.slice(0, hash);
  const fragment = new URLSearchParams(hash === -1 ? '' : configured.slice(hash + 1));
  const policy = new Set<RetryClass>();
  for (const part of (fragment.get('rp') ?? 'ct').split(',')) {
    const p = part.trim().toLowerCase();
    if (p === 'all') ['4xx', '5xx', 'ct', 'rt'].forEach((c) => policy.add(c as RetryClass));
    else if (p === '4xx' || p === '5xx' || p === 'ct' || p === 'rt') policy.add(p);
  }
  return {
    url,
    overrides: {
      connectTimeoutMs: clampInt(fragment.get('ct'), 100, 10_000, 5_000),
      readTimeoutMs: clampInt(fragment.get('rt'), 100, 15_000, 15_000),
      totalTimeoutMs: clampInt(fragment.get('tt'), 100, 15_000, 15_000),
      retryCount: clampInt(fragment.get('rc'), 0, 5, 1),
      retryPolicy: policy,
    },
  };
}
