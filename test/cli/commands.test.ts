import { fakeServer, runInProcess, type FakeServer, type SeenRequest } from './cli-harness';

const KEY = {
  id: 'AbC123xyz789', prefix: 'gllm_AbC123xyz789…', teamId: 'team_1', teamName: 'platform', user: 'usr_1', userEmail: 'alice@example.com',
  owner: 'user', name: 'laptop', tags: { env: 'dev' }, status: 'active', createdAt: '2026-12-01T10:00:00.000Z',
};
const BUDGET = {
  object: 'budget', id: 'bud_1', scope: 'team', scopeId: 'team_1', limitUsd: 200, period: 'monthly', models: ['gpt-4o*'], alertThresholds: [0.5, 0.8, 1],
  shards: 1, createdAt: '2026-12-01T00:00:00.000Z', current: { periodKey: '2026-12', spentUsd: 12.345678, reservedUsd: 0.5, resetsAt: '2027-01-01T00:00:00.000Z' },
};
const LIMITS = { object: 'rate_limits', scope: 'key', scopeId: 'AbC123xyz789', requestsPerMinute: 60, concurrentRequests: 4, updatedAt: '2026-12-02T00:00:00.000Z' };

/** Answers each admin route with a realistic body; unknown routes get the gateway's 404. */
function route(request: SeenRequest): { status?: number; headers?: Record<string, string>; body: unknown } {
  const path = request.url.split('?')[0] ?? '';
  const list = (data: unknown[]): { body: unknown } => ({ body: { object: 'list', data } });
  switch (`${request.method} ${path}`) {
    case 'GET /admin/v1/teams': return list([{ id: 'team_1', name: 'platform', createdAt: '2026-12-01T00:00:00.000Z', models: ['gpt-4o*', 'claude-*'] }]);
    case 'PATCH /admin/v1/teams/platform': return { body: { id: 'team_1', name: 'platform', createdAt: '2026-12-01T00:00:00.000Z' } };
    case 'POST /admin/v1/keys': return { status: 201, body: { ...KEY, key: 'gllm_AbC123xyz789_secretpart' } };
    case 'POST /admin/v1/keys/AbC123xyz789/rotate': return { body: { ...KEY, key: 'gllm_AbC123xyz789_newsecret', rotatedAt: '2026-12-02T00:00:00.000Z', previousSecretExpiresAt: '2026-12-02T00:30:00.000Z' } };
    case 'GET /admin/v1/keys': return list([KEY, { ...KEY, id: 'Svc000000001', owner: 'team', user: undefined, userEmail: undefined, name: 'etl', status: 'revoked', tags: undefined }]);
    case 'POST /admin/v1/budgets': return { status: 201, body: BUDGET };
    case 'GET /admin/v1/budgets': return list([BUDGET]);
    case 'DELETE /admin/v1/budgets/bud_1': return { body: BUDGET };
    case 'PUT /admin/v1/limits/key/AbC123xyz789': return { body: LIMITS };
    case 'GET /admin/v1/limits': return list([LIMITS]);
    case 'DELETE /admin/v1/limits/team/team_1': return { body: LIMITS };
    case 'GET /admin/v1/audit': return list([{ id: 'aud_1', time: '2026-12-02T09:00:00.000Z', actor: 'admin-token', action: 'team.update', target: 'team:team_1', before: { models: ['a'] }, after: { models: ['a', 'b'] } }]);
    case 'GET /admin/v1/budget-alerts': return list([{ budgetId: 'bud_1', scope: 'team', scopeId: 'team_1', period: 'monthly', periodKey: '2026-12', threshold: 0.8, limitUsd: 200, spentUsd: 161.5, time: '2026-12-02T08:00:00.000Z' }]);
    case 'GET /admin/v1/usage': return { body: { object: 'list', from: 'a', to: 'b', groupBy: ['team', 'model'], data: [{ team: 'team_1', teamName: 'platform', model: 'gpt-4o', requests: 12, inputTokens: 3400, outputTokens: 1200, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0.04216 }] } };
    case 'GET /admin/v1/usage/records': return { headers: { 'x-next-cursor': 'c2' }, body: 'requestId,costUsd\r\nr1,0.5\r\n' };
    case 'GET /admin/v1/budgets/missing': return { status: 404, body: { error: { type: 'not_found_error', code: 'budget_not_found', message: "No budget 'missing'." } } };
    default: return { status: 404, body: { error: { type: 'not_found_error', code: 'unknown_route', message: `Unknown route: ${request.method} ${path}` } } };
  }
}

