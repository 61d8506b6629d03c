import { createAdminApp } from '../../lambda/admin/admin-app';
import type { GatewayConfig } from '../../lambda/config/gateway-config';
import type { HttpApp } from '../../lambda/http/types';
import { silentLogger } from '../../lambda/logging/logger';
import { configuredPiiRules } from '../../lambda/pii/policy';
import { MANAGED_PII_TYPES, PATTERN_PII_TYPES } from '../../lambda/pii/types';
import type { AuditEntry } from '../../lambda/stores/store';
import { createMemoryStores, type MemoryStores } from '../support/memory-stores';

const NOW = Date.parse('2026-12-02T10:00:00.000Z');
const LATER = NOW + 60_000;
const ACTOR = 'arn:aws:iam::123456789012:user/ops-admin';

const config: GatewayConfig = {
  providers: { p: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } },
  models: { m: { provider: 'p', model: 'm', price: { input: 1, output: 2 } } },
  pii: {
    rules: { email: { action: 'redact' }, '*': { action: 'off' } },
    custom: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }],
  },
};

interface Harness {
  readonly app: HttpApp;
  readonly stores: MemoryStores;
  readonly changed: string[];
  readonly clock: { now: number };
}

/** The whole admin app as createAdminApp composes it, so the pii routes are reached through their registration. */
async function harness(): Promise<Harness> {
  const stores = createMemoryStores();
  await stores.teams.createTeam({ id: 'team_1', name: 'Research', createdAt: '2026-01-01T00:00:00.000Z' });
  await stores.users.createUser({ id: 'user_1', teamId: 'team_1', email: 'Dana@example.com', createdAt: '2026-01-01T00:00:00.000Z' });
  await stores.keys.putKey({ id: 'key_1', secretHash: 'h', teamId: 'team_1', createdAt: '2026-01-01T00:00:00.000Z' });
  const changed: string[] = [];
  const clock = { now: NOW };
  const app = createAdminApp({ config, stores, logger: silentLogger, now: () => clock.now, policyChanged: (scope, id) => changed.push(`${scope}:${id}`) });
  return { app, stores, changed, clock };
}

interface Answer { readonly status: number; readonly json: Record<string, unknown> }

async function call(app: HttpApp, method: string, pathAndQuery: string, body?: unknown): Promise<Answer> {
  const url = new URL(`http://admin${pathAndQuery}`);
  const response = await app.handle({
    method, path: url.pathname, query: url.searchParams, headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: new TextEncoder().encode(body === undefined ? '' : JSON.stringify(body)), signal: new AbortController().signal, receivedAt: 0, identity: ACTOR,
  });
  const text = String(response.body);
  return { status: response.status, json: text === '' ? {} : JSON.parse(text) as Record<string, unknown> };
}

const errorOf = (answer: Answer): { code?: string; param?: string; message?: string } => (answer.json.error ?? {});

