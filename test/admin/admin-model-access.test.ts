import { errorCode, errorParam, MODEL_NAMES, startEntityApp, T0, type EntityApp } from './entity-app';

/** A key reaches a model only when both its team and itself allow it, through the gateway. */
let app: EntityApp;

beforeAll(async () => {
  app = await startEntityApp();
});
afterAll(async () => {
  await app.close();
});

describe('model access per team and per key', () => {
  it('serves the intersection of the team\'s and the key\'s allow-lists, and lists exactly it', async () => {
    const team = await app.adminCall('POST', '/teams', { name: 'mobile', models: ['gpt-4o*'] });
    expect(team.status).toBe(201);
    expect(team.json).toMatchObject({ name: 'mobile', models: ['gpt-4o*'] });
    const key = String((await app.adminCall('POST', '/keys', { team: 'mobile', models: ['gpt-*'] })).json.key);

    expect((await app.chat(key, 'gpt-4o-mini')).status).toBe(200);
    expect((await app.chat(key, 'gpt-4o')).status).toBe(200);
    // The key allows gpt-3.5 (gpt-*), its team does not; the team allows nothing of claude, nor does the key.
    for (const model of ['gpt-3.5-turbo', 'claude-sonnet']) {
      const refused = await app.chat(key, model);
      expect([model, refused.status, errorCode(refused)]).toEqual([model, 403, 'model_not_allowed']);
    }
    expect(await app.models(key)).toEqual(['gpt-4o', 'gpt-4o-mini']);
  });

  it('lets an unrestricted key use what its team allows, and applies a team change at once', async () => {
    await app.adminCall('POST', '/teams', { name: 'research' });
    const key = String((await app.adminCall('POST', '/keys', { team: 'research' })).json.key);
    expect(await app.models(key)).toEqual([...MODEL_NAMES].sort());

    const patched = await app.adminCall('PATCH', '/teams/Research', { models: ['claude-*'] });
    expect(patched.json).toMatchObject({ name: 'research', models: ['claude-*'] });
    // Same process: the shared authenticator forgets the team at once, no TTL wait.
    expect((await app.chat(key, 'gpt-4o')).status).toBe(403);
    expect((await app.chat(key, 'claude-sonnet')).status).toBe(200);
    expect(await app.models(key)).toEqual(['claude-sonnet']);

    const cleared = await app.adminCall('PATCH', '/teams/research', { models: null });
    expect(cleared.json).not.toHaveProperty('models');
    expect((await app.chat(key, 'gpt-4o')).status).toBe(200);
    expect((await app.adminCall('GET', '/teams/research')).json).not.toHaveProperty('models');
  });

  it('validates team updates and answers an unknown team with 404', async () => {
    for (const body of [{}, { models: 'gpt-4o' }, { models: [1] }]) {
      const answer = await app.adminCall('PATCH', '/teams/research', body);
      expect([answer.status, errorParam(answer)]).toEqual([400, 'models']);
    }
    const unknown = await app.adminCall('PATCH', '/teams/nope', { models: null });
    expect([unknown.status, errorCode(unknown), errorParam(unknown)]).toEqual([404, 'team_not_found', 'team']);
    expect(app.now).toBe(T0);
  });
});
