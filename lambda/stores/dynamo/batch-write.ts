import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { type Item } from './attributes';
import { forEachConcurrently } from './concurrency';
import { PK, SK } from './table';

/** BatchWriteItem's hard limit on requests per call. */
export const MAX_BATCH_ITEMS = 25;

export interface BatchPutOptions {
  /** Calls in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Calls per chunk before unprocessed items count as failed (the first one included). @default 6 */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per retry, with full jitter. @default 25 */
  readonly baseDelayMs?: number;
}

/**
 * Puts items with BatchWriteItem, 25 per call. DynamoDB may accept part of a batch and hand the
 * rest back as UnprocessedItems (throttling, partition limits); the SDK does not retry those, so
 * this does, with exponential backoff, and fails if some remain after the last attempt.
 *
 * Items with the same key: a batch may not hold two, so the last one wins (as with sequential
 * PutItem calls) and the earlier ones are dropped here.
 */
export async function batchPut(
  client: DynamoDBClient,
  tableName: string,
  items: readonly Item[],
  options: BatchPutOptions = {},
): Promise<void> {
  const byKey = new Map<string, Item>();
  for (const item of items) byKey.set(JSON.stringify([item[PK]?.S, item[SK]?.S]), item);
  const unique = [...byKey.values()];
  const chunks: Item[][] = [];
  for (let i = 0; i < unique.length; i += MAX_BATCH_ITEMS) chunks.push(unique.slice(i, i + MAX_BATCH_ITEMS));

  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 25;
  await forEachConcurrently(chunks, options.concurrency ?? 4, async (chunk) => {
    let pending: WriteRequest[] = chunk.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; ; attempt += 1) {
      const { UnprocessedItems: unprocessed } = await client.send(new BatchWriteItemCommand({
        RequestItems: { [tableName]: pending },
      }));
      pending = unprocessed?.[tableName] ?? [];
      if (pending.length === 0) return;
      if (attempt >= maxAttempts) {
        throw new Error(`BatchWriteItem left ${pending.length} of ${chunk.length} items unprocessed after ${attempt} attempts.`);
      }
      const delay = Math.random() * Math.min(1000, baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  });
}
