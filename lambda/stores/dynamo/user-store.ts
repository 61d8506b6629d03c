import { DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../errors/gateway-error';
import type { User, UserStore } from '../store';
import { type Item, marshalItem, optionalString, readString, withoutUndefined } from './attributes';
import { compareByCreation } from './key-store';
import { GSI1, GSI1_PK, GSI1_SK, isServiceError, PK, queryPages, scanPages, SK } from './table';

/**
 * Users: pk `USER#<id>`, sk `USER`; gsi1 `TEAMUSERS#<teamId>` ordered by `<createdAt>#<id>` lists a
 * team's users in one Query.
 *
 * Unique emails, like unique team names: a claim item pk `USEREMAIL#<lower-case email>` is written
 * first with attribute_not_exists, then the user. No transactions locally (dynalite), so a failed
 * second write releases the claim again (best effort: a leftover claim only blocks that address,
 * and getUserByEmail ignores a claim whose user does not carry the email).
 */
const USER_SK = 'USER';
const EMAIL_SK = 'USEREMAIL';
const TEAM_USERS_PREFIX = 'TEAMUSERS#';

function userKey(id: string): Item {
  return { [PK]: { S: `USER#${id}` }, [SK]: { S: USER_SK } };
}

function emailClaimKey(email: string): Item {
  return { [PK]: { S: `USEREMAIL#${email.toLowerCase()}` }, [SK]: { S: EMAIL_SK } };
}

function fromItem(item: Item): User {
  return withoutUndefined({
    id: readString(item, 'id'),
    teamId: readString(item, 'teamId'),
    email: optionalString(item, 'email'),
    name: optionalString(item, 'name'),
    createdAt: readString(item, 'createdAt'),
  });
}

export function createDynamoUserStore(client: DynamoDBClient, tableName: string): UserStore {
  async function claimEmail(user: User, email: string): Promise<void> {
    try {
      await client.send(new PutItemCommand({
        TableName: tableName,
        Item: { ...emailClaimKey(email), ...marshalItem({ userId: user.id, email }) },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PK },
      }));
    } catch (error) {
      if (isServiceError(error, 'ConditionalCheckFailedException')) throw new ConflictError(`A user with email '${email}' already exists.`);
      throw error;
    }
  }

  async function releaseEmail(user: User, email: string): Promise<void> {
    try {
      await client.send(new DeleteItemCommand({
        TableName: tableName,
        Key: emailClaimKey(email),
        // Only our own claim: never free an address that another user holds.
        ConditionExpression: '#userId = :userId',
        ExpressionAttributeNames: { '#userId': 'userId' },
        ExpressionAttributeValues: { ':userId': { S: user.id } },
      }));
    } catch {
      // Best effort: the caller sees the original failure, which matters more than this one.
    }
  }

  async function getUser(id: string): Promise<User | undefined> {
    // Consistent so an admin flow can create a user and give it a key in the next call.
    const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: userKey(id), ConsistentRead: true }));
    return item === undefined ? undefined : fromItem(item);
  }

  return {
    async createUser(user) {
      if (user.email !== undefined) await claimEmail(user, user.email);
      try {
        await client.send(new PutItemCommand({
          TableName: tableName,
          Item: {
            ...userKey(user.id),
            ...marshalItem({
              [GSI1_PK]: `${TEAM_USERS_PREFIX}${user.teamId}`,
              [GSI1_SK]: `${user.createdAt}#${user.id}`,
              id: user.id,
              teamId: user.teamId,
              email: user.email,
              name: user.name,
              createdAt: user.createdAt,
            }),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }));
      } catch (error) {
        if (user.email !== undefined) await releaseEmail(user, user.email);
        if (isServiceError(error, 'ConditionalCheckFailedException')) throw new ConflictError(`A user with id '${user.id}' already exists.`);
        throw error;
      }
    },

    getUser,

    async getUserByEmail(email) {
      const { Item: claim } = await client.send(new GetItemCommand({ TableName: tableName, Key: emailClaimKey(email), ConsistentRead: true }));
      if (claim === undefined) return undefined;
      const user = await getUser(readString(claim, 'userId'));
      return user?.email?.toLowerCase() === email.toLowerCase() ? user : undefined;
    },

    async listUsers(teamId) {
      const pages = teamId === undefined
        ? // Every user: a Scan of the sparse gsi1 (entities only, never usage records); admin-only.
          scanPages(client, {
            TableName: tableName,
            IndexName: GSI1,
            FilterExpression: '#sk = :userSk',
            ExpressionAttributeNames: { '#sk': SK },
            ExpressionAttributeValues: { ':userSk': { S: USER_SK } },
          })
        : queryPages(client, {
          TableName: tableName,
          IndexName: GSI1,
          KeyConditionExpression: '#gsi1pk = :gsi1pk',
          ExpressionAttributeNames: { '#gsi1pk': GSI1_PK },
          ExpressionAttributeValues: { ':gsi1pk': { S: `${TEAM_USERS_PREFIX}${teamId}` } },
        });
      const users: User[] = [];
      for await (const items of pages) users.push(...items.map(fromItem));
      return users.sort(compareByCreation);
    },
  };
}
