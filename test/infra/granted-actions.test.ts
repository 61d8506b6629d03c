import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ADMIN_TABLE_ACCESS, GATEWAY_TABLE_ACCESS, type TableAccess } from '../../lib/gateway-table';
import { createAdminApp } from '../../lambda/admin/admin-app';
import { createGatewayApp } from '../../lambda/api/gateway-app';
import { createGovernanceStages } from '../../lambda/governance';
import type { HttpApp, InboundRequest } from '../../lambda/http/types';
import { bodyText } from '../../lambda/handlers/response-body';
import { createLocalDynamoClient } from '../../lambda/local/embedded-dynamo';
import { silentLogger } from '../../lambda/logging/logger';
import { createDynamoStores } from '../../lambda/stores/dynamo';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { testConfig, UPSTREAM_KEY } from '../support/gateway-harness';
import { useDynamo } from '../stores/dynamo-fixture';

/**
 * The roles the construct grants are written out by hand (least privilege), so a store change that
 * starts using another DynamoDB action would pass every local test and fail on AWS with AccessDenied.
 * Here each function's code runs against the embedded store through its own client, every action it
 * sends is recorded, and each must be one its role is granted.
 */
const dynamo = useDynamo();
let upstream: FakeOpenAi;

beforeAll(async () => {
  upstream = await startFakeOpenAi({ apiKey: UPSTREAM_KEY });
});
afterAll(async () => {
  await upstream.close();
});

function recordingClient(endpoint: string, actions: Set<string>): DynamoDBClient {
  const client = createLocalDynamoClient(endpoint);
  client.middlewareStack.add((next, context) => async (args) => {
    actions.add(`dynamodb:${String(context.commandName).replace(/Command$/, '')}`);
    return next(args);
  }, { step: 'initialize', name: 'recordActions' });
  return client;
}

function granted(access: TableAccess): Set<string> {
  return new Set([...access.itemActions, 'dynamodb:Query', ...(access.scanIndex ? ['dynamodb:Scan'] : [])]);
}

async function call(app: HttpApp, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const request: InboundRequest = {
    method, path, query: new URLSearchParams(path.includes('?') ? path.slice(path.indexOf('?') + 1) : ''),
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: new TextEncoder().encode(body === undefined ? '' : JSON.stringify(body)), signal: new AbortController().signal,
    receivedAt: performance.now(), identity: 'arn:aws:iam::123456789012:user/admin',
  };
  const response = await app.handle({ ...request, path: path.split('?')[0] ?? path });
  const text = await bodyText(response.body);
  return { status: response.status, json: text.startsWith('{') ? JSON.parse(text) as Record<string, unknown> : {} };
}

it('every DynamoDB action of the gateway and of the admin API is one its role is granted', async () => {
  const gatewayActions = new Set<string>();
  const adminActions = new Set<string>();
  const { tableName, server } = dynamo();
  const config = testConfig(upstream.baseUrl);
  const gatewayStores = createDynamoStores(recordingClient(server.endpoint, gatewayActions), { tableName });
  const adminStores = createDynamoStores(recordingClient(server.endpoint, adminActions), { tableName });
  const gateway = createGatewayApp({
    config, stores: gatewayStores, logger: silentLogger, secrets: async () => UPSTREAM_KEY,
    stages: createGovernanceStages({ stores: gatewayStores, config, logger: silentLogger }).stages,
  });
  const admin = createAdminApp({ config, stores: adminStores, logger: silentLogger });

  const team = await call(admin, 'POST', '/admin/v1/teams', { name: 'granted', models: ['gpt-*'] });
  const user = await call(admin, 'POST', '/admin/v1/users', { team: 'granted', email: 'granted@example.com' });
  const key = await call(admin, 'POST', '/admin/v1/keys', { user: user.json.id, tags: { env: 'test' } });
  const secret = String(key.json.key);
  const cheapCall = { model: 'gpt-test', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };
  // Each shard holds $0.0005: room for the small calls' upper bounds, not for one with max_tokens 50, which takes the refusal path (reading the shards).
  const budget = await call(admin, 'POST', '/admin/v1/budgets', { scope: 'team', id: team.json.id, limitUsd: 0.001, period: 'monthly', shards: 2 });
  await call(admin, 'PUT', `/admin/v1/limits/key/${String(key.json.id)}`, { requestsPerMinute: 100, tokensPerMinute: 100_000, concurrentRequests: 5 });

  expect((await call(gateway, 'POST', '/v1/chat/completions', cheapCall, secret)).status).toBe(200);
  expect((await call(gateway, 'POST', '/v1/chat/completions', { ...cheapCall, stream: true }, secret)).status).toBe(200);
  expect((await call(gateway, 'POST', '/v1/chat/completions', { ...cheapCall, max_tokens: 50 }, secret)).status).toBe(429);
  await gateway.drain();

  for (const path of ['/admin/v1/teams', '/admin/v1/users', '/admin/v1/keys', '/admin/v1/budgets', '/admin/v1/limits', '/admin/v1/budget-alerts',
    '/admin/v1/usage', '/admin/v1/usage?groupBy=user,key,day', '/admin/v1/usage/records', '/admin/v1/audit', `/admin/v1/budgets/${String(budget.json.id)}`]) {
    expect((await call(admin, 'GET', path)).status).toBe(200);
  }
  expect((await call(admin, 'PATCH', '/admin/v1/teams/granted', { models: null })).status).toBe(200);
  expect((await call(admin, 'POST', `/admin/v1/keys/${String(key.json.id)}/rotate`, { gracePeriodSeconds: 60 })).status).toBe(200);
  expect((await call(admin, 'DELETE', `/admin/v1/keys/${String(key.json.id)}`)).status).toBe(200);
  expect((await call(admin, 'DELETE', `/admin/v1/budgets/${String(budget.json.id)}`)).status).toBe(200);
  expect((await call(admin, 'DELETE', `/admin/v1/limits/key/${String(key.json.id)}`)).status).toBe(200);
  expect((await call(admin, 'POST', '/admin/v1/users', { team: 'granted', email: 'GRANTED@example.com' })).status).toBe(409);

  expect([...gatewayActions].filter((action) => !granted(GATEWAY_TABLE_ACCESS).has(action))).toEqual([]);
  expect([...adminActions].filter((action) => !granted(ADMIN_TABLE_ACCESS).has(action))).toEqual([]);
  // The scenario exercised the paths that need the less common grants.
  expect([...gatewayActions].sort()).toEqual(expect.arrayContaining(['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem']));
  expect([...adminActions].sort()).toEqual(expect.arrayContaining(['dynamodb:BatchGetItem', 'dynamodb:DeleteItem']));
}, 60_000);
