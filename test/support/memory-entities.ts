import { ConflictError } from '../../lambda/errors/gateway-error';
import { auditBounds, encodeAuditCursor } from '../../lambda/stores/dynamo/audit-store';
import { compareByCreation } from '../../lambda/stores/dynamo/key-store';
import type { AuditEntry, AuditStore, GatewayKeyRecord, KeyStore, Team, TeamStore, User, UserStore } from '../../lambda/stores/store';

/**
 * Keys, teams, users and the audit trail in memory, behaving like the DynamoDB stores wherever a
 * caller can tell (test/stores/entity-contract.test.ts runs the same assertions against both):
 * listing order, case-insensitive uniqueness, conditional rotation, audit paging. Uniqueness checks
 * and writes happen with no await between them, so concurrent creates race like conditional puts.
 */

/** Keys in memory; `keyLookups` counts getKey calls (cache tests). */
export function createMemoryKeys(counter: { keyLookups: number }): KeyStore {
  const keys = new Map<string, GatewayKeyRecord>();
  return {
    async getKey(id) {
      counter.keyLookups += 1;
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
    async rotateKey(id, rotation) {
      const record = keys.get(id);
      if (record === undefined || record.revokedAt !== undefined || record.secretHash !== rotation.previousSecretHash) return undefined;
      const updated = { ...record, ...rotation };
      keys.set(id, updated);
      return updated;
    },
    async listKeys(teamId, user) {
      return [...keys.values()]
        .filter((key) => (teamId === undefined || key.teamId === teamId) && (user === undefined || key.user === user))
        .sort(compareByCreation);
    },
  };
}

/** Names compared like the stored index sort key (code units), as DynamoDB orders gsi1sk. */
const byName = (a: Team, b: Team): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function createMemoryTeams(): TeamStore {
  const teams = new Map<string, Team>();
  const findByName = (name: string): Team | undefined => [...teams.values()].find((team) => team.name.toLowerCase() === name.toLowerCase());
  return {
    async createTeam(team) {
      if (findByName(team.name) !== undefined) throw new ConflictError(`A team named '${team.name}' already exists.`);
      if (teams.has(team.id)) throw new ConflictError(`A team with id '${team.id}' already exists.`);
      teams.set(team.id, team);
    },
    async getTeam(id) {
      return teams.get(id);
    },
    async getTeamByName(name) {
      return findByName(name);
    },
    async listTeams() {
      return [...teams.values()].sort(byName);
    },
    async setTeamModels(id, models) {
      const team = teams.get(id);
      if (team === undefined) return undefined;
      const { models: _old, ...rest } = team;
      const updated: Team = models === undefined ? rest : { ...rest, models: [...models] };
      teams.set(id, updated);
      return updated;
    },
  };
}

export function createMemoryUsers(): UserStore {
  const users = new Map<string, User>();
  const findByEmail = (email: string): User | undefined => [...users.values()].find((user) => user.email?.toLowerCase() === email.toLowerCase());
  return {
    async createUser(user) {
      if (user.email !== undefined && findByEmail(user.email) !== undefined) throw new ConflictError(`A user with email '${user.email}' already exists.`);
      if (users.has(user.id)) throw new ConflictError(`A user with id '${user.id}' already exists.`);
      users.set(user.id, user);
    },
    async getUser(id) {
      return users.get(id);
    },
    async getUserByEmail(email) {
      return findByEmail(email);
    },
    async listUsers(teamId) {
      return [...users.values()].filter((user) => teamId === undefined || user.teamId === teamId).sort(compareByCreation);
    },
  };
}

const sortKey = (entry: AuditEntry): string => `${entry.time}#${entry.id}`;

/** The audit trail in memory: newest first, with the DynamoDB store's bounds and cursor. */
export function createMemoryAudit(): AuditStore {
  const entries: AuditEntry[] = [];
  return {
    async appendAudit(entry) {
      entries.push(entry);
    },
    async listAudit(query) {
      const { lower, upper, limit } = auditBounds(query);
      const matching = entries
        .filter((entry) => sortKey(entry) >= lower && sortKey(entry) < upper && (query.target === undefined || entry.target === query.target))
        .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
      if (matching.length <= limit) return { entries: matching };
      const page = matching.slice(0, limit);
      const last = page[page.length - 1];
      return last === undefined ? { entries: page } : { entries: page, nextCursor: encodeAuditCursor(sortKey(last)) };
    },
  };
}
