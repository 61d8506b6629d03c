import {
  CreateTableCommand,
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

/**
 * The single table's fixed layout. The CDK construct creates exactly this on AWS; `ensureTable`
 * creates it locally and in tests. Every item has `pk`/`sk`; teams and keys also carry
 * `gsi1pk`/`gsi1sk`, usage records do not, so the index stays small (sparse) however much usage
 * the table holds.
 */
export const PK = 'pk';
export const SK = 'sk';
export const GSI1 = 'gsi1';
export const GSI1_PK = 'gsi1pk';
export const GSI1_SK = 'gsi1sk';
export const TTL = 'ttl';

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
      await client.send(new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [PK, SK, GSI1_PK, GSI1_SK].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [{ AttributeName: PK, KeyType: 'HASH' }, { AttributeName: SK, KeyType: 'RANGE' }],
        GlobalSecondaryIndexes: [{
          IndexName: GSI1,
          KeySchema: [{ AttributeName: GSI1_PK, KeyType: 'HASH' }, { AttributeName: GSI1_SK, KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'ALL' },
        }],
      }));
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
