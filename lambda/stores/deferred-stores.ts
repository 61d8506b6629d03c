import type { GatewayStores } from './store';

/**
 * Stores that become usable once `ready` resolves. The local server listens first and opens its
 * embedded database in the background, so it answers its first request without waiting for the
 * database (and the AWS SDK) to load; calls made meanwhile simply wait for it.
 */
export function deferredStores(ready: Promise<GatewayStores>): GatewayStores {
  return {
    keys: {
      getKey: async (id) => (await ready).keys.getKey(id),
      putKey: async (record) => (await ready).keys.putKey(record),
      revokeKey: async (id, revokedAt) => (await ready).keys.revokeKey(id, revokedAt),
      listKeys: async (teamId) => (await ready).keys.listKeys(teamId),
    },
    teams: {
      createTeam: async (team) => (await ready).teams.createTeam(team),
      getTeam: async (id) => (await ready).teams.getTeam(id),
      listTeams: async () => (await ready).teams.listTeams(),
    },
    usage: {
      putUsage: async (record) => (await ready).usage.putUsage(record),
      putUsages: async (records) => (await ready).usage.putUsages(records),
      queryUsage: async (query) => (await ready).usage.queryUsage(query),
      aggregateUsage: async (query, groupBy) => (await ready).usage.aggregateUsage(query, groupBy),
    },
  };
}
