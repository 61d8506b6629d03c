import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { GatewayStores } from '../store';
import { createDynamoKeyStore } from './key-store';
import { createDynamoTeamStore } from './team-store';
import { createDynamoUsageStore } from './usage-store';

export { ensureTable } from './table';

export interface DynamoStoresOptions {
  /** The single gateway table (layout in table.ts; the CDK construct creates it on AWS). */
  readonly tableName: string;
  /** Partitions per day for usage records; keep it fixed for a table's lifetime. @default 8 */
  readonly usageShards?: number;
  /** Days before TTL deletes a usage record. @default 400 (DEFAULT_USAGE_RETENTION_DAYS, from the configuration's `settings.usageRetentionDays`) */
  readonly usageRetentionDays?: number;
  /** The clock used for TTL filtering; for tests. @default Date.now */
  readonly now?: () => number;
}

/**
 * The DynamoDB implementation of every store, over one injected client: on AWS the real
 * service, locally the embedded server (lambda/local/embedded-dynamo.ts).
 *
 * @example
 *   const stores = createDynamoStores(new DynamoDBClient({}), { tableName: process.env.TABLE_NAME! });
 *   const key = await stores.keys.getKey(id);
 */
export function createDynamoStores(client: DynamoDBClient, options: DynamoStoresOptions): GatewayStores {
  return {
    keys: createDynamoKeyStore(client, options.tableName),
    teams: createDynamoTeamStore(client, options.tableName),
    usage: createDynamoUsageStore(client, options.tableName, {
      shards: options.usageShards,
      retentionDays: options.usageRetentionDays,
      now: options.now,
    }),
  };
}
