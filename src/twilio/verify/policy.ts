/**
 * The `verify` section of a seed: Twilio's Verify limits as settings, plus the knobs a test needs
 * for deterministic or unhappy flows. Defaults are Twilio's (twilio-api.md §6): 5 checks, 5 sends,
 * a 10-minute validity window.
 *
 * ```json
 * "verify": {
 *   "services": [{ "sid": "VA…", "friendlyName": "My App", "codeLength": 6, "channels": ["sms"] }],
 *   "maxCheckAttempts": 5, "maxSendAttempts": 5, "expiryMs": 600000,
 *   "code": "424242", "landlines": ["+1555000*"], "blocked": [{ "to": "+44*", "errorCode": 60605 }]
 * }
 * ```
 */
import { MirraError } from '../../errors';
import type { Seed } from '../../seeds/seed';
import type { Session } from '../../session/session';
import { isChannel, type Channel } from './types';

/** A recipient pattern whose sends Twilio blocks (Fraud Guard 60410, geo permissions 60605). */
export interface BlockRule {
  to: string;
  errorCode: 60410 | 60605;
}

/** The limits and behaviour Verify applies in a session. */
export interface VerifyPolicy {
  /**
   * Checks per verification. The check that reaches the limit with a wrong code answers 200
   * `max_attempts_reached`; any check after it is 429/60202 (twilio-real-traffic.md: "the 6th
   * check returns 429/60202"; twilio-api.md §6 marks 5th-vs-6th UNCONFIRMED).
   */
  maxCheckAttempts: number;
  /** Sends per verification (the first included); the next one is 429/60203. */
  maxSendAttempts: number;
  /** The validity window from creation (Twilio: 10 minutes). */
  expiryMs: number;
  /** A fixed code for every verification (deterministic flows), instead of a random one. */
  code: string | null;
  /** Recipient patterns (`*` = any digits) that are landlines: SMS/WhatsApp to them is 60205. */
  landlines: string[];
  blocked: BlockRule[];
}

/** A service as written in a seed file. */
export interface SeedVerifyService {
  sid?: string;
  friendlyName: string;
  codeLength?: number;
  lookupEnabled?: boolean;
  psd2Enabled?: boolean;
  skipSmsToLandlines?: boolean;
  doNotShareWarningEnabled?: boolean;
  customCodeEnabled?: boolean;
  /** Channels switched on (default: all of sms, call, email, whatsapp). */
  channels?: Channel[];
}

/** Twilio's defaults. */
export const DEFAULT_POLICY: VerifyPolicy = {
  maxCheckAttempts: 5,
  maxSendAttempts: 5,
  expiryMs: 10 * 60_000,
  code: null,
  landlines: [],
  blocked: [],
};

function invalid(detail: string): MirraError {
  return new MirraError('MIRRA_ERR_INVALID_SEED', `verify.${detail}`);
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(`${name} is an integer >= 1`);
  return value;
}

function patterns(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((p) => typeof p !== 'string')) throw invalid(`${name} is a list of number patterns`);
  return value as string[];
}

function blockRules(value: unknown): BlockRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('blocked is a list');
  return value.map((rule: unknown) => {
    if (typeof rule === 'string') return { to: rule, errorCode: 60410 };
    const r = rule as { to?: unknown; errorCode?: unknown };
    if (typeof r?.to !== 'string') throw invalid('blocked[].to is a number pattern');
    const errorCode = r.errorCode ?? 60410;
    if (errorCode !== 60410 && errorCode !== 60605) throw invalid('blocked[].errorCode is 60410 or 60605');
    return { to: r.to, errorCode };
  });
}

function section(seed: Seed): Record<string, unknown> {
  const value = seed.verify;
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('(section) is an object');
  return value as Record<string, unknown>;
}

/** Reads (and validates) the policy of a seed; throws mirra's invalid-seed error on bad values. */
export function readPolicy(seed: Seed): VerifyPolicy {
  const s = section(seed);
  const code = s.code;
  if (code !== undefined && (typeof code !== 'string' || !/^[0-9A-Za-z]{4,10}$/.test(code))) throw invalid('code is 4-10 letters or digits');
  return {
    maxCheckAttempts: positiveInt(s.maxCheckAttempts, 'maxCheckAttempts', DEFAULT_POLICY.maxCheckAttempts),
    maxSendAttempts: positiveInt(s.maxSendAttempts, 'maxSendAttempts', DEFAULT_POLICY.maxSendAttempts),
    expiryMs: positiveInt(s.expiryMs, 'expiryMs', DEFAULT_POLICY.expiryMs),
    code: (code as string | undefined) ?? null,
    landlines: patterns(s.landlines, 'landlines'),
    blocked: blockRules(s.blocked),
  };
}

/** The seeded services (validated). */
export function readSeedServices(seed: Seed): SeedVerifyService[] {
  const services = section(seed).services;
  if (services === undefined) return [];
  if (!Array.isArray(services)) throw invalid('services is a list');
  for (const s of services as SeedVerifyService[]) {
    if (typeof s?.friendlyName !== 'string') throw invalid('services[].friendlyName is required');
    if (s.sid !== undefined && !/^VA[0-9a-f]{32}$/.test(s.sid)) throw invalid('services[].sid is VA + 32 hex');
    if (s.codeLength !== undefined && (!Number.isInteger(s.codeLength) || s.codeLength < 4 || s.codeLength > 10)) {
      throw invalid('services[].codeLength is 4-10');
    }
    if (s.channels !== undefined && (!Array.isArray(s.channels) || !s.channels.every(isChannel))) {
      throw invalid('services[].channels lists sms, call, email, whatsapp');
    }
  }
  return services as SeedVerifyService[];
}

/** The policy in force for a session. */
export function policyOf(session: Session): VerifyPolicy {
  return readPolicy(session.seed);
}

/** True when `value` matches `pattern`, where `*` stands for any run of characters. */
export function matchesPattern(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return re.test(value);
}
