import { DEFAULT_SETTINGS, type GatewayConfig } from '../config/gateway-config';
import { createDynamoStores, ensureTable } from '../stores/dynamo/index';
import type { GatewayStores } from '../stores/store';
import { createLocalDynamoClient, startEmbeddedDynamo } from './embedded-dynamo';

const TABLE_NAME = 'gatellm';

export interface LocalStore {
  readonly stores: GatewayStores;
  close(): Promise<void>;
}

/** The embedded DynamoDB-compatible server under `dataDir`, the table, and the DynamoDB stores on it. */
export async function openLocalStore(dataDir: string, config: GatewayConfig): Promise<LocalStore> {
  const dynamo = await startEmbeddedDynamo({ dataDir });
  const client = createLocalDynamoClient(dynamo.endpoint);
  await ensureTable(client, TABLE_NAME);
  const settings = { ...DEFAULT_SETTINGS, ...config.settings };
  return {
    stores: createDynamoStores(client, { tableName: TABLE_NAME, usageRetentionDays: settings.usageRetentionDays }),
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
}
