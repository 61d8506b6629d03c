import { gatewaySettings, type GatewayConfig } from '../config/gateway-config';
import type { Stage } from '../core/stage';
import type { Logger } from '../logging/logger';
import { createPiiStage } from '../pii/pii-stage';
import type { ManagedDetector } from '../pii/types';
import type { GatewayStores } from '../stores/store';
import { createBudgetStage } from './budget-stage';
import { createLeasedCounters, type LeasedCounters, type LeaseOptions } from './leased-counters';
import { createPolicyCache, type PolicyCache } from './policy-cache';
import { createRateLimitStage } from './rate-limit-stage';

export interface GovernanceDeps {
  readonly stores: GatewayStores;
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** Counter leases (see leased-counters.ts); `{ fraction: 0 }` turns them off. @default the lease defaults */
  readonly leases?: LeaseOptions;
  /** Managed detection of names and addresses (config.pii.managed), created by the composition root. @default none */
  readonly managedPii?: ManagedDetector;
}

/**
 * Data protection, rate limits and budgets as stages over one shared policy cache (so one request looks
 * its policies up once for all three). Data protection comes first: its refusal (a credential in the
 * prompt) is the one to report when several stages refuse. Pass `policies.invalidate` to the admin API as `policyChanged` in the same process.
 */
export function createGovernanceStages(deps: GovernanceDeps): { stages: Stage[]; policies: PolicyCache; leases: LeasedCounters } {
  const policies = createPolicyCache(deps.stores.policies, { ttlMs: gatewaySettings(deps.config).keyCacheSeconds * 1000 });
  const leases = createLeasedCounters(deps.stores.counters, {
    ...deps.leases,
    onError: (error) => deps.logger.warn('governance: a lease write failed; calls go to the store meanwhile', {
      error: error instanceof Error ? error.message : String(error),
    }),
  });
  const shared = { policies, counters: leases, config: deps.config, logger: deps.logger };
  const budgets = createBudgetStage({ ...shared, alerts: deps.stores.alerts });
  const pii = createPiiStage({ config: deps.config, policies, logger: deps.logger, ...(deps.managedPii === undefined ? {} : { managed: deps.managedPii }) });
  return {
    policies,
    leases,
    // Rate limits and budgets share the leases; one flush makes them all durable.
    stages: [pii, createRateLimitStage(shared), { name: budgets.name, admit: (input) => budgets.admit(input), flush: () => leases.flush() }],
  };
}
