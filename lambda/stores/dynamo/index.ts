import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { GatewayStores } from '../store';
import { createDynamoKeyStore } from './key-store';
import { createDynamoTeamStore } from './team-store';
import { createDynamoUsageStore } from './usage-store';
import { createDynamoUserStore } from './user-store';
import { createDynamoAuditStore } from './audit-store';
import { createDynamoAlertStore } from './alert-store';
import { createDynamoCounterStore } from './counter-store';
import { createDynamoPolicyStore } from './policy-store';

export { ensureTable } from './table';

export interface DynamoStoresOptions {
  /** The single gateway table (layout in table.ts; the CDK construct creates it on AWS). */
  readonly tableName: string;
  /** Partitions per day for usage records; keep it fixed for a table's lifetime. @default 8 */
  readonly usageShards?: number;
  /** Days before TTL deletes a usage record. @default 400 (DEFAULT_USAGE_RETENTION_DAYS, from the configuration's `settings.usageRetentionDays`) */
  readonly usageRetentionDays?: number;
  /** After this long an unsettled budget or limit reservation counts as abandoned (a crashed instance) and is released. @default 20 minutes */
  readonly reservationLifetimeMs?: number;
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
    users: createDynamoUserStore(client, options.tableName),
    audit: createDynamoAuditStore(client, options.tableName),
    policies: createDynamoPolicyStore(client, options.tableName),
    alerts: createDynamoAlertStore(client, options.tableName),
    counters: createDynamoCounterStore(client, options.tableName, { reservationLifetimeMs: options.reservationLifetimeMs }),
    usage: createDynamoUsageStore(client, options.tableName, {
      shards: options.usageShards,
      retentionDays: options.usageRetentionDays,
      now: options.now,
    }),
  };
}
