import { modelAllowed } from '../../lambda/core/model-access';

describe('model access patterns', () => {
  it.each([
    [[], 'anything', true],
    [['*'], 'gpt-4o', true],
    [['gpt-4o*'], 'gpt-4o-mini', true],
    [['gpt-4o*'], 'gpt-4.1', false],
    [['claude-*', 'text-embedding-3-small'], 'text-embedding-3-small', true],
    [['gpt-4o'], 'gpt-4o-mini', false],
    [['a.b'], 'axb', false],
    [['llama-3.3-70b'], 'llama-3.3-70b', true],
  ])('%j allows %s: %s', (patterns, model, allowed) => {
    expect(modelAllowed(patterns, model)).toBe(allowed);
  });
});
