/**
 * Lookup (v2 and v1 `PhoneNumbers/{PhoneNumber}`), answered from the number itself through the
 * generic engine's overrides: ./describe.ts says what a number is (libphonenumber-js), ./overrides.ts
 * answers Lookup's JSON. Everything else of the Lookup API (overrides of line types, rate limits,
 * bulk queries) is the generic engine's.
 */
import type { OverrideSource } from '../generic/engine';
import type * as Overrides from './overrides';

/** The Lookup overrides; their code loads with the engine, on its first request. */
export function lookupOverrides(): OverrideSource {
  return () => (require('./overrides') as typeof Overrides).LOOKUP_OVERRIDES;
}
