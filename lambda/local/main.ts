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
import type { LocalStore } from './local-store';
import { loadLocalConfig, readLocalSettings, resolveAdminToken } from './local-settings';

/** Long enough for a start-up probe to be answered before the store's loading blocks the event loop. */
const STORE_OPEN_DELAY_MS = 150;

async function main(): Promise<void> {
  // Runs from dist/local/ (see scripts/build-local.mjs).
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const settings = readLocalSettings(process.env, process.cwd());
  const logger = createLogger(settings.logLevel);
  const { config, path: configPath, notice } = loadLocalConfig(settings, process.env.GATELLM_CONFIG !== undefined, repoRoot);
  const admin = resolveAdminToken(settings);
  // The store (its own process, plus the AWS SDK here: ~300 ms to load) opens on first use, or shortly
  // after start-up, whichever comes first: the server answers at once, and requests that need the store
  // wait for it.
  const here = path.dirname(fileURLToPath(import.meta.url));
  let opened: Promise<LocalStore> | undefined;
  const openStore = (): Promise<LocalStore> => {
    opened ??= import('./local-store').then(({ openLocalStore }) =>
      openLocalStore(path.join(here, 'dynamo-server.mjs'), path.join(settings.dataDir, 'dynamodb'), config));
    return opened;
  };
  const gateway = await startLocalGateway({
    config, stores: deferredStores(() => openStore().then((store) => store.stores)), secrets: createEnvResolver(config, process.env), logger,
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

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void gateway.close().then(() => opened?.then((store) => store.close())).catch(() => undefined).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const openSoon = setTimeout(() => {
    openStore().catch((error: unknown) => {
      process.stderr.write(`gatellm: cannot open the store: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
  }, STORE_OPEN_DELAY_MS);
  openSoon.unref();
}

main().catch((error: unknown) => {
  process.stderr.write(`gatellm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
