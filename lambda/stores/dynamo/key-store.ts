import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { GatewayKeyRecord, KeyStore } from '../store';
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
 * `<createdAt>#<id>`.
 */
const KEY_SK = 'KEY';
const TEAM_KEYS_PREFIX = 'TEAMKEYS#';

function keyOf(id: string): Item {
  return { [PK]: { S: `KEY#${id}` }, [SK]: { S: KEY_SK } };
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
    }),
  };
}

function fromItem(item: Item): GatewayKeyRecord {
  return withoutUndefined({
    id: readString(item, 'id'),
    secretHash: readString(item, 'secretHash'),
    teamId: readString(item, 'teamId'),
    user: optionalString(item, 'user'),
    name: optionalString(item, 'name'),
    models: optionalStringList(item, 'models'),
    createdAt: readString(item, 'createdAt'),
    expiresAt: optionalString(item, 'expiresAt'),
    revokedAt: optionalString(item, 'revokedAt'),
  });
}

export function createDynamoKeyStore(client: DynamoDBClient, tableName: string): KeyStore {
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

    async revokeKey(id, revokedAt) {
      try {
        const { Attributes: attributes } = await client.send(new UpdateItemCommand({
          TableName: tableName,
          Key: keyOf(id),
          // if_not_exists keeps the first revocation time: revoking twice must not rewrite history.
          UpdateExpression: 'SET #revokedAt = if_not_exists(#revokedAt, :revokedAt)',
          // Without the condition UpdateItem would create a stub item for an unknown id.
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#revokedAt': 'revokedAt', '#pk': PK },
          ExpressionAttributeValues: { ':revokedAt': { S: revokedAt } },
          ReturnValues: 'ALL_NEW',
        }));
        return attributes === undefined ? undefined : fromItem(attributes);
      } catch (error) {
        if (isServiceError(error, 'ConditionalCheckFailedException')) return undefined;
        throw error;
      }
    },

    async listKeys(teamId) {
      const pages = teamId === undefined
        ? // All keys: a Scan of gsi1, not of the table. The index is sparse (only teams and keys
          // carry gsi1pk; usage records, the bulk of the table, do not), so this reads teams and
          // keys only. Admin-only and rare, so a Scan beats a second index kept just for it.
          scanPages(client, {
            TableName: tableName,
            IndexName: GSI1,
            FilterExpression: '#sk = :keySk',
            ExpressionAttributeNames: { '#sk': SK },
            ExpressionAttributeValues: { ':keySk': { S: KEY_SK } },
          })
        : queryPages(client, {
          TableName: tableName,
          IndexName: GSI1,
          KeyConditionExpression: '#gsi1pk = :gsi1pk',
          ExpressionAttributeNames: { '#gsi1pk': GSI1_PK },
          ExpressionAttributeValues: { ':gsi1pk': { S: `${TEAM_KEYS_PREFIX}${teamId}` } },
        });
      const keys: GatewayKeyRecord[] = [];
      for await (const items of pages) keys.push(...items.map(fromItem));
      // The Scan returns index partitions in hash order; sort so both paths list oldest first.
      return keys.sort(compareByCreation);
    },
  };
}

function compareByCreation(a: GatewayKeyRecord, b: GatewayKeyRecord): number {
  const left = `${a.createdAt}#${a.id}`;
  const right = `${b.createdAt}#${b.id}`;
  return left < right ? -1 : left > right ? 1 : 0;
}
