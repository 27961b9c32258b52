/**
 * The Account and its API keys (twilio-api.md §2.5), answered from the session through the generic
 * engine's overrides: `Accounts/{Sid}.json` (fetch, update), `Accounts.json` (list, subaccounts),
 * `Keys.json` and IAM `/v1/Keys` (the keys the session authenticates with). See ./account.ts and
 * ./keys.ts for the behaviour and its limitations.
 */
import type { ApiKeys } from '../../core/ports';
import type { OverrideSource } from '../generic/engine';
import type * as AccountModule from './account';
import type * as KeysModule from './keys';

/** The Account and Keys overrides; their code loads with the engine, on its first request. */
export function accountOverrides(apiKeys: ApiKeys): OverrideSource {
  return () => ({
    ...(require('./account') as typeof AccountModule).ACCOUNT_OVERRIDES,
    ...(require('./keys') as typeof KeysModule).keyOverrides(apiKeys),
  });
}
