import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../lambda/errors/gateway-error';
import { useDynamo } from './dynamo-fixture';

describe('DynamoDB team store', () => {
  const dynamo = useDynamo();
  const teams = () => dynamo().stores.teams;

  it('creates, gets and lists teams (listed by name)', async () => {
    await teams().createTeam({ id: 't-zeta', name: 'Zeta', createdAt: '2026-01-02T00:00:00.000Z' });
    await teams().createTeam({ id: 't-alpha', name: 'Alpha', createdAt: '2026-01-01T00:00:00.000Z' });

    expect(await teams().getTeam('t-alpha')).toStrictEqual({ id: 't-alpha', name: 'Alpha', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(await teams().getTeam('t-missing')).toBeUndefined();
    const listed = await teams().listTeams();
    expect(listed.map((team) => team.name)).toEqual(['Alpha', 'Zeta']);
  });

  it('rejects a taken name, ignoring case, and keeps the original team', async () => {
    await teams().createTeam({ id: 't-research', name: 'Research', createdAt: '2026-01-03T00:00:00.000Z' });

    await expect(teams().createTeam({ id: 't-other', name: 'research', createdAt: '2026-01-04T00:00:00.000Z' }))
      .rejects.toBeInstanceOf(ConflictError);
    expect(await teams().getTeam('t-other')).toBeUndefined();
    expect((await teams().listTeams()).filter((team) => team.name.toLowerCase() === 'research')).toHaveLength(1);
  });

  it('lets exactly one of two concurrent creates with the same name win', async () => {
    const results = await Promise.allSettled([
      teams().createTeam({ id: 't-race-1', name: 'Race', createdAt: '2026-01-05T00:00:00.000Z' }),
      teams().createTeam({ id: 't-race-2', name: 'Race', createdAt: '2026-01-05T00:00:00.000Z' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(ConflictError);
  });

  it('releases the name claim when the team item cannot be written', async () => {
    await teams().createTeam({ id: 't-fixed', name: 'Fixed', createdAt: '2026-01-06T00:00:00.000Z' });
    // Same id, new name: the claim succeeds, the team put fails, the claim must be released.
    await expect(teams().createTeam({ id: 't-fixed', name: 'Renamed', createdAt: '2026-01-06T00:00:00.000Z' }))
      .rejects.toBeInstanceOf(ConflictError);
    expect((await teams().getTeam('t-fixed'))?.name).toBe('Fixed');

    await teams().createTeam({ id: 't-renamed', name: 'Renamed', createdAt: '2026-01-07T00:00:00.000Z' });
    expect((await teams().getTeam('t-renamed'))?.name).toBe('Renamed');
  });

  it('removes the models attribute when a team\'s restriction is lifted, and creates no team for an unknown id', async () => {
    await teams().createTeam({ id: 't-models', name: 'Models', createdAt: '2026-01-08T00:00:00.000Z', models: ['gpt-4o*'] });
    await teams().setTeamModels('t-models', undefined);
    const { Item: item } = await dynamo().client.send(new GetItemCommand({
      TableName: dynamo().tableName, Key: { pk: { S: 'TEAM#t-models' }, sk: { S: 'TEAM' } },
    }));
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty('models');
    expect(await teams().setTeamModels('t-ghost', ['x'])).toBeUndefined();
    expect(await teams().getTeam('t-ghost')).toBeUndefined();
  });
});
