/**
 * `npm start`: composition root #2. Runs the same gateway core as Lambda on node:http, with an
 * embedded DynamoDB-compatible store persisted under GATELLM_DATA_DIR and provider keys from env.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../logging/logger';
import { createEnvResolver } from '../secrets/env-resolver';
import { createDynamoStores, ensureTable } from '../stores/dynamo/index';
import { createLocalDynamoClient, startEmbeddedDynamo } from './embedded-dynamo';
import { startLocalGateway } from './local-gateway';
import { loadLocalConfig, readLocalSettings, resolveAdminToken } from './local-settings';

const TABLE_NAME = 'gatellm';

async function main(): Promise<void> {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const settings = readLocalSettings(process.env, process.cwd());
  const logger = createLogger(settings.logLevel);
  const { config, path: configPath, notice } = loadLocalConfig(settings, process.env.GATELLM_CONFIG !== undefined, repoRoot);
  const dynamo = await startEmbeddedDynamo({ dataDir: path.join(settings.dataDir, 'dynamodb') });
  const client = createLocalDynamoClient(dynamo.endpoint);
  await ensureTable(client, TABLE_NAME);
  const stores = createDynamoStores(client, { tableName: TABLE_NAME, ...(config.settings?.usageRetentionDays === undefined ? {} : { usageRetentionDays: config.settings.usageRetentionDays }) });
  const admin = resolveAdminToken(settings);
  const gateway = await startLocalGateway({
    config, stores, secrets: createEnvResolver(config, process.env), logger, adminToken: admin.token, host: settings.host, port: settings.port,
  });

  const lines = [
    `GateLLM listening on ${gateway.url}`,
    `  OpenAI SDKs:    OPENAI_BASE_URL=${gateway.url}/v1`,
    `  config:         ${configPath}`,
    `  data:           ${settings.dataDir}`,
  ];
  if (notice !== undefined) lines.push(`  note:           ${notice}`);
  if (admin.generated) lines.push(`  admin token:    ${admin.token}  (shown once; stored in ${path.join(settings.dataDir, 'admin-token')})`);
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void gateway.close().then(() => dynamo.close()).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`gatellm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
