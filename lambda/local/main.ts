/**
 * `npm start`: composition root #2. Runs the same gateway core as Lambda on node:http, with an
 * embedded DynamoDB-compatible store persisted under GATELLM_DATA_DIR and provider keys from env.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../logging/logger';
import { createEnvResolver } from '../secrets/env-resolver';
import { deferredStores } from '../stores/deferred-stores';
import { startLocalGateway } from './local-gateway';
import { loadLocalConfig, readLocalSettings, resolveAdminToken } from './local-settings';

async function main(): Promise<void> {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const settings = readLocalSettings(process.env, process.cwd());
  const logger = createLogger(settings.logLevel);
  const { config, path: configPath, notice } = loadLocalConfig(settings, process.env.GATELLM_CONFIG !== undefined, repoRoot);
  const admin = resolveAdminToken(settings);
  // The store (dynalite + the AWS SDK, ~300 ms to load) opens in the background while the server
  // already listens: requests that need it wait for it, everything else is answered at once.
  const opening = import('./local-store').then(({ openLocalStore }) => openLocalStore(path.join(settings.dataDir, 'dynamodb'), config));
  const gateway = await startLocalGateway({
    config, stores: deferredStores(opening.then((store) => store.stores)), secrets: createEnvResolver(config, process.env), logger,
    adminToken: admin.token, host: settings.host, port: settings.port,
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
  const store = await opening;

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void gateway.close().then(() => store.close()).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`gatellm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
