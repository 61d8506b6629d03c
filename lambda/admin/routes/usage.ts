import type { Route, RouteHandler } from '../../api/route-table';
import type { InboundRequest, OutboundResponse } from '../../http/types';
import { formatPiiCounts } from '../../stores/pii-counts';
import type { UsageGroupField, UsageQuery } from '../../stores/store';
import { json, type AdminContext } from '../admin-context';
import { groupByFields, usageQuery } from '../admin-input';
import {
  NEXT_CURSOR_HEADER,
  type UsageAggregatesResponse,
  type UsageRecordsResponse,
  type UsageRecordView as RecordView,
  type UsageRowView as RowView,
} from '../api-types/usage';
import { toCsv } from '../csv';
import { createTeamLookup, type TeamLookup } from '../team-lookup';

/** A record as one CSV row: the data-protection summary flattened into `piiAction` and `piiFound` (`email=2;api_key=1`). */
type RecordRow = Omit<RecordView, 'pii'> & { readonly piiAction?: string; readonly piiFound?: string };

const RECORD_COLUMNS: readonly (keyof RecordRow)[] = [
  'requestId', 'time', 'keyId', 'teamId', 'teamName', 'user', 'requestedModel', 'provider', 'providerModel', 'operation', 'inputTokens',
  'outputTokens', 'cachedTokens', 'cacheWriteTokens', 'reasoningTokens', 'usageEstimated', 'costUsd', 'latencyMs', 'ttftMs', 'httpStatus', 'status',
  'streamed', 'userAgent', 'errorCode', 'piiAction', 'piiFound',
];

function recordRow({ pii, ...view }: RecordView): RecordRow {
  if (pii === undefined) return view;
  return { ...view, piiAction: pii.action, piiFound: formatPiiCounts(pii.found, ';') };
}
const AGGREGATE_METRICS = ['requests', 'inputTokens', 'outputTokens', 'cachedTokens', 'cacheWriteTokens', 'reasoningTokens', 'costUsd'];

function wantsCsv(request: InboundRequest): boolean {
  return request.query.get('format') === 'csv' || (request.headers.accept ?? '').includes('text/csv');
}

function csv(columns: readonly string[], rows: readonly object[], nextCursor?: string): OutboundResponse {
  const headers: Record<string, string> = { 'content-type': 'text/csv; charset=utf-8' };
  if (nextCursor !== undefined) headers[NEXT_CURSOR_HEADER] = nextCursor;
  return { status: 200, headers, body: toCsv(columns, rows) };
}

/** `team` next to `teamName` in CSV, as in JSON. */
function aggregateColumns(groupBy: readonly UsageGroupField[]): string[] {
  return [...groupBy.flatMap((field) => (field === 'team' ? ['team', 'teamName'] : [field])), ...AGGREGATE_METRICS];
}

/** Puts `teamName` right after `after` (the team id), so a reader sees both together. */
async function withTeamName<T extends object>(value: T, teamId: string | undefined, after: keyof T, teams: TeamLookup): Promise<T & { teamName?: string }> {
  if (teamId === undefined) return value;
  const teamName = await teams.nameOf(teamId);
  const entries = Object.entries(value);
  const at = entries.findIndex(([name]) => name === after) + 1;
  entries.splice(at, 0, ['teamName', teamName]);
  return Object.fromEntries(entries.filter(([, entry]) => entry !== undefined)) as T & { teamName?: string };
}

/** /admin/v1/usage: aggregates and records. */
export function usageRoutes(context: AdminContext): Route[] {
  const { stores } = context;

  /**
   * A `user` filter names a user id, or the email of a known user (records store the id); anything
   * else is matched as given, so records of a user since deleted stay reachable.
   */
  async function userId(reference: string): Promise<string> {
    const byId = await stores.users.getUser(reference);
    if (byId !== undefined || !reference.includes('@')) return reference;
    return (await stores.users.getUserByEmail(reference))?.id ?? reference;
  }

  /** The usage query of a request, its `team` (id or name) and `user` resolved to stored ids; pending usage written first. */
  async function usageRequest(request: InboundRequest, teams: TeamLookup): Promise<UsageQuery> {
    const query = usageQuery(request.query, context.now());
    const [, teamId, user] = await Promise.all([
      context.flushUsage?.(),
      query.teamId === undefined ? undefined : teams.resolve(query.teamId, 'team').then((team) => team.id),
      query.user === undefined ? undefined : userId(query.user),
    ]);
    return { ...query, ...(teamId === undefined ? {} : { teamId }), ...(user === undefined ? {} : { user }) };
  }

  const usageRecords: RouteHandler = async (request) => {
    const teams = createTeamLookup(stores.teams);
    const page = await stores.usage.queryUsage(await usageRequest(request, teams));
    const views: RecordView[] = await Promise.all(page.records.map((record) => withTeamName(record, record.teamId, 'teamId', teams)));
    if (wantsCsv(request)) return csv(RECORD_COLUMNS, views.map(recordRow), page.nextCursor);
    const body: UsageRecordsResponse = { object: 'list', data: views, ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
    return json(200, body);
  };

  const usageAggregates: RouteHandler = async (request) => {
    const teams = createTeamLookup(stores.teams);
    const groupBy = groupByFields(request.query);
    const query = await usageRequest(request, teams);
    const rows = await stores.usage.aggregateUsage(query, groupBy);
    const views: RowView[] = await Promise.all(rows.map((row) => withTeamName(row, row.team, 'team', teams)));
    if (wantsCsv(request)) return csv(aggregateColumns(groupBy), views);
    const body: UsageAggregatesResponse = { object: 'list', from: query.from, to: query.to, groupBy, data: views };
    return json(200, body);
  };

  return [
    { pattern: /^\/admin\/v1\/usage\/?$/, methods: { GET: usageAggregates } },
    { pattern: /^\/admin\/v1\/usage\/records\/?$/, methods: { GET: usageRecords } },
  ];
}
