/**
 * The gateway table's key schema, written once. Two builders read it: `ensureTable` (the runtime,
 * for local mode and tests) and `buildGatewayTable` (the CDK construct, on AWS); a test synthesises
 * the CDK table and compares it with what ensureTable sends, so the two cannot drift apart.
 *
 * Plain data with no imports: the CDK library imports this file, and must not pull in the AWS SDK.
 */

export type KeyAttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

export interface IndexSchema {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** Every index projects all attributes: reads through it need whole items. */
  readonly projection: 'ALL';
}

export interface TableSchema {
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexSchema[];
  /** Epoch-seconds expiry of usage records and rate-limit windows. */
  readonly timeToLiveAttribute: string;
  /** On-demand: traffic follows working hours and bursts with agents. */
  readonly billingMode: 'PAY_PER_REQUEST';
}

/**
 * Generic `pk`/`sk` keys plus one overloaded, sparse GSI: teams and keys carry `gsi1pk`/`gsi1sk`,
 * usage records do not, so the index stays small however much usage the table holds. New entity
 * types need no schema change and the table needs no migration.
 */
export const GATEWAY_TABLE_SCHEMA: TableSchema = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' }, projection: 'ALL' },
  ],
  timeToLiveAttribute: 'ttl',
  billingMode: 'PAY_PER_REQUEST',
};

function firstIndex(): IndexSchema {
  const index = GATEWAY_TABLE_SCHEMA.globalSecondaryIndexes[0];
  if (index === undefined) throw new Error('The gateway table schema declares no index.');
  return index;
}

export const PK = GATEWAY_TABLE_SCHEMA.partitionKey.name;
export const SK = GATEWAY_TABLE_SCHEMA.sortKey.name;
export const GSI1 = firstIndex().indexName;
export const GSI1_PK = firstIndex().partitionKey.name;
export const GSI1_SK = firstIndex().sortKey.name;
export const TTL = GATEWAY_TABLE_SCHEMA.timeToLiveAttribute;
