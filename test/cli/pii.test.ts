import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminApp } from '../../lambda/admin/admin-app';
import { formatRules, parseRuleWords } from '../../lambda/cli/commands/pii';
import { UsageError } from '../../lambda/cli/args';
import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { createNodeHandler } from '../../lambda/local/node-http-adapter';
import { silentLogger } from '../../lambda/logging/logger';
import { createMemoryStores, type MemoryStores } from '../support/memory-stores';
import { runInProcess, type CliRun } from './cli-harness';

/**
 * `gatellm pii ...` run in-process against the real admin API (memory stores) on loopback: what the
 * CLI sends is what the routes accept, and what they answer is what the CLI prints.
 */
const config: GatewayConfig = {
  providers: { p: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } },
  models: { m: { provider: 'p', model: 'm', price: { input: 1, output: 2 } } },
  pii: { rules: { email: { action: 'redact' } }, custom: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }] },
};

let server: Server;
let url: string;
let stores: MemoryStores;

beforeAll(async () => {
  stores = createMemoryStores();
  await stores.teams.createTeam({ id: 'team_1', name: 'platform', createdAt: '2026-01-01T00:00:00.000Z' });
  await stores.users.createUser({ id: 'user_1', teamId: 'team_1', email: 'alice@example.com', createdAt: '2026-01-01T00:00:00.000Z' });
  await stores.keys.putKey({ id: 'AbC123xyz789', secretHash: 'h', teamId: 'team_1', createdAt: '2026-01-01T00:00:00.000Z' });
  const admin = createAdminApp({ config, stores, logger: silentLogger, now: () => Date.parse('2026-12-02T10:00:00.000Z') });
  server = createServer(createNodeHandler({ maxRequestBodyBytes: 1_000_000, route: () => admin, onError: () => undefined }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const cli = (...argv: string[]): Promise<CliRun> => runInProcess(argv, { env: { GATELLM_URL: url, GATELLM_ADMIN_TOKEN: 'tok' } });

describe('gatellm pii against the admin API', () => {
  it('sets a team\'s rules by name, lists them beside the defaults, shows and clears them', async () => {
    const set = await cli('pii', 'set', '--team', 'platform', 'email=redact+restore', 'api_key=block', '*=log', 'employee_id=off');
    expect(set).toEqual({
      code: 0, stderr: '',
      stdout: 'scope:    team:team_1\nrules:    api_key=block email=redact+restore employee_id=off *=log\nupdated:  2026-12-02T10:00:00.000Z\n',
    });
    expect((await stores.policies.policyOf('team', 'team_1')).pii?.rules).toEqual({
      email: { action: 'redact', restore: true }, api_key: { action: 'block' }, '*': { action: 'log' }, employee_id: { action: 'off' },
    });

    const listed = await cli('pii', 'list');
    expect(listed.code).toBe(0);
    const [defaults = '', overrides = ''] = listed.stdout.split('\n\n');
    expect(defaults.split('\n').slice(0, 2)).toEqual(['Defaults (built-in, with the configuration over them):', 'TYPE               DEFAULT']);
    // The configuration's email rule over the built-in one; credentials blocked; a custom type listed.
    expect(defaults).toMatch(/^email\s+redact$/m);
    expect(defaults).toMatch(/^api_key\s+block$/m);
    expect(defaults).toMatch(/^employee_id\s+\S+/m);
    expect(defaults).toMatch(/^\*\s+log$/m);
    expect(overrides).toMatch(/^SCOPE\s+ID\s+RULES\s+UPDATED$/m);
    expect(overrides).toMatch(/^team\s+team_1\s+api_key=block email=redact\+restore employee_id=off \*=log\s+2026-12-02T10:00:00.000Z$/m);
    expect(JSON.parse((await cli('pii', 'list', '--json')).stdout)).toMatchObject({ object: 'pii_policies', policies: [{ scope: 'team', scopeId: 'team_1' }] });

    expect((await cli('pii', 'show', '--team', 'team_1')).stdout).toMatch(/^rules:\s+api_key=block email=redact\+restore/m);
    expect(await cli('pii', 'clear', '--team', 'platform')).toEqual({ code: 0, stderr: '', stdout: 'Data-protection rules of team:platform removed.\n' });
    expect((await stores.policies.policyOf('team', 'team_1')).pii).toBeUndefined();
    expect((await cli('pii', 'list')).stdout).toMatch(/Overrides.*\n\(none\)\n$/);
  });

  it('resolves a user by email and a key by id', async () => {
    expect((await cli('pii', 'set', '--user', 'alice@example.com', 'iban=block')).code).toBe(0);
    expect((await cli('pii', 'set', '--key', 'AbC123xyz789', '*=off')).code).toBe(0);
    expect((await stores.policies.listPiiPolicies()).map((policy) => `${policy.scope}:${policy.scopeId}`)).toEqual(['key:AbC123xyz789', 'user:user_1']);
    expect((await cli('pii', 'clear', '--user', 'alice@example.com')).code).toBe(0);
    expect((await cli('pii', 'clear', '--key', 'AbC123xyz789', '--json')).stdout).toContain('"deleted": true');
  });

  it('shows the gateway\'s refusals as API errors (exit 1): an unknown type, team or override', async () => {
    const unknownType = await cli('pii', 'set', '--team', 'platform', 'passport=redact');
    expect(unknownType.code).toBe(1);
    expect(unknownType.stderr).toMatch(/unknown type 'passport'.*Valid types: email, .*employee_id, \*.*\(invalid_value, HTTP 400\)/);
    expect((await cli('pii', 'set', '--team', 'nobody', 'email=log')).stderr).toMatch(/\(team_not_found, HTTP 404\)/);
    expect((await cli('pii', 'clear', '--team', 'platform')).stderr).toMatch(/\(pii_policy_not_found, HTTP 404\)/);
    expect((await cli('pii', 'show', '--team', 'platform')).code).toBe(1);
  });

  it.each<[string, string[], RegExp]>([
    ['no scope', ['pii', 'set', 'email=log'], /exactly one of --team/],
    ['two scopes', ['pii', 'clear', '--team', 'platform', '--key', 'AbC123xyz789'], /exactly one of --team/],
    ['no rules', ['pii', 'set', '--team', 'platform'], /Missing argument/],
    ['a rule without =', ['pii', 'set', '--team', 'platform', 'email'], /type=action/],
    ['an unknown action', ['pii', 'set', '--team', 'platform', 'email=mask'], /one of off, log, redact, block/],
    ['+restore without redact', ['pii', 'set', '--team', 'platform', 'jwt=block+restore'], /only goes with redact/],
    ['a type twice', ['pii', 'set', '--team', 'platform', 'email=log', 'email=redact'], /given twice/],
    ['--csv on a command without a listing', ['pii', 'list', '--csv'], /--csv is for listings/],
  ])('refuses %s as a usage error (exit 2), sending nothing', async (_case, argv, message) => {
    const before = await stores.policies.listPiiPolicies();
    const run = await cli(...argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await stores.policies.listPiiPolicies()).toEqual(before);
  });

  it('explains the rule syntax with an example in --help', async () => {
    const help = await cli('pii', 'set', '--help');
    expect(help.stdout).toContain('usage: gatellm pii set --team <id|name> | --user <id|email> | --key <id> <type=action[+restore]>...');
    expect(help.stdout).toContain("gatellm pii set --team platform email=redact+restore api_key=block '*=log'");
    expect((await cli('--help')).stdout).toMatch(/pii list\s+Show the data-protection defaults/);
    expect((await cli('pii', '--help')).stdout).toContain('gatellm pii clear');
  });
});

describe('the rule words', () => {
  it('round-trip through formatRules, * last', () => {
    const rules = parseRuleWords(['*=log', 'email=redact+restore', 'api_key=block', 'ip_address=off']);
    expect(rules).toEqual({ '*': { action: 'log' }, email: { action: 'redact', restore: true }, api_key: { action: 'block' }, ip_address: { action: 'off' } });
    expect(formatRules(rules)).toBe('api_key=block email=redact+restore ip_address=off *=log');
    expect(parseRuleWords(formatRules(rules).split(' '))).toEqual(rules);
  });

  it('refuses an empty type', () => {
    expect(() => parseRuleWords(['=log'])).toThrow(UsageError);
  });
});
