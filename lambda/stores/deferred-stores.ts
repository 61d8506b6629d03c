import type { GatewayStores } from './store';

/**
 * Stores opened on first use (once; later calls share the same promise). The local server listens
 * before its embedded database and the AWS SDK have loaded, so it can answer at once; calls that need
 * the store simply wait for it.
 */
export function deferredStores(open: () => Promise<GatewayStores>): GatewayStores {
  let opening: Promise<GatewayStores> | undefined;
  const ready = {
    then<T>(use: (stores: GatewayStores) => T | PromiseLike<T>, fail?: (error: unknown) => T | PromiseLike<T>): Promise<T> {
      opening ??= open();
      return opening.then(use, fail);
    },
  };
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
      getTeamByName: async (name) => (await ready).teams.getTeamByName(name),
      listTeams: async () => (await ready).teams.listTeams(),
    },
    usage: {
      putUsages: async (records) => (await ready).usage.putUsages(records),
      queryUsage: async (query) => (await ready).usage.queryUsage(query),
      aggregateUsage: async (query, groupBy) => (await ready).usage.aggregateUsage(query, groupBy),
    },
  };
}
