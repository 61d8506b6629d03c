import { InvalidRequestError } from '../errors/gateway-error';
import type { UsageGroupField, UsageQuery } from '../stores/store';
import { DEFAULT_USAGE_GROUP_BY, MAX_USAGE_PAGE, MAX_USAGE_RANGE_DAYS, USAGE_GROUP_FIELDS } from './api-types/usage';

const GROUP_FIELDS = USAGE_GROUP_FIELDS;
const MAX_RANGE_DAYS = MAX_USAGE_RANGE_DAYS;
/** Filters are exact matches on stored values; stored free text is cut at 1,024 characters. */
const MAX_FILTER_LENGTH = 1024;
const DAY_MS = 86_400_000;

export function requiredString(body: Readonly<Record<string, unknown>>, field: string, maxLength = 256): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidRequestError(`'${field}' is required and must be a non-empty string.`, 'invalid_value', { param: field });
  }
  if (value.length > maxLength) throw new InvalidRequestError(`'${field}' is longer than ${maxLength} characters.`, 'invalid_value', { param: field });
  return value.trim();
}

export function optionalString(body: Readonly<Record<string, unknown>>, field: string, maxLength = 256): string | undefined {
  return body[field] === undefined || body[field] === null ? undefined : requiredString(body, field, maxLength);
}

export function optionalStringList(body: Readonly<Record<string, unknown>>, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.length > 0 && item.length <= 128)) {
    throw new InvalidRequestError(`'${field}' must be an array of non-empty strings.`, 'invalid_value', { param: field });
  }
  return value as string[];
}

export function optionalFutureTime(body: Readonly<Record<string, unknown>>, field: string, now: number): string | undefined {
  const value = optionalString(body, field, 64);
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidRequestError(`'${field}' must be an ISO-8601 time.`, 'invalid_value', { param: field });
  if (time <= now) throw new InvalidRequestError(`'${field}' must be in the future.`, 'invalid_value', { param: field });
  return new Date(time).toISOString();
}

function parseTime(value: string | null, field: string): number | undefined {
  if (value === null || value === '') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidRequestError(`'${field}' must be an ISO-8601 date or time.`, 'invalid_value', { param: field });
  return time;
}

/** `from` (inclusive) and `to` (exclusive); defaults: the start of this UTC month to now. */
export function usageQuery(query: URLSearchParams, now: number): UsageQuery {
  const to = parseTime(query.get('to'), 'to') ?? now;
  const monthStart = new Date(now);
  const from = parseTime(query.get('from'), 'from') ?? Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth(), 1);
  if (from >= to) throw new InvalidRequestError("'from' must be before 'to'.", 'invalid_value', { param: 'from' });
  if (to - from > MAX_RANGE_DAYS * DAY_MS) {
    throw new InvalidRequestError(`The time range may span at most ${MAX_RANGE_DAYS} days.`, 'invalid_value', { param: 'from' });
  }
  const limitText = query.get('limit');
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0 || limit > MAX_USAGE_PAGE)) {
    throw new InvalidRequestError(`'limit' must be an integer from 1 to ${MAX_USAGE_PAGE}.`, 'invalid_value', { param: 'limit' });
  }
  const filter = (param: string): string | undefined => {
    const value = query.get(param);
    if (value === null) return undefined;
    if (value === '' || value.length > MAX_FILTER_LENGTH) {
      throw new InvalidRequestError(`'${param}' must be 1 to ${MAX_FILTER_LENGTH} characters.`, 'invalid_value', { param });
    }
    return value;
  };
  const fields: Record<string, string | undefined> = {
    teamId: filter('team'), user: filter('user'), keyId: filter('key'), model: filter('model'), provider: filter('provider'), cursor: filter('cursor'),
  };
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    ...(limit === undefined ? {} : { limit }),
  };
}

export function groupByFields(query: URLSearchParams): UsageGroupField[] {
  const raw = query.get('groupBy') ?? DEFAULT_USAGE_GROUP_BY.join(',');
  const fields = raw.split(',').map((field) => field.trim()).filter((field) => field !== '');
  for (const field of fields) {
    if (!GROUP_FIELDS.includes(field as UsageGroupField)) {
      throw new InvalidRequestError(`'groupBy' accepts: ${GROUP_FIELDS.join(', ')}.`, 'invalid_value', { param: 'groupBy' });
    }
  }
  return fields as UsageGroupField[];
}
