import { ConflictError } from '../../lambda/errors/gateway-error';
import { createDynamoAuditStore } from '../../lambda/stores/dynamo/audit-store';
import { createDynamoKeyStore } from '../../lambda/stores/dynamo/key-store';
import { createDynamoTeamStore } from '../../lambda/stores/dynamo/team-store';
import { createDynamoUserStore } from '../../lambda/stores/dynamo/user-store';
import type { AuditEntry, AuditStore, GatewayKeyRecord, KeyStore, TeamStore, UserStore } from '../../lambda/stores/store';
import { createMemoryAudit, createMemoryKeys, createMemoryTeams, createMemoryUsers } from '../support/memory-entities';
import { useDynamo } from './dynamo-fixture';

/**
 * Teams, users, keys and the audit trail: the same assertions against the in-memory stores (what the
 * core's unit tests use) and the DynamoDB stores on the embedded server (what production uses).
 * Ids carry a per-run prefix because the DynamoDB suite shares one table across tests.
 */
interface EntityStores {
  readonly keys: KeyStore;
  readonly teams: TeamStore;
  readonly users: UserStore;
  readonly audit: AuditStore;
}

const T0 = Date.parse('2026-05-10T12:00:00.000Z');
const at = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString();
let run = 0;
const fresh = (label: string): string => `${label}-${(run += 1)}`;

function key(id: string, teamId: string, extra: Partial<GatewayKeyRecord> = {}): GatewayKeyRecord {
  return { id, secretHash: `hash-${id}`, teamId, createdAt: at(0), ...extra };
}

