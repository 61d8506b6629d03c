import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { InternalError } from '../../errors/gateway-error';
import type { GatewayKeyRecord, KeyRotation, KeyStore } from '../store';
import {
  type Item,
  marshalItem,
  optionalString,
  optionalStringList,
  readString,
  withoutUndefined,
} from './attributes';
import { GSI1, GSI1_PK, GSI1_SK, isServiceError, PK, queryPages, scanPages, SK } from './table';

/**
 * Gateway keys: pk `KEY#<id>`, sk `KEY`, so authenticating a request is one GetItem by the id
 * embedded in the presented key. gsi1 groups a team's keys (`TEAMKEYS#<teamId>`) ordered by
 * `<createdAt>#<id>`; a user's keys are that team partition filtered by owner (a user belongs to
 * one team, and a team's keys are few enough that a filter costs nothing worth a second index).
 */
const KEY_SK = 'KEY';
const TEAM_KEYS_PREFIX = 'TEAMKEYS#';

function keyOf(id: string): Item {
  return { [PK]: { S: `KEY#${id}` }, [SK]: { S: KEY_SK } };
}

/** Tags are a native map (M of S), so they stay readable in the console and in exports. */
function marshalTags(tags: Readonly<Record<string, string>> | undefined): Item {
  if (tags === undefined) return {};
  const map: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(tags)) map[name] = { S: value };
  return { tags: { M: map } };
}

function readTags(item: Item): Record<string, string> | undefined {
  const value = item.tags;
  if (value === undefined) return undefined;
  if (value.M === undefined) throw new InternalError("Stored item is malformed: attribute 'tags' is not a map.");
  const tags: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value.M)) {
    if (entry.S === undefined) throw new InternalError("Stored item is malformed: attribute 'tags' holds a non-string value.");
    tags[name] = entry.S;
  }
  return tags;
}

function toItem(record: GatewayKeyRecord): Item {
  return {
    ...keyOf(record.id),
    ...marshalItem({
      [GSI1_PK]: `${TEAM_KEYS_PREFIX}${record.teamId}`,
      [GSI1_SK]: `${record.createdAt}#${record.id}`,
      id: record.id,
      secretHash: record.secretHash,
      teamId: record.teamId,
      user: record.user,
      name: record.name,
      models: record.models,
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
      revokedAt: record.revokedAt,
      previousSecretHash: record.previousSecretHash,
      previousSecretExpiresAt: record.previousSecretExpiresAt,
      rotatedAt: record.rotatedAt,
    }),
    ...marshalTags(record.tags),
  };
}

function fromItem(item: Item): GatewayKeyRecord {
  return withoutUndefined({
    id: readString(item, 'id'),
    secretHash: readString(item, 'secretHash'),
    teamId: readString(item, 'teamId'),
    user: optionalString(item, 'user'),
    name: optionalString(item, 'name'),
    tags: readTags(item),
    models: optionalStringList(item, 'models'),
    createdAt: readString(item, 'createdAt'),
    expiresAt: optionalString(item, 'expiresAt'),
    revokedAt: optionalString(item, 'revokedAt'),
    previousSecretHash: optionalString(item, 'previousSecretHash'),
    previousSecretExpiresAt: optionalString(item, 'previousSecretExpiresAt'),
    rotatedAt: optionalString(item, 'rotatedAt'),
  });
}

