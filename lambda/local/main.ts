/**
 * `npm start`: composition root #2. Runs the same gateway core as Lambda on node:http, with an
 * embedded DynamoDB-compatible store persisted under GATELLM_DATA_DIR and provider keys from env.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../logging/logger';
import { createEnvResolver } from '../secrets/env-resolver';
import { deferredStores } from '../stores/deferred-stores';
import { errorCode, lockDir, preparePrivateDir, removeServerFile, writeServerFile } from './data-dir';
import { startLocalGateway, type LocalGateway } from './local-gateway';
import type { LocalStore } from './local-store';
import { loadLocalConfig, persistAdminToken, readLocalSettings, resolveAdminToken, type LocalSettings } from './local-settings';
import { startupWarnings } from './startup-warnings';

/** Long enough for a start-up probe to be answered before the store's loading blocks the event loop. */
const STORE_OPEN_DELAY_MS = 150;

async function listen(settings: LocalSettings, start: () => Promise<LocalGateway>): Promise<LocalGateway> {
  try {
    return await start();
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EADDRINUSE') {
      throw new Error(`port ${settings.port} on ${settings.host} is in use. Set GATELLM_PORT to a free port (0 picks one), `
        + 'or stop the process that holds it.');
    }
    if (code === 'EACCES') throw new Error(`not allowed to listen on port ${settings.port}. Set GATELLM_PORT to a port above 1023.`);
    throw error;
  }
}

async function main(): Promise<void> {
  // Everything the gateway and its store write (token, lock, database) is readable by its owner only.
  process.umask(0o077);
  // Runs from dist/local/ (see scripts/build-local.mjs).
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const settings = readLocalSettings(process.env, process.cwd());
  const logger = createLogger(settings.logLevel);
  const { config, path: configPath, notice } = loadLocalConfig(settings, process.env.GATELLM_CONFIG !== undefined, repoRoot);
  // Claimed by this process before it listens: a second gateway on the same data fails here, naming us.
  await preparePrivateDir(settings.dataDir);
  const unlock = await lockDir(settings.dataDir);
  const admin = resolveAdminToken(settings);
  // The store (its own process, plus the AWS SDK here: ~300 ms to load) opens on first use, or shortly
  // after start-up, whichever comes first: the server answers at once, and requests that need the store
  // wait for it.
  const here = path.dirname(fileURLToPath(import.meta.url));
  let opened: Promise<LocalStore> | undefined;
  const openStore = (): Promise<LocalStore> => {
    opened ??= import('./local-store').then(({ openLocalStore }) =>
      openLocalStore(path.join(here, 'dynamo-server.mjs'), path.join(settings.dataDir, 'dynamodb'), config, path.join(here, 'usage-writer.mjs')));
    return opened;
  };
  let gateway: LocalGateway;
  try {
    gateway = await listen(settings, () => startLocalGateway({
      config, stores: deferredStores(() => openStore().then((store) => store.stores)), secrets: createEnvResolver(config, process.env), logger,
      adminToken: admin.token, host: settings.host, port: settings.port,
      requestBodyTimeoutMs: settings.requestBodyTimeoutMs, maxConnections: settings.maxConnections,
    }));
  } catch (error) {
    await unlock();
    throw error;
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // Requests in progress finish (10 s grace), every pending usage record is written, then the store closes.
    void gateway.close().then(() => opened?.then((store) => store.close())).then(() => removeServerFile(settings.dataDir)).then(unlock)
      .catch((error: unknown) => {
        process.stderr.write(`gatellm: shutdown: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      })
      .finally(() => process.exit());
  };
  // Installed before anything is announced: until then a SIGTERM would kill the process outright
  // (Node's default disposition), skipping the drain, and a supervisor may signal as soon as it reads the banner.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Stored only now that the server listens: a failed start never leaves a token nobody saw.
  const tokenPath = await persistAdminToken(settings, admin);
  const lines = [
    `GateLLM listening on ${gateway.url}`,
    `  OpenAI SDKs:    OPENAI_BASE_URL=${gateway.url}/v1`,
    `  Claude Code:    ANTHROPIC_BASE_URL=${gateway.url}`,
    `  config:         ${configPath}`,
    `  data:           ${settings.dataDir}`,
  ];
  if (notice !== undefined) lines.push(`  note:           ${notice}`);
  if (tokenPath !== undefined) lines.push(`  admin token:    ${admin.token}  (shown once; stored in ${tokenPath})`);
  process.stdout.write(`${lines.join('\n')}\n`);
  // How the `gatellm` CLI finds this server from the data directory alone (removed again at stop).
  await writeServerFile(settings.dataDir, gateway.url);
  for (const warning of startupWarnings(config, process.env)) process.stderr.write(`gatellm: warning: ${warning}\n`);

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