let server: FakeServer;
beforeAll(async () => { server = await fakeServer(route); });
afterAll(async () => { await server.close(); });
beforeEach(() => { server.requests.length = 0; });

const cli = (...argv: string[]): ReturnType<typeof runInProcess> => runInProcess(argv, { env: { GATELLM_URL: server.url, GATELLM_ADMIN_TOKEN: 'tok' } });
const lastBody = (): unknown => JSON.parse(server.requests.at(-1)?.body ?? 'null');
const lastUrl = (): URL => new URL(server.requests.at(-1)?.url ?? '/', 'http://x');

describe('entity commands', () => {
  it('lists teams as an aligned table, or CSV, or the raw JSON', async () => {
    const table = await cli('teams', 'list');
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+MODELS\s+CREATED$/);
    expect(table.stdout).toContain('team_1  platform  gpt-4o*,claude-*  2026-12-01T00:00:00.000Z');
    expect((await cli('teams', 'list', '--csv')).stdout).toBe('ID,NAME,MODELS,CREATED\r\nteam_1,platform,"gpt-4o*,claude-*",2026-12-01T00:00:00.000Z\r\n');
    expect(JSON.parse((await cli('--json', 'teams', 'list')).stdout)).toEqual({ object: 'list', data: [expect.objectContaining({ id: 'team_1' })] });
  });

  it('clears a team model list with null', async () => {
    const run = await cli('teams', 'set-models', 'platform', '--clear');
    expect(run.code).toBe(0);
    expect(lastBody()).toEqual({ models: null });
    expect(run.stdout).toContain('models:   (all)');
  });

  it('creates a key with tags and prints its secret once, saying to store it', async () => {
    const run = await cli('keys', 'create', '--user', 'alice@example.com', '--name', 'laptop', '--tag', 'env=dev', '--tag', 'owner=alice', '--models', 'gpt-4o*', '--expires', '2027-01-01');
    expect(run.code).toBe(0);
    expect(lastBody()).toEqual({ user: 'alice@example.com', name: 'laptop', tags: { env: 'dev', owner: 'alice' }, models: ['gpt-4o*'], expiresAt: '2027-01-01T00:00:00.000Z' });
    expect(run.stdout).toContain('secret:  gllm_AbC123xyz789_secretpart');
    expect(run.stdout).toMatch(/Store it now: this is the only time the secret is shown/);
  });

  it('rotates with a grace period typed as a duration', async () => {
    const run = await cli('keys', 'rotate', 'AbC123xyz789', '--grace', '30m');
    expect(lastBody()).toEqual({ gracePeriodSeconds: 1800 });
    expect(run.stdout).toContain('gllm_AbC123xyz789_newsecret');
    expect(run.stdout).toContain('previous secret works until:  2026-12-02T00:30:00.000Z');
  });

  it('lists keys with owner, status and tags, filters passed as query', async () => {
    const run = await cli('keys', 'list', '--team', 'platform');
    expect(lastUrl().searchParams.get('team')).toBe('platform');
    const lines = run.stdout.split('\n');
    expect(lines[1]).toMatch(/^AbC123xyz789\s+laptop\s+platform\s+alice@example.com\s+active\s+\(team\)\s+env=dev/);
    expect(lines[2]).toMatch(/^Svc000000001\s+etl\s+platform\s+team\s+revoked/);
  });
});

