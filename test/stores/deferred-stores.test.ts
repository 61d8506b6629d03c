import { deferredStores } from '../../lambda/stores/deferred-stores';
import { createMemoryStores } from '../support/memory-stores';

describe('deferredStores', () => {
  it('opens the real stores on first use, once, and forwards every call', async () => {
    const real = createMemoryStores();
    let opens = 0;
    const stores = deferredStores(async () => {
      opens += 1;
      return real;
    });
    expect(opens).toBe(0);
    await Promise.all([stores.teams.listTeams(), stores.keys.listKeys(), stores.teams.getTeam('x')]);
    expect(opens).toBe(1);
    await stores.teams.createTeam({ id: 't1', name: 'one', createdAt: new Date().toISOString() });
    expect(await real.teams.getTeam('t1')).toMatchObject({ name: 'one' });
  });

  it('passes an opening failure to the caller', async () => {
    const stores = deferredStores(() => Promise.reject(new Error('no disk')));
    await expect(stores.keys.getKey('k')).rejects.toThrow('no disk');
  });
});
