import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../errors/gateway-error';
import type { Team, TeamStore } from '../store';
import { type Item, marshalItem, optionalStringList, readString, withoutUndefined } from './attributes';
import { GSI1, GSI1_PK, GSI1_SK, isServiceError, PK, queryPages, SK } from './table';

/**
 * Teams: pk `TEAM#<id>`, sk `TEAM`; all teams share gsi1pk `TEAMS` so listing them is one Query
 * ordered by name. A team count is small (hundreds), so that single index partition is no hot spot.
 *
 * Unique names: DynamoDB only enforces uniqueness of the primary key, so each name also owns a
 * claim item pk `TEAMNAME#<lower-case name>` written first with attribute_not_exists. The local
 * server (dynalite) has no transactions, so the claim and the team are two writes; if the second
 * fails we remove the claim again (best effort — a leftover claim only blocks that name).
 */
const TEAM_SK = 'TEAM';
const NAME_SK = 'TEAMNAME';
const TEAMS_PARTITION = 'TEAMS';

function teamKey(id: string): Item {
  return { [PK]: { S: `TEAM#${id}` }, [SK]: { S: TEAM_SK } };
}

function nameClaimKey(name: string): Item {
  // Lower-case so "Research" and "research" cannot both exist: they would be confused in reports.
  return { [PK]: { S: `TEAMNAME#${name.toLowerCase()}` }, [SK]: { S: NAME_SK } };
}

function fromItem(item: Item): Team {
  return withoutUndefined({
    id: readString(item, 'id'),
    name: readString(item, 'name'),
    createdAt: readString(item, 'createdAt'),
    models: optionalStringList(item, 'models'),
  });
}

export function createDynamoTeamStore(client: DynamoDBClient, tableName: string): TeamStore {
  async function claimName(team: Team): Promise<void> {
    try {
      await client.send(new PutItemCommand({
        TableName: tableName,
        Item: { ...nameClaimKey(team.name), ...marshalItem({ teamId: team.id, name: team.name }) },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PK },
      }));
    } catch (error) {
      if (isServiceError(error, 'ConditionalCheckFailedException')) throw new ConflictError(`A team named '${team.name}' already exists.`);
      throw error;
    }
  }

  async function releaseName(team: Team): Promise<void> {
    try {
      await client.send(new DeleteItemCommand({
        TableName: tableName,
        Key: nameClaimKey(team.name),
        // Only our own claim: never free a name that another team holds.
        ConditionExpression: '#teamId = :teamId',
        ExpressionAttributeNames: { '#teamId': 'teamId' },
        ExpressionAttributeValues: { ':teamId': { S: team.id } },
      }));
    } catch {
      // Best effort: the caller sees the original failure, which matters more than this one.
    }
  }

  async function getTeam(id: string): Promise<Team | undefined> {
    // Consistent so an admin flow can create a team and use it in the next call.
    const { Item: item } = await client.send(new GetItemCommand({
      TableName: tableName,
      Key: teamKey(id),
      ConsistentRead: true,
    }));
    return item === undefined ? undefined : fromItem(item);
  }

  return {
    async createTeam(team) {
      await claimName(team);
      try {
        await client.send(new PutItemCommand({
          TableName: tableName,
          Item: {
            ...teamKey(team.id),
            ...marshalItem({
              [GSI1_PK]: TEAMS_PARTITION,
              [GSI1_SK]: team.name,
              id: team.id,
              name: team.name,
              createdAt: team.createdAt,
              models: team.models,
            }),
          },
          // Never overwrite an existing team (and with it its name's claim) through an id reuse.
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }));
      } catch (error) {
        await releaseName(team);
        if (isServiceError(error, 'ConditionalCheckFailedException')) throw new ConflictError(`A team with id '${team.id}' already exists.`);
        throw error;
      }
    },

    getTeam,

    async getTeamByName(name) {
      // The name's claim item (consistent read) points at the team: no index, so no propagation delay.
      const { Item: claim } = await client.send(new GetItemCommand({
        TableName: tableName,
        Key: nameClaimKey(name),
        ConsistentRead: true,
      }));
      if (claim === undefined) return undefined;
      // A claim left behind by a failed create points at no team: that is "no such team".
      const team = await getTeam(readString(claim, 'teamId'));
      return team?.name.toLowerCase() === name.toLowerCase() ? team : undefined;
    },

    async listTeams() {
      // Index reads are eventually consistent: a team created a moment ago may be missing briefly.
      const teams: Team[] = [];
      const pages = queryPages(client, {
        TableName: tableName,
        IndexName: GSI1,
        KeyConditionExpression: '#gsi1pk = :teams',
        ExpressionAttributeNames: { '#gsi1pk': GSI1_PK },
        ExpressionAttributeValues: { ':teams': { S: TEAMS_PARTITION } },
      });
      for await (const items of pages) teams.push(...items.map(fromItem));
      return teams;
    },

    async setTeamModels(id, models) {
      // REMOVE rather than an empty list: absent means "every model", and an empty list must not be
      // mistaken for "none" by any reader.
      const update = models === undefined
        ? { UpdateExpression: 'REMOVE #models' }
        : { UpdateExpression: 'SET #models = :models', ExpressionAttributeValues: marshalItem({ ':models': models }) };
      try {
        const { Attributes: attributes } = await client.send(new UpdateItemCommand({
          TableName: tableName,
          Key: teamKey(id),
          ...update,
          // Without the condition UpdateItem would create a stub team for an unknown id.
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#models': 'models', '#pk': PK },
          ReturnValues: 'ALL_NEW',
        }));
        return attributes === undefined ? undefined : fromItem(attributes);
      } catch (error) {
        if (isServiceError(error, 'ConditionalCheckFailedException')) return undefined;
        throw error;
      }
    },
  };
}
