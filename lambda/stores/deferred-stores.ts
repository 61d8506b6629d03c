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
      rotateKey: async (id, rotation) => (await ready).keys.rotateKey(id, rotation),
      listKeys: async (teamId, user) => (await ready).keys.listKeys(teamId, user),
    },
    teams: {
      createTeam: async (team) => (await ready).teams.createTeam(team),
      getTeam: async (id) => (await ready).teams.getTeam(id),
      getTeamByName: async (name) => (await ready).teams.getTeamByName(name),
      listTeams: async () => (await ready).teams.listTeams(),
      setTeamModels: async (id, models) => (await ready).teams.setTeamModels(id, models),
    },
    users: {
      createUser: async (user) => (await ready).users.createUser(user),
      getUser: async (id) => (await ready).users.getUser(id),
      getUserByEmail: async (email) => (await ready).users.getUserByEmail(email),
      listUsers: async (teamId) => (await ready).users.listUsers(teamId),
    },
    usage: {
      putUsages: async (records) => (await ready).usage.putUsages(records),
      queryUsage: async (query) => (await ready).usage.queryUsage(query),
      aggregateUsage: async (query, groupBy) => (await ready).usage.aggregateUsage(query, groupBy),
    },
    policies: {
      putBudget: async (budget) => (await ready).policies.putBudget(budget),
      getBudget: async (id) => (await ready).policies.getBudget(id),
      deleteBudget: async (id) => (await ready).policies.deleteBudget(id),
      listBudgets: async (filter) => (await ready).policies.listBudgets(filter),
      putRateLimits: async (limits) => (await ready).policies.putRateLimits(limits),
      deleteRateLimits: async (scope, scopeId) => (await ready).policies.deleteRateLimits(scope, scopeId),
      listRateLimits: async () => (await ready).policies.listRateLimits(),
      putPiiPolicy: async (policy) => (await ready).policies.putPiiPolicy(policy),
      deletePiiPolicy: async (scope, scopeId) => (await ready).policies.deletePiiPolicy(scope, scopeId),
      listPiiPolicies: async () => (await ready).policies.listPiiPolicies(),
      policyOf: async (scope, scopeId) => (await ready).policies.policyOf(scope, scopeId),
    },
    counters: {
      reserve: async (request) => (await ready).counters.reserve(request),
      settle: async (reservation, actual, nowMs) => (await ready).counters.settle(reservation, actual, nowMs),
      commit: async (reservation, used, nowMs) => (await ready).counters.commit(reservation, used, nowMs),
      read: async (counter, shards) => (await ready).counters.read(counter, shards),
    },
    alerts: {
      recordAlert: async (alert) => (await ready).alerts.recordAlert(alert),
      listAlerts: async (query) => (await ready).alerts.listAlerts(query),
    },
    audit: {
      appendAudit: async (entry) => (await ready).audit.appendAudit(entry),
      listAudit: async (query) => (await ready).audit.listAudit(query),
    },
  };
}
