import { parsePiiConfig } from '../../../lambda/config/validate-pii-config';

const GUARDRAIL = { service: 'bedrock-guardrails', guardrailId: 'gr1', guardrailVersion: '2' } as const;

describe('pii.managed cache settings', () => {
  test('are optional, and kept for either service when valid', () => {
    expect(parsePiiConfig({ managed: { service: 'comprehend' } }).managed).toEqual({ service: 'comprehend' });
    expect(parsePiiConfig({ managed: { service: 'comprehend', cacheMb: 64, cacheTtlSeconds: 120 } }).managed)
      .toEqual({ service: 'comprehend', cacheMb: 64, cacheTtlSeconds: 120 });
    expect(parsePiiConfig({ managed: { ...GUARDRAIL, cacheMb: 0, cacheTtlSeconds: 86_400 } }).managed)
      .toEqual({ ...GUARDRAIL, cacheMb: 0, cacheTtlSeconds: 86_400 });
    expect(parsePiiConfig({ managed: { ...GUARDRAIL, cacheMb: 0.5 } }).managed).toEqual({ ...GUARDRAIL, cacheMb: 0.5 });
  });

  test.each([
    [{ cacheMb: -1 }, 'pii.managed.cacheMb must be a number from 0 (no cache) to 1024'],
    [{ cacheMb: 2048 }, 'pii.managed.cacheMb must be a number from 0 (no cache) to 1024'],
    [{ cacheMb: '16' }, 'pii.managed.cacheMb must be a number'],
    [{ cacheMb: Number.NaN }, 'pii.managed.cacheMb must be a number'],
    [{ cacheTtlSeconds: 0 }, 'pii.managed.cacheTtlSeconds must be a whole number of seconds from 1 to 86400'],
    [{ cacheTtlSeconds: 1.5 }, 'pii.managed.cacheTtlSeconds must be a whole number'],
    [{ cacheTtlSeconds: 86_401 }, 'pii.managed.cacheTtlSeconds must be a whole number'],
    [{ cacheSeconds: 60 }, 'pii.managed.cacheSeconds is not a known field (expected one of: service, languageCode, minScore, region, cacheMb, cacheTtlSeconds)'],
  ])('refuses %p', (fields, message) => {
    expect(() => parsePiiConfig({ managed: { service: 'comprehend', ...fields } })).toThrow(message);
    if (!('cacheSeconds' in fields)) expect(() => parsePiiConfig({ managed: { ...GUARDRAIL, ...fields } })).toThrow(message);
  });
});
