import { randomUUID } from 'node:crypto';
import { parseJsonBody } from '../api/request-body';
import { createRoutedApp, type Route, type RouteHandler } from '../api/route-table';
import type { GatewayConfig } from '../config/gateway-config';
import type { KeyAuthenticator } from '../core/key-authenticator';
import { NotFoundError } from '../errors/gateway-error';
import type { HttpApp, InboundRequest, OutboundResponse } from '../http/types';
import { generateGatewayKey, redactKey } from '../keys/gateway-key';
import type { Logger } from '../logging/logger';
import type { GatewayKeyRecord, GatewayStores, Team, UsageAggregateRow, UsageGroupField, UsageQuery, UsageRecord } from '../stores/store';
import { groupByFields, optionalFutureTime, optionalString, optionalStringList, requiredString, usageQuery } from './admin-input';
import { toCsv } from './csv';
import { createTeamLookup, type TeamLookup } from './team-lookup';

export interface AdminAppDeps {
  readonly config: GatewayConfig;
  readonly stores: GatewayStores;
  readonly logger: Logger;
  /** Present when the gateway runs in the same process: revocations then apply at once. */
  readonly authenticator?: KeyAuthenticator;
  /**
   * Writes the usage records still buffered in this process; awaited before every usage read, so a
   * report read right after a response includes it. Local mode passes the gateway's drain; on AWS
   * the admin function runs apart from the gateway, which writes before its invocation returns.
   */
  readonly flushUsage?: () => Promise<void>;
  readonly now?: () => number;
}

type Handler = RouteHandler;

/** A usage record as the admin API shows it: the stored record plus its team's name. */
type RecordView = UsageRecord & { readonly teamName?: string };
type RowView = UsageAggregateRow & { readonly teamName?: string };

const RECORD_COLUMNS: readonly (keyof RecordView)[] = [
  'requestId', 'time', 'keyId', 'teamId', 'teamName', 'user', 'requestedModel', 'provider', 'providerModel', 'operation', 'inputTokens',
  'outputTokens', 'cachedTokens', 'cacheWriteTokens', 'reasoningTokens', 'usageEstimated', 'costUsd', 'latencyMs', 'ttftMs', 'httpStatus', 'status',
  'streamed', 'userAgent', 'errorCode',
];
const AGGREGATE_METRICS = ['requests', 'inputTokens', 'outputTokens', 'cachedTokens', 'cacheWriteTokens', 'reasoningTokens', 'costUsd'];

function json(status: number, value: unknown): OutboundResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function wantsCsv(request: InboundRequest): boolean {
  return request.query.get('format') === 'csv' || (request.headers.accept ?? '').includes('text/csv');
}

function csv(columns: readonly string[], rows: readonly object[]): OutboundResponse {
  return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: toCsv(columns, rows) };
}

