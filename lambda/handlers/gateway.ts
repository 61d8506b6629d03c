/**
 * Composition root #1 (gateway): the Lambda entry point behind API Gateway's streaming integration.
 * Everything here runs once per sandbox at INIT: environment → config → AWS clients → stores and
 * secrets → app → handler. No logic beyond wiring; the event plumbing lives in gateway-handler.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createGatewayApp } from '../api/gateway-app';
import { gatewaySettings } from '../config/gateway-config';
import { createJsonLogger } from '../logging/logger';
import { createEmfRequestLog } from '../logging/request-log';
import { createProviderSecrets } from '../secrets/provider-secrets';
import { createDynamoStores } from '../stores/dynamo/index';
import { createGovernanceStages } from '../governance';
import { createManagedDetector } from '../pii/managed';
import { createGatewayHandler } from './gateway-handler';
import { loadGatewayConfig, readBaseEnvironment, readSecretsEnvironment } from './lambda-environment';
import { defaultProviderRegistry } from '../providers/registry';

const environment = readBaseEnvironment(process.env);
const secretsEnvironment = readSecretsEnvironment(process.env);
const config = loadGatewayConfig(environment.configPath);
const settings = gatewaySettings(config);
const logger = createJsonLogger(environment.logLevel);

const dynamo = new DynamoDBClient({ region: environment.region });
// Short timeouts: a key lookup sits on the request path, and the resolver serves a stale key meanwhile.
const secretsManager = new SecretsManagerClient({
  region: environment.region,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
});

const stores = createDynamoStores(dynamo, {
  tableName: environment.tableName,
  usageRetentionDays: settings.usageRetentionDays,
});

// Off by default; on, the SDK client loads with the first request that has text to send, not at INIT.
const managedPii = config.pii?.managed === undefined ? undefined : createManagedDetector(config.pii.managed, { defaultRegion: environment.region });

const app = createGatewayApp({
  config,
  logger,
  stores,
  // Data protection, rate limits and budgets; settlement is background work that the handler's drain awaits.
  stages: createGovernanceStages({ stores, config, logger, ...(managedPii === undefined ? {} : { managedPii }) }).stages,
  providers: defaultProviderRegistry(),
  // One line per request that CloudWatch also turns into metrics per team, model and provider.
  requestLog: createEmfRequestLog(process.env.GATELLM_METRICS_NAMESPACE ?? 'GateLLM'),
  secrets: createProviderSecrets({
    client: secretsManager,
    config,
    secretIds: secretsEnvironment.providerSecrets,
    ttlMs: secretsEnvironment.secretCacheMs,
    env: process.env,
    logger,
  }),
});

export const handler = createGatewayHandler(app, {
  maxRequestBodyBytes: settings.maxRequestBodyBytes,
  logger,
  drain: () => app.drain(),
});
