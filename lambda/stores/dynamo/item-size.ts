import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from './attributes';

/**
 * The largest item the stores send. Kept well under DynamoDB's 400 KiB item limit because the estimate below
 * follows the documented sizing rules but is not the service's own arithmetic.
 */
export const MAX_ITEM_BYTES = 350 * 1024;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Bytes one value counts for, after DynamoDB's sizing rules: strings and binaries by length,
 * numbers about one byte per two significant digits plus one (at most 21), booleans and null one
 * byte, lists and maps three bytes plus one per element plus their elements.
 */
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return Math.min(21, Math.ceil(value.N.replace(/[^0-9]/g, '').length / 2) + 1);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, entry) => sum + utf8Bytes(entry), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, entry) => sum + valueSize({ N: entry }), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, entry) => sum + entry.byteLength, 0);
  if (value.L !== undefined) return value.L.reduce((sum, entry) => sum + 1 + valueSize(entry), 3);
  if (value.M !== undefined) return Object.entries(value.M).reduce((sum, [name, entry]) => sum + 1 + utf8Bytes(name) + valueSize(entry), 3);
  return 0;
}

/** An upper-leaning estimate of an item's stored size, in bytes. */
export function estimateItemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8Bytes(name) + valueSize(value), 0);
}

/**
 * `text` cut to at most `maxLength` UTF-16 units, marked with a trailing ellipsis when cut, and never
 * split inside a surrogate pair (that would leave invalid UTF-16, which DynamoDB rejects).
 */
export function truncateString(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = Math.max(0, maxLength - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
