import type { APIGatewayProxyResult } from 'aws-lambda';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalDynamoClient, startEmbeddedDynamo, type EmbeddedDynamo } from '../../lambda/local/embedded-dynamo';
import { ensureTable } from '../../lambda/stores/dynamo/index';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { createTestContext, installLambdaRuntime, invokeStreaming, uninstallLambdaRuntime } from '../support/lambda-runtime';
import { startLocalSecretsManager, type LocalSecretsManager } from '../secrets/local-secrets-manager';
import { apiGatewayEvent } from './events';

/**
 * Both composition roots as Lambda loads them: environment variables and a config file at INIT, the
 * real AWS SDK clients pointed (through AWS_ENDPOINT_URL_*) at an embedded DynamoDB and a local
 * Secrets Manager, a fake OpenAI upstream. Admin creates a key; the gateway streams a completion with
 * the provider key from Secrets Manager; the usage record written after the stream is visible.
 */
describe('Lambda composition roots (gateway.ts, admin.ts)', () => {
  const TABLE = 'gatellm-lambda-test';
  const UPSTREAM_KEY = 'sk-upstream-from-secrets-manager';
  const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gatellm/fake-AbCdEf';
  const savedEnv = { ...process.env };
  let dynamo: EmbeddedDynamo;
  let upstream: FakeOpenAi;
  let secrets: LocalSecretsManager;
  let gateway: typeof import('../../lambda/handlers/gateway');
  let admin: typeof import('../../lambda/handlers/admin');

  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo({ loopbackTcp: true });
    const setupClient = createLocalDynamoClient(dynamo.endpoint);
    await ensureTable(setupClient, TABLE);
    setupClient.destroy();
    upstream = await startFakeOpenAi({ apiKey: UPSTREAM_KEY });
    secrets = await startLocalSecretsManager({ [SECRET_ARN]: UPSTREAM_KEY });

    const dir = mkdtempSync(join(tmpdir(), 'gatellm-lambda-'));
    writeFileSync(join(dir, 'gatellm.config.json'), JSON.stringify({
      providers: { fake: { type: 'openai', baseUrl: upstream.baseUrl } },
      // A paced upstream: content chunks 30 ms apart, so incremental delivery is observable.
      models: { 'gpt-test': { provider: 'fake', model: 'paced-30', price: { input: 2, output: 8 } } },
    }));
    Object.assign(process.env, {
      LAMBDA_TASK_ROOT: dir,
      AWS_REGION: 'us-east-1',
      // Static dummy credentials and no config files: the SDK must never look further.
      AWS_ACCESS_KEY_ID: 'AKIDLAMBDATEST',
      AWS_SECRET_ACCESS_KEY: 'lambda-test-secret',
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      GATELLM_TABLE_NAME: TABLE,
      GATELLM_PROVIDER_SECRETS: JSON.stringify({ fake: SECRET_ARN }),
      GATELLM_LOG_LEVEL: 'silent',
    });
    delete process.env.GATELLM_CONFIG_PATH;
    delete process.env.AWS_PROFILE;
    installLambdaRuntime();
    // Loaded only now: the modules read the environment at import, as at Lambda INIT.
    gateway = await import('../../lambda/handlers/gateway');
    admin = await import('../../lambda/handlers/admin');
  });

  afterAll(async () => {
    uninstallLambdaRuntime();
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, savedEnv);
    await Promise.all([upstream.close(), secrets.close(), dynamo.close()]);
  });

  async function adminCall(method: string, path: string, body?: unknown): Promise<APIGatewayProxyResult> {
    const event = apiGatewayEvent({
      method, path, headers: { 'Content-Type': ['application/json'] }, body: body === undefined ? null : JSON.stringify(body),
    });
    return admin.handler(event, createTestContext());
  }

  it('issues a key through admin.ts and streams a completion through gateway.ts', async () => {
    const team = await adminCall('POST', '/admin/v1/teams', { name: 'platform' });
    expect(team.statusCode).toBe(201);
    const { id: teamId } = JSON.parse(team.body) as { id: string };
    const created = await adminCall('POST', '/admin/v1/keys', { team: teamId, name: 'alice laptop' });
    expect(created.statusCode).toBe(201);
    const { key } = JSON.parse(created.body) as { key: string };

    const written: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const invocation = invokeStreaming(gateway.handler, apiGatewayEvent({
      path: '/v1/chat/completions',
      headers: { Authorization: [`Bearer ${key}`], 'Content-Type': ['application/json'] },
      body: JSON.stringify({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    }));
    expect(await invocation.done).toEqual({ ok: true });
    stdout.mockRestore();
    // The request line is CloudWatch EMF: metrics per team, model and provider, whatever the log level.
    const emf = written.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => '_aws' in entry);
    expect(emf).toMatchObject({ team: teamId, model: 'gpt-test', provider: 'fake', Requests: 1, Errors: 0 });
    expect(invocation.prelude).toMatchObject({ statusCode: 200, headers: { 'content-type': expect.stringContaining('text/event-stream') } });
    expect(invocation.bodyText).toContain('data: [DONE]');
    const times = invocation.bodyChunks.map((chunk) => chunk.at);
    expect(times.length).toBeGreaterThan(2);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(50);

    // The provider key came from Secrets Manager, through the SDK's endpoint override.
    expect(secrets.calls.map((call) => call.body)).toEqual([{ SecretId: SECRET_ARN }]);
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);

    // The usage write finished before the invocation did (drain in requestEnd).
    const usage = await adminCall('GET', '/admin/v1/usage/records');
    const records = (JSON.parse(usage.body) as { data: { requestedModel: string; streamed: boolean; status: string }[] }).data;
    expect(records).toEqual([expect.objectContaining({ requestedModel: 'gpt-test', streamed: true, status: 'ok' })]);
  });

  it('answers unknown routes and bad keys in OpenAI shape', async () => {
    const unknown = invokeStreaming(gateway.handler, apiGatewayEvent({ method: 'GET', path: '/v1/nothing-here' }));
    await unknown.done;
    expect(unknown.prelude).toMatchObject({ statusCode: 404, headers: { 'x-request-id': expect.stringMatching(/^req_/) } });
    const badKey = invokeStreaming(gateway.handler, apiGatewayEvent({
      method: 'GET', path: '/v1/models', headers: { Authorization: ['Bearer gk_not_a_key'] },
    }));
    await badKey.done;
    expect(badKey.prelude).toMatchObject({ statusCode: 401 });
    expect(JSON.parse(badKey.bodyText)).toMatchObject({ error: { code: 'invalid_api_key' } });
  });
});
