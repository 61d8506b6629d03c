import { InvalidRequestError } from '../../errors/gateway-error';

/**
 * The opaque `nextCursor` of a usage page: base64url of the last returned record's sort key
 * (`<canonical ISO time>#<requestId>`). Sort keys are unique and totally ordered, so the next page
 * continuing strictly after it has no duplicate and no gap, even among records with equal times.
 * The memory store uses the same form, so a cursor means the same thing in both.
 */
const SORT_KEY_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#./s;

export function encodeUsageCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

/** The sort key a cursor continues after; 400 `invalid_value` for anything no page produced. */
export function decodeUsageCursor(cursor: string): string {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!SORT_KEY_SHAPE.test(sortKey) || encodeUsageCursor(sortKey) !== cursor) {
    throw new InvalidRequestError("'cursor' is not a cursor returned by a previous page.", 'invalid_value', { param: 'cursor' });
  }
  return sortKey;
}

/** The time (ms) of a decoded cursor's record. */
export function cursorTimeMs(sortKey: string): number {
  return Date.parse(sortKey.slice(0, 24));
}