function contract(name: string, open: () => EntityStores): void {
  describe(`entity contract: ${name}`, () => {
    it('creates users, finds them by id and by email in any case, and lists a team\'s users oldest first', async () => {
      const { users } = open();
      const team = fresh('team');
      await users.createUser({ id: fresh('u'), teamId: team, email: `Zed-${team}@Example.com`, name: 'Zed', createdAt: at(2) });
      const first = { id: fresh('u'), teamId: team, email: `amy-${team}@example.com`, createdAt: at(1) };
      await users.createUser(first);
      const nameOnly = { id: fresh('u'), teamId: fresh('other-team'), name: 'Robot', createdAt: at(3) };
      await users.createUser(nameOnly);

      expect(await users.getUser(first.id)).toStrictEqual(first);
      expect(await users.getUser(nameOnly.id)).toStrictEqual(nameOnly);
      expect(await users.getUserByEmail(`AMY-${team}@EXAMPLE.COM`)).toStrictEqual(first);
      expect(await users.getUserByEmail(`nobody-${team}@example.com`)).toBeUndefined();
      expect((await users.listUsers(team)).map((user) => user.name ?? user.email)).toEqual([first.email, 'Zed']);
      const everyone = (await users.listUsers()).map((user) => user.id);
      expect(everyone).toEqual(expect.arrayContaining([first.id, nameOnly.id]));
    });

    it('keeps emails unique ignoring case: exactly one of many concurrent creates wins', async () => {
      const { users } = open();
      const email = `race-${fresh('mail')}@example.com`;
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, index) =>
        users.createUser({ id: fresh('u'), teamId: 't', email: index % 2 === 0 ? email : email.toUpperCase(), createdAt: at(index) })));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ConflictError);
      const winner = await users.getUserByEmail(email);
      expect(winner).toBeDefined();
      await expect(users.createUser({ id: winner?.id ?? '', teamId: 't', createdAt: at(0) })).rejects.toBeInstanceOf(ConflictError);
    });

    it('stores a key\'s owner, name, tags and rotation fields, and lists by team and owner oldest first', async () => {
      const { keys } = open();
      const team = fresh('team');
      const full = key(fresh('k'), team, {
        user: 'usr_1', name: 'laptop', tags: { env: 'prod', 'cost-centre': '42' }, models: ['gpt-*'], createdAt: at(5),
        previousSecretHash: 'old', previousSecretExpiresAt: at(3_600_000), rotatedAt: at(6),
      });
      const service = key(fresh('k'), team, { tags: {}, createdAt: at(1) });
      const otherUser = key(fresh('k'), team, { user: 'usr_2', createdAt: at(3) });
      for (const record of [full, service, otherUser]) await keys.putKey(record);

      expect(await keys.getKey(full.id)).toStrictEqual(full);
      expect(await keys.getKey(service.id)).toStrictEqual(service);
      expect((await keys.listKeys(team)).map((record) => record.id)).toEqual([service.id, otherUser.id, full.id]);
      expect((await keys.listKeys(team, 'usr_1')).map((record) => record.id)).toEqual([full.id]);
      expect((await keys.listKeys(undefined, 'usr_2')).map((record) => record.id)).toEqual([otherUser.id]);
      expect(await keys.listKeys(fresh('team-empty'))).toEqual([]);
    });

    it('rotates an active key, never a revoked or unknown one', async () => {
      const { keys } = open();
      const active = key(fresh('k'), 't', { name: 'ci' });
      const revoked = key(fresh('k'), 't', { revokedAt: at(1) });
      await keys.putKey(active);
      await keys.putKey(revoked);
      const rotation = { secretHash: 'new-hash', previousSecretHash: active.secretHash, previousSecretExpiresAt: at(3_600_000), rotatedAt: at(10) };

      expect(await keys.rotateKey(active.id, rotation)).toStrictEqual({ ...active, ...rotation });
      expect(await keys.getKey(active.id)).toStrictEqual({ ...active, ...rotation });
      expect(await keys.rotateKey(revoked.id, rotation)).toBeUndefined();
      expect(await keys.getKey(revoked.id)).toStrictEqual(revoked);
      // A rotation that names a secret the key no longer has lost a race: it changes nothing.
      expect(await keys.rotateKey(active.id, { ...rotation, secretHash: 'loser' })).toBeUndefined();
      expect((await keys.getKey(active.id))?.secretHash).toBe('new-hash');
      expect(await keys.rotateKey(fresh('k-ghost'), rotation)).toBeUndefined();
      expect(await keys.getKey(`k-ghost-${run}`)).toBeUndefined();
    });

    it('lets one of many concurrent rotations win, and never revives a key when they race a revocation', async () => {
      const { keys } = open();
      const record = key(fresh('k'), 't');
      await keys.putKey(record);
      const rotations = Array.from({ length: 10 }, (_, index) => keys.rotateKey(record.id, {
        secretHash: `hash-${index}`, previousSecretHash: record.secretHash, previousSecretExpiresAt: at(60_000), rotatedAt: at(index),
      }));
      const [revokedRecord, ...rotated] = await Promise.all([keys.revokeKey(record.id, at(5)), ...rotations]);
      expect(rotated.filter((result) => result !== undefined).length).toBeLessThanOrEqual(1);
      expect(revokedRecord?.revokedAt).toBe(at(5));
      const final = await keys.getKey(record.id);
      expect(final?.revokedAt).toBe(at(5));
      const calm = key(fresh('k'), 't');
      await keys.putKey(calm);
      const winners = (await Promise.all(Array.from({ length: 10 }, (_, index) => keys.rotateKey(calm.id, {
        secretHash: `calm-${index}`, previousSecretHash: calm.secretHash, previousSecretExpiresAt: at(60_000), rotatedAt: at(index),
      })))).filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      expect((await keys.getKey(calm.id))?.secretHash).toBe(winners[0]?.secretHash);
      expect(await keys.rotateKey(record.id, { secretHash: 'late', previousSecretHash: 'x', previousSecretExpiresAt: at(1), rotatedAt: at(1) })).toBeUndefined();
    });

    it('sets and clears a team\'s models, lists teams by name, and finds names in any case', async () => {
      const { teams } = open();
      const id = fresh('team');
      await teams.createTeam({ id, name: `Models-${id}`, createdAt: at(0), models: ['gpt-4o*'] });
      expect((await teams.getTeam(id))?.models).toEqual(['gpt-4o*']);
      expect(await teams.setTeamModels(id, ['claude-*', 'gpt-4o'])).toStrictEqual({ id, name: `Models-${id}`, createdAt: at(0), models: ['claude-*', 'gpt-4o'] });
      expect(await teams.setTeamModels(id, undefined)).toStrictEqual({ id, name: `Models-${id}`, createdAt: at(0) });
      expect(await teams.getTeam(id)).toStrictEqual({ id, name: `Models-${id}`, createdAt: at(0) });
      expect(await teams.setTeamModels(fresh('team-ghost'), ['x'])).toBeUndefined();
      expect(await teams.getTeamByName(`MODELS-${id.toUpperCase()}`)).toMatchObject({ id });

      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, index) =>
        teams.createTeam({ id: `${id}-race-${index}`, name: index % 2 === 0 ? `Race-${id}` : `RACE-${id}`, createdAt: at(0) })));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const names = (await teams.listTeams()).map((team) => team.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('lists the audit trail newest first over a range, by target, in pages that add up to the whole', async () => {
      const { audit } = open();
      const target = fresh('key:k');
      const other = fresh('team:t');
      const base = Date.parse('2026-03-01T00:00:00.000Z') + run * 10 * 86_400_000;
      const entries: AuditEntry[] = Array.from({ length: 23 }, (_, index) => ({
        // Spread over three UTC days, with two entries sharing one millisecond.
        id: `aud_${String(index).padStart(3, '0')}`, time: new Date(base + Math.min(index, 21) * 3 * 3_600_000).toISOString(),
        actor: 'admin-token', action: index % 2 === 0 ? 'key.rotate' : 'team.update', target: index % 2 === 0 ? target : other,
        ...(index % 2 === 0 ? { before: { status: 'active', tags: { env: 'prod' } }, after: { status: 'active', n: index } } : {}),
      }));
      await Promise.all(entries.map((entry) => audit.appendAudit(entry)));
      const range = { from: new Date(base).toISOString(), to: new Date(base + 3 * 86_400_000).toISOString() };
      const newestFirst = [...entries].sort((a, b) => (`${a.time}#${a.id}` < `${b.time}#${b.id}` ? 1 : -1));

      const whole = await audit.listAudit({ ...range, limit: 1000 });
      expect(whole.entries).toStrictEqual(newestFirst);
      expect(whole.nextCursor).toBeUndefined();

      const paged: AuditEntry[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await audit.listAudit({ ...range, limit: 5, ...(cursor === undefined ? {} : { cursor }) });
        paged.push(...page.entries);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== undefined && pages < 20);
      expect(paged).toStrictEqual(newestFirst);
      expect(pages).toBe(5);

      const byTarget = await audit.listAudit({ ...range, target, limit: 1000 });
      expect(byTarget.entries).toStrictEqual(newestFirst.filter((entry) => entry.target === target));
      // `to` is exclusive, `from` inclusive.
      const first = entries[0];
      const narrow = await audit.listAudit({ from: first?.time ?? '', to: entries[1]?.time ?? '' });
      expect(narrow.entries.map((entry) => entry.id)).toEqual([first?.id]);
      await expect(audit.listAudit({ ...range, cursor: 'not-a-cursor' })).rejects.toMatchObject({ status: 400, param: 'cursor' });
    });
  });
}

contract('memory', () => ({ keys: createMemoryKeys({ keyLookups: 0 }), teams: createMemoryTeams(), users: createMemoryUsers(), audit: createMemoryAudit() }));

describe('DynamoDB', () => {
  const dynamo = useDynamo();
  contract('dynamodb', () => {
    const { client, tableName } = dynamo();
    return {
      keys: createDynamoKeyStore(client, tableName),
      teams: createDynamoTeamStore(client, tableName),
      users: createDynamoUserStore(client, tableName),
      audit: createDynamoAuditStore(client, tableName),
    };
  });
});
