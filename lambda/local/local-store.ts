import { fork } from 'node:child_process';
import { once } from 'node:events';
import { gatewaySettings, type GatewayConfig } from '../config/gateway-config';
import { createDynamoStores, ensureTable } from '../stores/dynamo/index';
import type { GatewayStores } from '../stores/store';
import type { DynamoServerReady } from './dynamo-server-main';
import { createLocalDynamoClient } from './embedded-dynamo';
import { createThreadedUsageWriter } from './threaded-usage-writer';

const TABLE_NAME = 'gatellm';

export interface LocalStore {
  readonly stores: GatewayStores;
  close(): Promise<void>;
}

function isReady(message: unknown): message is DynamoServerReady {
  return typeof message === 'object' && message !== null && typeof (message as { endpoint?: unknown }).endpoint === 'string';
}

/**
 * Forks the embedded DynamoDB-compatible server (`serverScript`) on `dataDir`, creates the table and
 * returns the DynamoDB stores on it: the same store code as on AWS, through the real SDK. With
 * `usageWriterScript`, usage records are written from that worker thread (usage-writer-thread.ts), off
 * the event loop that serves requests.
 */
export async function openLocalStore(serverScript: string, dataDir: string, config: GatewayConfig, usageWriterScript?: string): Promise<LocalStore> {
  const child = fork(serverScript, [], { env: { ...process.env, GATELLM_DYNAMO_DIR: dataDir }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the embedded store exited with code ${String(code)} before it was ready`);
    }),
  ])) as unknown[];
  if (!isReady(message)) throw new Error('the embedded store sent an unexpected start-up message');
  const client = createLocalDynamoClient(message.endpoint);
  await ensureTable(client, TABLE_NAME);
  const retentionDays = gatewaySettings(config).usageRetentionDays;
  const stores = createDynamoStores(client, { tableName: TABLE_NAME, usageRetentionDays: retentionDays });
  const writer = usageWriterScript === undefined
    ? undefined
    : createThreadedUsageWriter(usageWriterScript, { endpoint: message.endpoint, tableName: TABLE_NAME, retentionDays });
  return {
    // Writes on the writer thread, reads (admin reports) here: both go to the same store.
    stores: writer === undefined ? stores : { ...stores, usage: { ...stores.usage, putUsages: (records) => writer.putUsages(records) } },
    async close() {
      await writer?.close();
      client.destroy();
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
