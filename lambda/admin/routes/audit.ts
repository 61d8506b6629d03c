import type { Route, RouteHandler } from '../../api/route-table';
import { InvalidRequestError } from '../../errors/gateway-error';
import type { AuditQuery } from '../../stores/store';
import { json, type AdminContext } from '../admin-context';
import type { AuditEntryView, ListResponse } from '../api-types/entities';

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 30;
const MAX_RANGE_DAYS = 400;
const MAX_LIMIT = 1000;

function timeParam(query: URLSearchParams, field: string): number | undefined {
  const value = query.get(field);
  if (value === null || value === '') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidRequestError(`'${field}' must be an ISO-8601 date or time.`, 'invalid_value', { param: field });
  return time;
}

/** `from` inclusive, `to` exclusive; by default the last 30 days up to now. */
export function auditQuery(query: URLSearchParams, now: number): AuditQuery {
  // `to` is exclusive: by default one millisecond past now, so a change made this millisecond is listed.
  const to = timeParam(query, 'to') ?? now + 1;
  const from = timeParam(query, 'from') ?? to - DEFAULT_RANGE_DAYS * DAY_MS;
  if (from >= to) throw new InvalidRequestError("'from' must be before 'to'.", 'invalid_value', { param: 'from' });
  // Each day of the range is one store read when no target narrows it: bound the walk.
  if (to - from > MAX_RANGE_DAYS * DAY_MS) {
    throw new InvalidRequestError(`The time range may span at most ${MAX_RANGE_DAYS} days.`, 'invalid_value', { param: 'from' });
  }
  const limitText = query.get('limit');
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0 || limit > MAX_LIMIT)) {
    throw new InvalidRequestError(`'limit' must be an integer from 1 to ${MAX_LIMIT}.`, 'invalid_value', { param: 'limit' });
  }
  const target = query.get('target');
  const cursor = query.get('cursor');
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    ...(target === null || target === '' ? {} : { target }),
    ...(limit === undefined ? {} : { limit }),
    ...(cursor === null || cursor === '' ? {} : { cursor }),
  };
}

/** /admin/v1/audit: who changed what, newest first. */
export function auditRoutes(context: AdminContext): Route[] {
  const listAudit: RouteHandler = async (request) => {
    const page = await context.stores.audit.listAudit(auditQuery(request.query, context.now()));
    const response: ListResponse<AuditEntryView> = {
      object: 'list', data: page.entries, ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    };
    return json(200, response);
  };
  return [{ pattern: /^\/admin\/v1\/audit\/?$/, methods: { GET: listAudit } }];
}
