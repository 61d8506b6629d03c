import { type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { InvalidRequestError } from '../../errors/gateway-error';
import type { AuditEntry, AuditPage, AuditQuery, AuditStore } from '../store';
import { type Item, marshalItem, optionalString, readString, withoutUndefined } from './attributes';
import { GSI1, GSI1_PK, GSI1_SK, PK, SK } from './table';

/**
 * The admin audit trail: pk `AUDIT#<yyyy-mm-dd>`, sk `<time>#<id>`, so a day is one partition read
 * newest first, and a range walks its days from the newest. Admin changes are rare (a day partition
 * never gets hot) and reading an empty day costs one small Query, so a 30-day listing is cheap.
 * Entries naming a target also carry gsi1 `AUDITTARGET#<target>` (same sort key): one entity's
 * history is one index Query, whatever the range. `before`/`after` are stored as JSON strings: they
 * are shown, never queried, and a string keeps every JSON value kind without a richer marshaller.
 * No TTL: an audit trail is kept.
 */
const DAY_MS = 86_400_000;
export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 1000;

function sortKey(entry: Pick<AuditEntry, 'time' | 'id'>): string {
  return `${entry.time}#${entry.id}`;
}

function toItem(entry: AuditEntry): Item {
  return marshalItem({
    [PK]: `AUDIT#${entry.time.slice(0, 10)}`,
    [SK]: sortKey(entry),
    [GSI1_PK]: `AUDITTARGET#${entry.target}`,
    [GSI1_SK]: sortKey(entry),
    id: entry.id,
    time: entry.time,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    before: entry.before === undefined ? undefined : JSON.stringify(entry.before),
    after: entry.after === undefined ? undefined : JSON.stringify(entry.after),
  });
}

function parseView(text: string | undefined): Record<string, unknown> | undefined {
  return text === undefined ? undefined : JSON.parse(text) as Record<string, unknown>;
}

function fromItem(item: Item): AuditEntry {
  return withoutUndefined({
    id: readString(item, 'id'),
    time: readString(item, 'time'),
    actor: readString(item, 'actor'),
    action: readString(item, 'action'),
    target: readString(item, 'target'),
    before: parseView(optionalString(item, 'before')),
    after: parseView(optionalString(item, 'after')),
  });
}

/** The cursor is the sort key of the last entry returned: the next page continues strictly below it. */
export function encodeAuditCursor(lastSortKey: string): string {
  return Buffer.from(lastSortKey, 'utf8').toString('base64url');
}

export function decodeAuditCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}T[^#]+#.+$/.test(text)) throw new InvalidRequestError("'cursor' is not a cursor from a previous page.", 'invalid_value', { param: 'cursor' });
  return text;
}

function iso(time: string, field: string): string {
  const parsed = Date.parse(time);
  if (Number.isNaN(parsed)) throw new InvalidRequestError(`'${field}' must be an ISO-8601 time.`, 'invalid_value', { param: field });
  return new Date(parsed).toISOString();
}

/** The normalised bounds of a query: sort keys in [lower, upper) — the cursor lowers `upper`. */
export function auditBounds(query: AuditQuery): { lower: string; upper: string; limit: number } {
  const lower = iso(query.from, 'from');
  const to = iso(query.to, 'to');
  const cursor = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor);
  const upper = cursor !== undefined && cursor < to ? cursor : to;
  const limit = Math.min(Math.max(1, Math.floor(query.limit ?? DEFAULT_AUDIT_LIMIT)), MAX_AUDIT_LIMIT);
  return { lower, upper, limit };
}

export function createDynamoAuditStore(client: DynamoDBClient, tableName: string): AuditStore {
  /** Entries of one partition with sort keys in [lower, upper), newest first, at most `limit`. */
  async function readPartition(keyName: string, keyValue: string, index: string | undefined, sortName: string, lower: string, upper: string, limit: number): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let startKey: Item | undefined;
    do {
      const page = await client.send(new QueryCommand({
        TableName: tableName,
        ...(index === undefined ? {} : { IndexName: index }),
        // BETWEEN is inclusive: `upper` (the exclusive `to`, or the previous page's last entry) is dropped below.
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lower AND :upper',
        ExpressionAttributeNames: { '#pk': keyName, '#sk': sortName },
        ExpressionAttributeValues: { ':pk': { S: keyValue }, ':lower': { S: lower }, ':upper': { S: upper } },
        ScanIndexForward: false,
        // One more than needed: the dropped upper bound may be among them.
        Limit: limit - entries.length + 1,
        ExclusiveStartKey: startKey,
      }));
      for (const item of page.Items ?? []) {
        if (readString(item, sortName) !== upper && entries.length < limit) entries.push(fromItem(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && entries.length < limit);
    return entries;
  }

  return {
    async appendAudit(entry) {
      await client.send(new PutItemCommand({ TableName: tableName, Item: toItem(entry) }));
    },

    async listAudit(query): Promise<AuditPage> {
      const { lower, upper, limit } = auditBounds(query);
      if (lower >= upper) return { entries: [] };
      // Read one more than the page: whether it exists decides nextCursor, without an extra call.
      const wanted = limit + 1;
      let entries: AuditEntry[];
      if (query.target !== undefined) {
        entries = await readPartition(GSI1_PK, `AUDITTARGET#${query.target}`, GSI1, GSI1_SK, lower, upper, wanted);
      } else {
        entries = [];
        const firstDay = Date.parse(lower.slice(0, 10));
        for (let day = Date.parse(upper.slice(0, 10)); day >= firstDay && entries.length < wanted; day -= DAY_MS) {
          const partition = `AUDIT#${new Date(day).toISOString().slice(0, 10)}`;
          entries.push(...await readPartition(PK, partition, undefined, SK, lower, upper, wanted - entries.length));
        }
      }
      if (entries.length <= limit) return { entries };
      const page = entries.slice(0, limit);
      const last = page[page.length - 1];
      return last === undefined ? { entries: page } : { entries: page, nextCursor: encodeAuditCursor(sortKey(last)) };
    },
  };
}
