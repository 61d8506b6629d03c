import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { Item } from './attributes';
import { GATEWAY_TABLE_SCHEMA, type KeyAttribute, TTL } from './table-schema';

// The layout lives in table-schema.ts, shared with the CDK construct; re-exported for the stores.
export { GSI1, GSI1_PK, GSI1_SK, PK, SK, TTL } from './table-schema';

/**
 * True when `error` is the named service error (e.g. ConditionalCheckFailedException). Matched by
 * name rather than by class: that works for any copy of the SDK and across VM realms (jest).
 */
export function isServiceError(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

/** Follows LastEvaluatedKey from page to page, yielding each page's items, until the result set ends. */
async function* pages(fetch: (startKey: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>): AsyncGenerator<Item[]> {
  let startKey: Item | undefined;
  do {
    const page = await fetch(startKey);
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}

/** Yields each page of a Query. */
export function queryPages(client: DynamoDBClient, input: QueryCommandInput): AsyncGenerator<Item[]> {
  return pages((startKey) => client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })));
}

/** Yields each page of a Scan. */
export function scanPages(client: DynamoDBClient, input: ScanCommandInput): AsyncGenerator<Item[]> {
  return pages((startKey) => client.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey })));
}

export interface EnsureTableOptions {
  /** Give up waiting for ACTIVE after this long. @default 30000 */
  readonly timeoutMs?: number;
}

/** The CreateTable request for the gateway table, built from the one schema the CDK construct also reads. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const schema = GATEWAY_TABLE_SCHEMA;
  const keyAttributes: KeyAttribute[] = [schema.partitionKey, schema.sortKey];
  for (const index of schema.globalSecondaryIndexes) keyAttributes.push(index.partitionKey, index.sortKey);
  const types = new Map(keyAttributes.map((attribute) => [attribute.name, attribute.type]));
  return {
    TableName: tableName,
    BillingMode: schema.billingMode,
    AttributeDefinitions: [...types].map(([name, type]) => ({ AttributeName: name, AttributeType: type })),
    KeySchema: [{ AttributeName: schema.partitionKey.name, KeyType: 'HASH' }, { AttributeName: schema.sortKey.name, KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: schema.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [{ AttributeName: index.partitionKey.name, KeyType: 'HASH' }, { AttributeName: index.sortKey.name, KeyType: 'RANGE' }],
      Projection: { ProjectionType: index.projection },
    })),
  };
}

/**
 * Creates the gateway table if it does not exist and waits until it and its index are ACTIVE.
 * For local mode and tests only: on AWS the CDK construct owns the table. Safe to call
 * concurrently and repeatedly.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureTableOptions = {},
): Promise<void> {
  if (!(await tableExists(client, tableName))) {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (error) {
      // Another process created it between our describe and create: fine, wait for it below.
      if (!isServiceError(error, 'ResourceInUseException')) throw error;
    }
  }
  await waitUntilActive(client, tableName, options.timeoutMs ?? 30_000);
  await enableTtl(client, tableName);
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (isServiceError(error, 'ResourceNotFoundException')) return false;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new Error(`Table ${tableName} did not become ACTIVE within ${timeoutMs} ms.`);
    // Short polls: local servers finish in milliseconds; the real service is not polled here.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Turns TTL on so expired usage records get deleted. dynalite does not implement
 * UpdateTimeToLive (it answers UnknownOperationException): there records simply stay, which is
 * harmless because every read filters on `ttl` anyway.
 */
async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const status = current.TimeToLiveDescription?.TimeToLiveStatus;
    if (status === 'ENABLED' || status === 'ENABLING') return;
    await client.send(new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TTL, Enabled: true },
    }));
  } catch (error) {
    if (isServiceError(error, 'UnknownOperationException')) return;
    throw error;
  }
}