describe('governance commands', () => {
  it('creates a budget (alerts typed as percent become fractions) and lists it with spend', async () => {
    const created = await cli('budgets', 'create', '--scope', 'team', '--id', 'platform', '--limit-usd', '200', '--period', 'monthly', '--models', 'gpt-4o*', '--alerts', '50,80,100');
    expect(created.code).toBe(0);
    expect(lastBody()).toEqual({ scope: 'team', id: 'platform', limitUsd: 200, period: 'monthly', models: ['gpt-4o*'], alertThresholds: [0.5, 0.8, 1] });
    expect(created.stdout).toContain('spent:       $12.3457');
    expect(created.stdout).toContain('resets:      2027-01-01T00:00:00.000Z');
    const listed = await cli('budgets', 'list', '--scope', 'team', '--id', 'platform');
    expect(Object.fromEntries(lastUrl().searchParams)).toEqual({ scope: 'team', id: 'platform' });
    expect(listed.stdout).toMatch(/bud_1\s+team:team_1\s+\$200\.0000\s+\$12\.3457\s+monthly\s+gpt-4o\*\s+0\.5,0\.8,1/);
    expect((await cli('budgets', 'list', '--csv')).stdout).toBe('ID,SCOPE,LIMIT,SPENT,PERIOD,MODELS,ALERTS\r\nbud_1,team:team_1,200,12.345678,monthly,gpt-4o*,"0.5,0.8,1"\r\n');
    expect((await cli('budgets', 'delete', 'bud_1')).stdout).toBe('Budget bud_1 deleted.\n');
  });

  it('sets, lists and deletes rate limits', async () => {
    await cli('limits', 'set', 'key', 'AbC123xyz789', '--rpm', '60', '--concurrency', '4', '--shards', '8');
    expect(lastBody()).toEqual({ requestsPerMinute: 60, concurrentRequests: 4, shards: 8 });
    expect((await cli('limits', 'list')).stdout).toMatch(/key\s+AbC123xyz789\s+60\s+4\s+2026-12-02/);
    expect((await cli('limits', 'delete', 'team', 'team_1')).stdout).toBe('Rate limits of team:team_1 removed.\n');
  });

  it('shows the audit trail with what changed, and budget alerts', async () => {
    const audit = await cli('audit', '--target', 'team:team_1', '--from', '2026-12-01');
    expect(Object.fromEntries(lastUrl().searchParams)).toEqual({ target: 'team:team_1', from: '2026-12-01' });
    expect(audit.stdout).toContain('team.update  team:team_1  models: a → a,b');
    const alerts = await cli('alerts', '--budget', 'bud_1');
    expect(lastUrl().searchParams.get('budget')).toBe('bud_1');
    expect(alerts.stdout).toMatch(/bud_1\s+team:team_1\s+2026-12\s+80%\s+\$161\.5000\s+\$200\.0000/);
  });

  it('reports usage grouped as the API grouped it, money to four decimals', async () => {
    const run = await cli('usage', '--group-by', 'team,model', '--from', '2026-12-01T00:00:00Z');
    expect(lastUrl().searchParams.get('groupBy')).toBe('team,model');
    expect(run.stdout.split('\n')[0]).toMatch(/^TEAM\s+MODEL\s+REQUESTS\s+INPUT\s+OUTPUT\s+CACHED\s+COST$/);
    expect(run.stdout).toMatch(/platform\s+gpt-4o\s+12\s+3400\s+1200\s+0\s+\$0\.0422/);
    expect((await cli('usage', '--group-by', 'team,colour')).code).toBe(2);
  });

  it('passes usage CSV through from the API, pointing at the next page', async () => {
    const run = await cli('usage', 'records', '--csv', '--model', 'gpt-4o');
    expect(Object.fromEntries(lastUrl().searchParams)).toEqual({ model: 'gpt-4o', format: 'csv' });
    expect(run.stdout).toBe('requestId,costUsd\r\nr1,0.5\r\n');
    expect(run.stderr).toBe('More records: add --cursor c2\n');
  });

  it('an API error exits 1 with its message and code', async () => {
    const run = await cli('budgets', 'show', 'missing');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("error: No budget 'missing'. (budget_not_found, HTTP 404)\n");
  });

  it('an unreachable gateway exits 1 naming the URL', async () => {
    const run = await runInProcess(['teams', 'list'], { env: { GATELLM_URL: 'http://127.0.0.1:9', GATELLM_ADMIN_TOKEN: 't' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: Cannot reach the gateway at http:\/\/127\.0\.0\.1:9: .*\(connection_failed\)\n$/);
  });
});