export function createDynamoKeyStore(client: DynamoDBClient, tableName: string): KeyStore {
  /** One conditional UpdateItem; undefined when the condition fails (no such key, or not allowed). */
  async function conditionalUpdate(id: string, update: {
    expression: string;
    condition: string;
    names: Record<string, string>;
    values: Item;
  }): Promise<GatewayKeyRecord | undefined> {
    try {
      const { Attributes: attributes } = await client.send(new UpdateItemCommand({
        TableName: tableName,
        Key: keyOf(id),
        UpdateExpression: update.expression,
        ConditionExpression: update.condition,
        ExpressionAttributeNames: { '#pk': PK, ...update.names },
        ExpressionAttributeValues: update.values,
        ReturnValues: 'ALL_NEW',
      }));
      return attributes === undefined ? undefined : fromItem(attributes);
    } catch (error) {
      if (isServiceError(error, 'ConditionalCheckFailedException')) return undefined;
      throw error;
    }
  }

  return {
    async getKey(id) {
      // Strongly consistent: a key must work the moment it is created and stop the moment it is
      // revoked; the extra half read unit per lookup is the price of that.
      const { Item: item } = await client.send(new GetItemCommand({
        TableName: tableName,
        Key: keyOf(id),
        ConsistentRead: true,
      }));
      return item === undefined ? undefined : fromItem(item);
    },

    async putKey(record) {
      await client.send(new PutItemCommand({ TableName: tableName, Item: toItem(record) }));
    },

    revokeKey(id, revokedAt) {
      return conditionalUpdate(id, {
        // if_not_exists keeps the first revocation time: revoking twice must not rewrite history.
        expression: 'SET #revokedAt = if_not_exists(#revokedAt, :revokedAt)',
        // Without the condition UpdateItem would create a stub item for an unknown id.
        condition: 'attribute_exists(#pk)',
        names: { '#revokedAt': 'revokedAt' },
        values: { ':revokedAt': { S: revokedAt } },
      });
    },

    rotateKey(id, rotation: KeyRotation) {
      return conditionalUpdate(id, {
        expression: 'SET #secretHash = :secretHash, #previousSecretHash = :previousSecretHash, '
          + '#previousSecretExpiresAt = :previousSecretExpiresAt, #rotatedAt = :rotatedAt',
        // In the same write as the new secret: a revocation racing the rotation either lands first
        // (the rotation fails) or after (the rotated key is revoked) — never a revived key. The secret
        // must still be the one the rotation replaces: of concurrent rotations exactly one wins, so no
        // caller is handed a secret that a later write already overwrote.
        condition: 'attribute_exists(#pk) AND attribute_not_exists(#revokedAt) AND #secretHash = :previousSecretHash',
        names: {
          '#secretHash': 'secretHash',
          '#previousSecretHash': 'previousSecretHash',
          '#previousSecretExpiresAt': 'previousSecretExpiresAt',
          '#rotatedAt': 'rotatedAt',
          '#revokedAt': 'revokedAt',
        },
        values: {
          ':secretHash': { S: rotation.secretHash },
          ':previousSecretHash': { S: rotation.previousSecretHash },
          ':previousSecretExpiresAt': { S: rotation.previousSecretExpiresAt },
          ':rotatedAt': { S: rotation.rotatedAt },
        },
      });
    },

    async listKeys(teamId, user) {
      const ownerFilter = user === undefined ? {} : { filter: '#user = :user', names: { '#user': 'user' }, values: { ':user': { S: user } } };
      const pages = teamId === undefined
        ? // All keys: a Scan of gsi1, not of the table. The index is sparse (usage records, the bulk
          // of the table, carry no gsi1pk), so this reads entities only. Admin-only and rare, so a
          // Scan beats a second index kept just for it.
          scanPages(client, {
            TableName: tableName,
            IndexName: GSI1,
            FilterExpression: ['#sk = :keySk', ownerFilter.filter].filter(Boolean).join(' AND '),
            ExpressionAttributeNames: { '#sk': SK, ...ownerFilter.names },
            ExpressionAttributeValues: { ':keySk': { S: KEY_SK }, ...ownerFilter.values },
          })
        : queryPages(client, {
          TableName: tableName,
          IndexName: GSI1,
          KeyConditionExpression: '#gsi1pk = :gsi1pk',
          ...(ownerFilter.filter === undefined ? {} : { FilterExpression: ownerFilter.filter }),
          ExpressionAttributeNames: { '#gsi1pk': GSI1_PK, ...ownerFilter.names },
          ExpressionAttributeValues: { ':gsi1pk': { S: `${TEAM_KEYS_PREFIX}${teamId}` }, ...ownerFilter.values },
        });
      const keys: GatewayKeyRecord[] = [];
      for await (const items of pages) keys.push(...items.map(fromItem));
      // The Scan returns index partitions in hash order; sort so both paths list oldest first.
      return keys.sort(compareByCreation);
    },
  };
}

export function compareByCreation(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number {
  const left = `${a.createdAt}#${a.id}`;
  const right = `${b.createdAt}#${b.id}`;
  return left < right ? -1 : left > right ? 1 : 0;
}
