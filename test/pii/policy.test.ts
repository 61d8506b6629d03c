import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import type { ScopedPolicy } from '../../lambda/governance/policy-cache';
import { configuredPiiRules, DEFAULT_PII_RULES, effectiveRules } from '../../lambda/pii/policy';
import { CREDENTIAL_PII_TYPES, MANAGED_PII_TYPES, PATTERN_PII_TYPES } from '../../lambda/pii/types';
import type { PiiRule } from '../../lambda/stores/store';

const TYPES = [...PATTERN_PII_TYPES, ...MANAGED_PII_TYPES, 'employee_id'];

function scoped(scope: 'key' | 'user' | 'team', rules: Record<string, PiiRule>): ScopedPolicy {
  return { scope, scopeId: `${scope}-1`, policy: { budgets: [], pii: { scope, scopeId: `${scope}-1`, rules, updatedAt: '2026-12-01T00:00:00.000Z' } } };
}

const base = parseGatewayConfig({ providers: { p: { type: 'openai', baseUrl: 'https://api.openai.com/v1' } }, models: {} });

describe('data-protection rules', () => {
  it('block every credential type by default, redact and restore numbers, count the rest', () => {
    const rules = effectiveRules(configuredPiiRules(base), [], TYPES);
    for (const type of CREDENTIAL_PII_TYPES) expect(rules.ruleFor(type)).toEqual({ action: 'block' });
    for (const type of ['payment_card', 'iban', 'us_ssn', 'secret_assignment']) expect(rules.ruleFor(type)).toEqual({ action: 'redact', restore: true });
    for (const type of ['email', 'phone', 'ip_address', 'person_name', 'postal_address', 'employee_id']) expect(rules.ruleFor(type).action).toBe('log');
    expect(rules.enabled.size).toBe(TYPES.length);
  });

  it('layer the configuration over the defaults, type before `*`', () => {
    const config = parseGatewayConfig({ providers: { p: { type: 'openai', baseUrl: 'https://api.openai.com/v1' } }, models: {}, pii: { rules: { '*': 'off', email: { action: 'redact', restore: true } } } });
    const rules = effectiveRules(configuredPiiRules(config), [], TYPES);
    expect(rules.ruleFor('email')).toEqual({ action: 'redact', restore: true });
    // The configuration's `*` beats the built-in per-type defaults: it is the more specific layer.
    expect(rules.ruleFor('api_key')).toEqual({ action: 'off' });
    expect([...rules.enabled]).toEqual(['email']);
  });

  it('let the key beat the user, the user the team, the team the configuration', () => {
    const rules = effectiveRules(configuredPiiRules(base), [
      scoped('key', { phone: { action: 'off' } }),
      scoped('user', { email: { action: 'block' }, phone: { action: 'block' } }),
      scoped('team', { email: { action: 'redact' }, ip_address: { action: 'redact', restore: true } }),
    ], TYPES);
    expect(rules.ruleFor('phone').action).toBe('off');
    expect(rules.ruleFor('email').action).toBe('block');
    expect(rules.ruleFor('ip_address')).toEqual({ action: 'redact', restore: true });
    expect(rules.ruleFor('api_key').action).toBe('block');
    expect(rules.enabled.has('phone')).toBe(false);
  });

  it('let a scope turn everything off with `*`', () => {
    const rules = effectiveRules(configuredPiiRules(base), [scoped('key', { '*': { action: 'off' } })], TYPES);
    expect(rules.enabled.size).toBe(0);
  });

  it('keep the built-in defaults in the shipped example, which `npm start` uses when there is no configuration', () => {
    const example: unknown = JSON.parse(readFileSync(path.join(__dirname, '../../gatellm.config.example.json'), 'utf8'));
    const rules = configuredPiiRules(parseGatewayConfig(example));
    for (const type of CREDENTIAL_PII_TYPES) expect(rules[type]).toEqual({ action: 'block' });
    expect(rules.payment_card).toEqual({ action: 'redact', restore: true });
    expect(rules.employee_id).toEqual({ action: 'log' });
  });

  it('name a default for every built-in type', () => {
    for (const type of [...PATTERN_PII_TYPES, ...MANAGED_PII_TYPES]) expect(DEFAULT_PII_RULES[type]).toBeDefined();
  });
});
