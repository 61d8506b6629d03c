import { generateGatewayKey } from '../../lambda/keys/gateway-key';
import type { GatewayKeyRecord, GatewayStores, UsageRecord } from '../../lambda/stores/store';
import { createMemoryCounters } from './memory-counters';
import { createMemoryAudit, createMemoryKeys, createMemoryTeams, createMemoryUsers } from './memory-entities';
import { createMemoryAlerts, createMemoryPolicies } from './memory-governance';
import { createMemoryUsage } from './memory-usage';

/**
 * In-memory stores for fast unit tests of the core; integration tests use the DynamoDB implementation.
 * Where callers can tell, they behave like it (the contract suites under test/stores run the same
 * assertions against both): team names unique regardless of case, usage filters, limit and order.
 */
export interface MemoryStores extends GatewayStores {
  readonly usageRecords: UsageRecord[];
  keyLookups: number;
}

export function createMemoryStores(): MemoryStores {
  const usageRecords: UsageRecord[] = [];
  const counter = { keyLookups: 0 };
  const stores: MemoryStores = {
    usageRecords,
    get keyLookups() {
      return counter.keyLookups;
    },
    set keyLookups(value: number) {
      counter.keyLookups = value;
    },
    keys: createMemoryKeys(counter),
    teams: createMemoryTeams(),
    users: createMemoryUsers(),
    usage: createMemoryUsage(usageRecords),
    policies: createMemoryPolicies(),
    counters: createMemoryCounters(),
    alerts: createMemoryAlerts(),
    audit: createMemoryAudit(),
  };
  return stores;
}

/** Puts a team and a key into the stores; returns the plaintext key. */
export async function seedKey(stores: GatewayStores, overrides: Partial<GatewayKeyRecord> = {}): Promise<{ key: string; id: string }> {
  const generated = generateGatewayKey();
  await stores.keys.putKey({
    id: generated.id, secretHash: generated.secretHash, teamId: 'team_test', user: 'alice@example.com',
    createdAt: new Date().toISOString(), ...overrides,
  });
  return { key: generated.key, id: generated.id };
}
