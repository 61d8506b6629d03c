import { ConflictError } from '../../lambda/errors/gateway-error';
import { generateGatewayKey } from '../../lambda/keys/gateway-key';
import { createUsageAggregator } from '../../lambda/stores/dynamo/usage-aggregate';
import { DEFAULT_USAGE_LIMIT, MAX_USAGE_LIMIT } from '../../lambda/stores/dynamo/usage-store';
import type {
  GatewayKeyRecord, GatewayStores, Team, UsageAggregateRow, UsageGroupField, UsageQuery, UsageRecord,
} from '../../lambda/stores/store';

/**
 * In-memory stores for fast unit tests of the core; integration tests use the DynamoDB implementation.
 * Where callers can tell, they behave like it (test/stores/store-contract.test.ts runs the same
 * assertions against both): team names unique regardless of case, usage filters, limit and order.
 */
export interface MemoryStores extends GatewayStores {
  readonly usageRecords: UsageRecord[];
  keyLookups: number;
}

export function createMemoryStores(): MemoryStores {
  const keys = new Map<string, GatewayKeyRecord>();
  const teams = new Map<string, Team>();
  const usageRecords: UsageRecord[] = [];
  const stores: MemoryStores = {
    usageRecords,
    keyLookups: 0,
    keys: {
      async getKey(id) {
        stores.keyLookups += 1;
        return keys.get(id);
      },
      async putKey(record) {
        keys.set(record.id, record);
      },
      async revokeKey(id, revokedAt) {
        const record = keys.get(id);
        if (record === undefined) return undefined;
        const updated = { ...record, revokedAt: record.revokedAt ?? revokedAt };
        keys.set(id, updated);
        return updated;
      },
      async listKeys(teamId) {
        return [...keys.values()].filter((key) => teamId === undefined || key.teamId === teamId);
      },
    },
    teams: {
      async createTeam(team) {
        if (await stores.teams.getTeamByName(team.name) !== undefined) throw new ConflictError(`Team '${team.name}' exists.`);
        if (teams.has(team.id)) throw new ConflictError(`A team with id '${team.id}' already exists.`);
        teams.set(team.id, team);
      },
      async getTeam(id) {
        return teams.get(id);
      },
      async getTeamByName(name) {
        return [...teams.values()].find((team) => team.name.toLowerCase() === name.toLowerCase());
      },
      async listTeams() {
        return [...teams.values()];
      },
    },
    usage: {
      async putUsages(records) {
        usageRecords.push(...records);
      },
      async queryUsage(query: UsageQuery) {
        return matching(usageRecords, query).slice(0, Math.max(0, Math.min(Math.floor(query.limit ?? DEFAULT_USAGE_LIMIT), MAX_USAGE_LIMIT)));
      },
      async aggregateUsage(query: UsageQuery, groupBy: readonly UsageGroupField[]): Promise<UsageAggregateRow[]> {
        const aggregator = createUsageAggregator(groupBy);
        // Every matching record, as the DynamoDB store aggregates: `limit` bounds record listings only.
        for (const record of matching(usageRecords, query)) aggregator.add(record);
        return aggregator.rows();
      },
    },
  };
  return stores;
}

/** Records in [from, to) matching the query's filters, newest first (then by request id), as DynamoDB returns them. */
function matching(records: readonly UsageRecord[], query: UsageQuery): UsageRecord[] {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  const sortKey = (record: UsageRecord): string => `${new Date(Date.parse(record.time)).toISOString()}#${record.requestId}`;
  return records
    .filter((record) => {
      const time = Date.parse(record.time);
      return time >= from && time < to
        && (query.teamId === undefined || record.teamId === query.teamId)
        && (query.keyId === undefined || record.keyId === query.keyId)
        && (query.model === undefined || record.requestedModel === query.model);
    })
    .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0));
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