/** A key as the admin API shows it: everything but the hash, plus its team's name. */
async function publicKey(record: GatewayKeyRecord, teams: TeamLookup): Promise<Record<string, unknown>> {
  const { secretHash: _hash, id, teamId, ...rest } = record;
  return {
    id, teamId, teamName: await teams.nameOf(teamId), ...rest,
    prefix: redactKey(record.id), status: record.revokedAt === undefined ? 'active' : 'revoked',
  };
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

/** Admin REST API under /admin/v1. Authentication happens in front of it (IAM on AWS, a bearer token locally). */
export function createAdminApp(deps: AdminAppDeps): HttpApp {
  const now = deps.now ?? Date.now;
  const { stores } = deps;

  /** The usage query of a request, its `team` (id or name) resolved to the stored id; pending usage written first. */
  async function usageRequest(request: InboundRequest, teams: TeamLookup): Promise<UsageQuery> {
    const query = usageQuery(request.query, now());
    await deps.flushUsage?.();
    if (query.teamId === undefined) return query;
    return { ...query, teamId: (await teams.resolve(query.teamId, 'team')).id };
  }

  const createTeam: Handler = async (request) => {
    const body = parseJsonBody(request.headers, request.body);
    const team: Team = { id: `team_${randomUUID().replaceAll('-', '').slice(0, 16)}`, name: requiredString(body, 'name', 128), createdAt: new Date(now()).toISOString() };
    await stores.teams.createTeam(team);
    deps.logger.info('admin: team created', { teamId: team.id, name: team.name });
    return json(201, team);
  };

  const getTeam: Handler = async (_request, _requestId, [reference]) =>
    json(200, await createTeamLookup(stores.teams).resolve(reference ?? '', 'team'));

  const createKey: Handler = async (request) => {
    const body = parseJsonBody(request.headers, request.body);
    const teamReference = requiredString(body, 'team');
    const user = optionalString(body, 'user');
    const name = optionalString(body, 'name');
    const models = optionalStringList(body, 'models');
    const expiresAt = optionalFutureTime(body, 'expiresAt', now());
    // Validated fields first: a malformed request costs no store read.
    const teams = createTeamLookup(stores.teams);
    const teamId = (await teams.resolve(teamReference, 'team')).id;
    const generated = generateGatewayKey();
    const record: GatewayKeyRecord = {
      id: generated.id, secretHash: generated.secretHash, teamId, createdAt: new Date(now()).toISOString(),
      ...(user === undefined ? {} : { user }), ...(name === undefined ? {} : { name }),
      ...(models === undefined ? {} : { models }), ...(expiresAt === undefined ? {} : { expiresAt }),
    };
    await stores.keys.putKey(record);
    deps.logger.info('admin: key created', { keyId: record.id, teamId, user });
    // The only time the secret exists outside its owner's hands: it is returned once and never stored.
    return json(201, { ...(await publicKey(record, teams)), key: generated.key });
  };

  const getKey: Handler = async (_request, _requestId, [id]) => {
    const record = await stores.keys.getKey(id ?? '');
    if (record === undefined) throw new NotFoundError(`No key '${id ?? ''}'.`, 'key_not_found');
    return json(200, await publicKey(record, createTeamLookup(stores.teams)));
  };

  const listKeys: Handler = async (request) => {
    const teams = createTeamLookup(stores.teams);
    const team = request.query.get('team');
    const records = await stores.keys.listKeys(team === null ? undefined : (await teams.resolve(team, 'team')).id);
    return json(200, { object: 'list', data: await Promise.all(records.map((record) => publicKey(record, teams))) });
  };

  const revokeKey: Handler = async (_request, _requestId, [id]) => {
    const record = await stores.keys.revokeKey(id ?? '', new Date(now()).toISOString());
    if (record === undefined) throw new NotFoundError(`No key '${id ?? ''}'.`, 'key_not_found');
    deps.authenticator?.invalidate(record.id);
    deps.logger.info('admin: key revoked', { keyId: record.id });
    return json(200, await publicKey(record, createTeamLookup(stores.teams)));
  };

  const usageRecords: Handler = async (request) => {
    const teams = createTeamLookup(stores.teams);
    const records = await stores.usage.queryUsage(await usageRequest(request, teams));
    const views: RecordView[] = await Promise.all(records.map((record) => withTeamName(record, record.teamId, 'teamId', teams)));
    return wantsCsv(request) ? csv(RECORD_COLUMNS, views) : json(200, { object: 'list', data: views });
  };

  const usageAggregates: Handler = async (request) => {
    const teams = createTeamLookup(stores.teams);
    const groupBy = groupByFields(request.query);
    const query = await usageRequest(request, teams);
    const rows = await stores.usage.aggregateUsage(query, groupBy);
    const views: RowView[] = await Promise.all(rows.map((row) => withTeamName(row, row.team, 'team', teams)));
    if (wantsCsv(request)) return csv(aggregateColumns(groupBy), views);
    return json(200, { object: 'list', from: query.from, to: query.to, groupBy, data: views });
  };

  const routes: readonly Route[] = [
    { pattern: /^\/admin\/v1\/teams\/?$/, methods: { POST: createTeam, GET: async () => json(200, { object: 'list', data: await stores.teams.listTeams() }) } },
    { pattern: /^\/admin\/v1\/teams\/([^/]+)$/, methods: { GET: getTeam } },
    { pattern: /^\/admin\/v1\/keys\/?$/, methods: {
      POST: createKey,
      GET: listKeys,
    } },
    { pattern: /^\/admin\/v1\/keys\/([^/]+)$/, methods: { GET: getKey, DELETE: revokeKey } },
    { pattern: /^\/admin\/v1\/usage\/?$/, methods: { GET: usageAggregates } },
    { pattern: /^\/admin\/v1\/usage\/records\/?$/, methods: { GET: usageRecords } },
  ];

  return createRoutedApp(routes, { logger: deps.logger });
}
