import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { type Item } from './attributes';
import { forEachConcurrently } from './concurrency';
import { estimateItemSize, MAX_ITEM_BYTES } from './item-size';
import { isServiceError, PK, SK } from './table';

/** BatchWriteItem's hard limit on requests per call. */
export const MAX_BATCH_ITEMS = 25;

/**
 * Errors that DynamoDB raises for the content of a request (an item too large, a key too long, a
 * wrong type). One such item makes the whole BatchWriteItem call fail, so these are worth splitting
 * the batch for. Throttling, missing tables or denied access hit every item alike: those are not.
 */
const ITEM_ERRORS: readonly string[] = ['ValidationException', 'SerializationException', 'ItemCollectionSizeLimitExceededException'];

export interface BatchPutOptions {
  /** Calls in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Calls per chunk before unprocessed items count as failed (the first one included). @default 6 */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per retry, with full jitter. @default 25 */
  readonly baseDelayMs?: number;
}

/** An item DynamoDB would not store, and why (the error's name and message: never the item's content). */
export interface RejectedItem {
  readonly item: Item;
  readonly reason: string;
}

export interface BatchPutResult {
  /** Items DynamoDB confirmed written (one per key), so a caller can act on exactly those once. */
  readonly written: readonly Item[];
  /** Items left out so that the rest of their batch could be written. Empty when all were written. */
  readonly rejected: readonly RejectedItem[];
}

/**
 * A batch put that failed for a reason hitting every item alike (throttling after retries, access,
 * network). Thrown only once every call in flight has ended, so `written` is complete: what the
 * caller must still account for (e.g. roll up) although the put as a whole failed.
 */
export class BatchPutError extends Error {
  constructor(readonly failure: unknown, readonly written: readonly Item[], readonly rejected: readonly RejectedItem[]) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'BatchPutError';
  }
}

function keyOf(item: Item): string {
  return JSON.stringify([item[PK]?.S, item[SK]?.S]);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  // Capped: a service message is short, and a log line must not grow with whatever went wrong.
  return `${error.name}: ${error.message.slice(0, 200)}`;
}

/**
 * Puts items with BatchWriteItem, 25 per call, so that one bad item never sinks another:
 *  - an item whose estimated size is over MAX_ITEM_BYTES is rejected before any call;
 *  - a call that fails because of an item's content (ValidationException, ...) is split in halves,
 *    down to single items, so only the offending item is rejected and the others are written;
 *  - DynamoDB may accept part of a batch and hand the rest back as UnprocessedItems (throttling,
 *    partition limits); the SDK does not retry those, so this does, with exponential backoff, and
 *    fails if some remain after the last attempt. Other errors (throttled after the SDK's own
 *    retries, network, access) fail the call: they would fail every item alike.
 *
 * Items with the same key: a batch may not hold two, so the last one wins (as with sequential
 * PutItem calls) and the earlier ones are dropped here.
 */
export async function batchPut(
  client: DynamoDBClient,
  tableName: string,
  items: readonly Item[],
  options: BatchPutOptions = {},
): Promise<BatchPutResult> {
  const rejected: RejectedItem[] = [];
  const written: Item[] = [];
  const byKey = new Map<string, Item>();
  for (const item of items) byKey.set(keyOf(item), item);
  const sendable: Item[] = [];
  for (const item of byKey.values()) {
    const size = estimateItemSize(item);
    if (size > MAX_ITEM_BYTES) rejected.push({ item, reason: `item of about ${size} bytes exceeds the ${MAX_ITEM_BYTES}-byte limit` });
    else sendable.push(item);
  }
  const chunks: Item[][] = [];
  for (let i = 0; i < sendable.length; i += MAX_BATCH_ITEMS) chunks.push(sendable.slice(i, i + MAX_BATCH_ITEMS));

  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 25;

  async function writeWithRetries(chunk: readonly Item[]): Promise<void> {
    let pending: WriteRequest[] = chunk.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; ; attempt += 1) {
      const { UnprocessedItems: unprocessed } = await client.send(new BatchWriteItemCommand({
        RequestItems: { [tableName]: pending },
      }));
      const left = unprocessed?.[tableName] ?? [];
      // Unprocessed items come back as the same objects' content, not references: match by key.
      const leftKeys = new Set(left.map((request) => keyOf(request.PutRequest?.Item ?? {})));
      for (const request of pending) {
        const item = request.PutRequest?.Item;
        if (item !== undefined && !leftKeys.has(keyOf(item))) written.push(item);
      }
      pending = left;
      if (pending.length === 0) return;
      if (attempt >= maxAttempts) {
        throw new Error(`BatchWriteItem left ${pending.length} of ${chunk.length} items unprocessed after ${attempt} attempts.`);
      }
      const delay = Math.random() * Math.min(1000, baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async function writeIsolatingBadItems(chunk: readonly Item[]): Promise<void> {
    try {
      await writeWithRetries(chunk);
    } catch (error) {
      if (!ITEM_ERRORS.some((name) => isServiceError(error, name))) throw error;
      const [only] = chunk;
      if (chunk.length === 1 && only !== undefined) {
        rejected.push({ item: only, reason: describe(error) });
        return;
      }
      // Halving finds one bad item among 25 in about 2·log2(25) ≈ 10 calls; the good halves are written as found.
      const middle = Math.ceil(chunk.length / 2);
      await writeIsolatingBadItems(chunk.slice(0, middle));
      await writeIsolatingBadItems(chunk.slice(middle));
    }
  }

  // After the first failure no new chunk starts, but the calls in flight are awaited, so that
  // `written` is complete when the error is thrown.
  let failure: { readonly error: unknown } | undefined;
  await forEachConcurrently(chunks, options.concurrency ?? 4, async (chunk) => {
    if (failure !== undefined) return;
    try {
      await writeIsolatingBadItems(chunk);
    } catch (error) {
      failure ??= { error };
    }
  });
  if (failure !== undefined) throw new BatchPutError(failure.error, written, rejected);
  return { written, rejected };
}
