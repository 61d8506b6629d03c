/**
 * Composition root #1 (admin): the buffered Lambda entry point for the IAM-authorised /admin/v1 routes.
 * Runs once per sandbox at INIT. No provider keys here, hence no Secrets Manager client.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAdminApp } from '../admin/admin-app';
import { gatewaySettings } from '../config/gateway-config';
import { createJsonLogger } from '../logging/logger';
import { createDynamoStores } from '../stores/dynamo/index';
import { createAdminHandler } from './admin-handler';
import { loadGatewayConfig, readBaseEnvironment } from './lambda-environment';

const environment = readBaseEnvironment(process.env);
const config = loadGatewayConfig(environment.configPath);
const settings = gatewaySettings(config);
const logger = createJsonLogger(environment.logLevel);

const app = createAdminApp({
  config,
  logger,
  stores: createDynamoStores(new DynamoDBClient({ region: environment.region }), {
    tableName: environment.tableName,
    usageRetentionDays: settings.usageRetentionDays,
  }),
});

export const handler = createAdminHandler(app, {
  maxRequestBodyBytes: settings.maxRequestBodyBytes,
  logger,
});