async function auditTrail(stores: MemoryStores): Promise<readonly AuditEntry[]> {
  return (await stores.audit.listAudit({ from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' })).entries;
}

describe('admin API: data-protection policies', () => {
  it('sets a team\'s rules by name in both forms, serves them, audits the change and tells the caches', async () => {
    const { app, stores, changed } = await harness();
    const put = await call(app, 'PUT', '/admin/v1/pii/team/research', {
      rules: { email: { action: 'redact', restore: true }, api_key: 'block', employee_id: 'redact', '*': { action: 'log' }, phone: { action: 'log', restore: false } },
    });
    const stored = {
      object: 'pii_policy', scope: 'team', scopeId: 'team_1', updatedAt: new Date(NOW).toISOString(),
      rules: { email: { action: 'redact', restore: true }, api_key: { action: 'block' }, employee_id: { action: 'redact' }, '*': { action: 'log' }, phone: { action: 'log' } },
    };
    expect(put).toEqual({ status: 200, json: stored });
    expect(changed).toEqual(['team:team_1']);
    expect((await call(app, 'GET', '/admin/v1/pii/team/team_1')).json).toEqual(stored);
    // What the gateway reads: the rules travel with the scope's budgets and limits in one lookup.
    const { object: _object, ...policy } = stored;
    expect(await stores.policies.policyOf('team', 'team_1')).toEqual({ budgets: [], pii: policy });
    const [entry] = await auditTrail(stores);
    expect(entry).toMatchObject({ actor: ACTOR, action: 'pii.put', target: 'pii:team:team_1', after: policy });
    expect(entry?.before).toBeUndefined();
  });

  it('replaces every rule on a second PUT, audited before → after', async () => {
    const { app, stores, changed, clock } = await harness();
    await call(app, 'PUT', '/admin/v1/pii/key/key_1', { rules: { email: 'redact', phone: 'redact' } });
    clock.now = LATER;
    const second = await call(app, 'PUT', '/admin/v1/pii/key/key_1', { rules: { jwt: 'off' } });
    expect(second.json).toMatchObject({ rules: { jwt: { action: 'off' } }, updatedAt: new Date(LATER).toISOString() });
    expect((await stores.policies.policyOf('key', 'key_1')).pii?.rules).toEqual({ jwt: { action: 'off' } });
    const [latest] = await auditTrail(stores);
    expect(latest).toMatchObject({
      action: 'pii.put', target: 'pii:key:key_1',
      before: { rules: { email: { action: 'redact' }, phone: { action: 'redact' } }, updatedAt: new Date(NOW).toISOString() },
      after: { rules: { jwt: { action: 'off' } }, updatedAt: new Date(LATER).toISOString() },
    });
    expect(changed).toEqual(['key:key_1', 'key:key_1']);
  });

  it('lists the effective defaults, every type a rule may name, and the overrides, filtered by scope', async () => {
    const { app } = await harness();
    await call(app, 'PUT', '/admin/v1/pii/user/dana@EXAMPLE.com', { rules: { iban: 'block' } });
    await call(app, 'PUT', '/admin/v1/pii/key/key_1', { rules: { '*': 'off' } });
    const listed = await call(app, 'GET', '/admin/v1/pii');
    expect(listed.status).toBe(200);
    // Built-in defaults with the configuration's rules over them, as the gateway applies them.
    expect(listed.json.defaults).toEqual(configuredPiiRules(config));
    expect(listed.json.defaults).toMatchObject({ email: { action: 'redact' }, '*': { action: 'off' } });
    expect(listed.json.types).toEqual([...PATTERN_PII_TYPES, ...MANAGED_PII_TYPES, 'employee_id', '*']);
    expect((listed.json.policies as { scope: string; scopeId: string }[]).map((policy) => `${policy.scope}:${policy.scopeId}`)).toEqual(['key:key_1', 'user:user_1']);
    const users = await call(app, 'GET', '/admin/v1/pii?scope=user&id=dana@example.com');
    expect(users.json.policies).toEqual([{ object: 'pii_policy', scope: 'user', scopeId: 'user_1', rules: { iban: { action: 'block' } }, updatedAt: new Date(NOW).toISOString() }]);
    expect((await call(app, 'GET', '/admin/v1/pii?scope=team')).json.policies).toEqual([]);
    expect(errorOf(await call(app, 'GET', '/admin/v1/pii?id=key_1'))).toMatchObject({ code: 'invalid_value', param: 'id' });
  });

  it('deletes a scope\'s rules (audited, caches told) and answers 404 when there are none', async () => {
    const { app, stores, changed, clock } = await harness();
    await call(app, 'PUT', '/admin/v1/pii/team/team_1', { rules: { email: 'log' } });
    clock.now = LATER;
    const deleted = await call(app, 'DELETE', '/admin/v1/pii/team/Research');
    expect(deleted).toEqual({ status: 200, json: { object: 'pii_policy', scope: 'team', scopeId: 'team_1', deleted: true } });
    expect(changed).toEqual(['team:team_1', 'team:team_1']);
    expect(await stores.policies.policyOf('team', 'team_1')).toEqual({ budgets: [] });
    const [entry] = await auditTrail(stores);
    expect(entry).toMatchObject({ action: 'pii.delete', target: 'pii:team:team_1', before: { rules: { email: { action: 'log' } } } });
    expect(entry?.after).toBeUndefined();

    const again = await call(app, 'DELETE', '/admin/v1/pii/team/team_1');
    expect({ status: again.status, code: errorOf(again).code }).toEqual({ status: 404, code: 'pii_policy_not_found' });
    const shown = await call(app, 'GET', '/admin/v1/pii/team/team_1');
    expect({ status: shown.status, code: errorOf(shown).code }).toEqual({ status: 404, code: 'pii_policy_not_found' });
    expect(changed).toHaveLength(2);
    expect(await auditTrail(stores)).toHaveLength(2);
  });

  it('answers 404 for an unknown team, user or key, and stores nothing', async () => {
    const { app, stores } = await harness();
    for (const [scope, code] of [['team', 'team_not_found'], ['user', 'user_not_found'], ['key', 'key_not_found']] as const) {
      const put = await call(app, 'PUT', `/admin/v1/pii/${scope}/nobody@example.com`, { rules: { email: 'redact' } });
      expect({ status: put.status, code: errorOf(put).code, param: errorOf(put).param }).toEqual({ status: 404, code, param: 'id' });
      const removed = await call(app, 'DELETE', `/admin/v1/pii/${scope}/nobody@example.com`);
      expect({ status: removed.status, code: errorOf(removed).code }).toEqual({ status: 404, code });
    }
    expect(await stores.policies.listPiiPolicies()).toEqual([]);
    expect(await auditTrail(stores)).toEqual([]);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['an unknown scope', { rules: { email: 'log' } }, 'scope', /team, user, key/],
    ['no rules', {}, 'rules', /'rules' is required/],
    ['rules as a list', { rules: ['email=redact'] }, 'rules', /'rules' is required/],
    ['empty rules', { rules: {} }, 'rules', /at least one rule/],
    ['an unknown type', { rules: { passport: 'redact' } }, 'rules', /unknown type 'passport'.*Valid types: email, phone, .*employee_id, \*/],
    ['an unknown action', { rules: { email: 'mask' } }, 'rules.email', /off, log, redact, block/],
    ['an unknown action in a rule', { rules: { email: { action: 'hide' } } }, 'rules.email.action', /off, log, redact, block/],
    ['a rule without an action', { rules: { email: { restore: true } } }, 'rules.email.action', /must be one of/],
    ['a number for a rule', { rules: { email: 3 } }, 'rules.email', /an action .* or an object/],
    ['restore with block', { rules: { api_key: { action: 'block', restore: true } } }, 'rules.api_key.restore', /only to the 'redact' action/],
    ['restore with log', { rules: { '*': { action: 'log', restore: true } } }, 'rules.*.restore', /only to the 'redact' action/],
    ['restore not a boolean', { rules: { email: { action: 'redact', restore: 'yes' } } }, 'rules.email.restore', /true or false/],
    ['a misspelt field', { rules: { email: { action: 'redact', restor: true } } }, 'rules.email.restor', /unknown field 'restor'/],
  ])('refuses %s with 400 naming the field, storing and auditing nothing', async (_case, body, param, message) => {
    const { app, stores, changed } = await harness();
    const path = param === 'scope' ? '/admin/v1/pii/org/team_1' : '/admin/v1/pii/team/team_1';
    const response = await call(app, 'PUT', path, body);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: 'invalid_value', param });
    expect(errorOf(response).message).toMatch(message);
    expect(await stores.policies.listPiiPolicies()).toEqual([]);
    expect(await auditTrail(stores)).toEqual([]);
    expect(changed).toEqual([]);
  });

  it('refuses a body that is not JSON and an unknown method', async () => {
    const { app } = await harness();
    const response = await app.handle({
      method: 'PUT', path: '/admin/v1/pii/team/team_1', query: new URLSearchParams(), headers: { 'content-type': 'application/json' },
      body: new TextEncoder().encode('{rules'), signal: new AbortController().signal, receivedAt: 0, identity: ACTOR,
    });
    expect(response.status).toBe(400);
    expect((await call(app, 'POST', '/admin/v1/pii/team/team_1', { rules: { email: 'log' } })).status).toBe(405);
  });
});
