import { randomUUID } from 'node:crypto';
import { parseJsonBody } from '../api/request-body';
import { createRoutedApp, type Route, type RouteHandler } from '../api/route-table';
import type { GatewayConfig } from '../config/gateway-config';
import type { KeyAuthenticator } from '../core/key-authenticator';
import { NotFoundError } from '../errors/gateway-error';
import type { HttpApp, InboundRequest, OutboundResponse } from '../http/types';
import { generateGatewayKey, redactKey } from '../keys/gateway-key';
import type { Logger } from '../logging/logger';
import type { GatewayKeyRecord, GatewayStores, Team, UsageRecord } from '../stores/store';
import { groupByFields, optionalFutureTime, optionalString, optionalStringList, requiredString, usageQuery } from './admin-input';
import { toCsv } from './csv';

export interface AdminAppDeps {
  readonly config: GatewayConfig;
  readonly stores: GatewayStores;
  readonly logger: Logger;
  /** Present when the gateway runs in the same process: revocations then apply at once. */
  readonly authenticator?: KeyAuthenticator;
  readonly now?: () => number;
}

type Handler = RouteHandler;

const RECORD_COLUMNS: readonly (keyof UsageRecord)[] = [
  'requestId', 'time', 'keyId', 'teamId', 'user', 'requestedModel', 'provider', 'providerModel', 'operation', 'inputTokens',
  'outputTokens', 'cachedTokens', 'reasoningTokens', 'usageEstimated', 'costUsd', 'latencyMs', 'ttftMs', 'httpStatus', 'status',
  'streamed', 'userAgent', 'errorCode',
];
const AGGREGATE_METRICS = ['requests', 'inputTokens', 'outputTokens', 'cachedTokens', 'reasoningTokens', 'costUsd'];

function json(status: number, value: unknown): OutboundResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function wantsCsv(request: InboundRequest): boolean {
  return request.query.get('format') === 'csv' || (request.headers.accept ?? '').includes('text/csv');
}

function csv(columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[]): OutboundResponse {
  return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: toCsv(columns, rows) };
}

/** A key as the admin API shows it: everything but the hash. */
function publicKey(record: GatewayKeyRecord): Record<string, unknown> {
  const { secretHash: _hash, ...rest } = record;
  return { ...rest, prefix: redactKey(record.id), status: record.revokedAt === undefined ? 'active' : 'revoked' };
}

/** Admin REST API under /admin/v1. Authentication happens in front of it (IAM on AWS, a bearer token locally). */
export function createAdminApp(deps: AdminAppDeps): HttpApp {
  const now = deps.now ?? Date.now;
  const { stores } = deps;

  const createTeam: Handler = async (request) => {
    const body = parseJsonBody(request.headers, request.body);
    const team: Team = { id: `team_${randomUUID().replaceAll('-', '').slice(0, 16)}`, name: requiredString(body, 'name', 128), createdAt: new Date(now()).toISOString() };
    await stores.teams.createTeam(team);
    deps.logger.info('admin: team created', { teamId: team.id, name: team.name });
    return json(201, team);
  };

  const getTeam: Handler = async (_request, _requestId, [id]) => {
    const team = await stores.teams.getTeam(id ?? '');
    if (team === undefined) throw new NotFoundError(`No team '${id ?? ''}'.`, 'team_not_found');
    return json(200, team);
  };

  const createKey: Handler = async (request) => {
    const body = parseJsonBody(request.headers, request.body);
    const teamId = requiredString(body, 'team');
    if ((await stores.teams.getTeam(teamId)) === undefined) throw new NotFoundError(`No team '${teamId}'.`, 'team_not_found', { param: 'team' });
    const user = optionalString(body, 'user');
    const name = optionalString(body, 'name');
    const models = optionalStringList(body, 'models');
    const expiresAt = optionalFutureTime(body, 'expiresAt', now());
    const generated = generateGatewayKey();
    const record: GatewayKeyRecord = {
      id: generated.id, secretHash: generated.secretHash, teamId, createdAt: new Date(now()).toISOString(),
      ...(user === undefined ? {} : { user }), ...(name === undefined ? {} : { name }),
      ...(models === undefined ? {} : { models }), ...(expiresAt === undefined ? {} : { expiresAt }),
    };
    await stores.keys.putKey(record);
    deps.logger.info('admin: key created', { keyId: record.id, teamId, user });
    // The only time the secret exists outside its owner's hands: it is returned once and never stored.
    return json(201, { ...publicKey(record), key: generated.key });
  };

  const getKey: Handler = async (_request, _requestId, [id]) => {
    const record = await stores.keys.getKey(id ?? '');
    if (record === undefined) throw new NotFoundError(`No key '${id ?? ''}'.`, 'key_not_found');
    return json(200, publicKey(record));
  };

  const revokeKey: Handler = async (_request, _requestId, [id]) => {
    const record = await stores.keys.revokeKey(id ?? '', new Date(now()).toISOString());
    if (record === undefined) throw new NotFoundError(`No key '${id ?? ''}'.`, 'key_not_found');
    deps.authenticator?.invalidate(record.id);
    deps.logger.info('admin: key revoked', { keyId: record.id });
    return json(200, publicKey(record));
  };

  const usageRecords: Handler = async (request) => {
    const records = await stores.usage.queryUsage(usageQuery(request.query, now()));
    return wantsCsv(request) ? csv(RECORD_COLUMNS, records as unknown as Record<string, unknown>[]) : json(200, { object: 'list', data: records });
  };

  const usageAggregates: Handler = async (request) => {
    const query = usageQuery(request.query, now());
    const groupBy = groupByFields(request.query);
    const rows = await stores.usage.aggregateUsage(query, groupBy);
    if (wantsCsv(request)) return csv([...groupBy, ...AGGREGATE_METRICS], rows as unknown as Record<string, unknown>[]);
    return json(200, { object: 'list', from: query.from, to: query.to, groupBy, data: rows });
  };

  const routes: readonly Route[] = [
    { pattern: /^\/admin\/v1\/teams\/?$/, methods: { POST: createTeam, GET: async () => json(200, { object: 'list', data: await stores.teams.listTeams() }) } },
    { pattern: /^\/admin\/v1\/teams\/([^/]+)$/, methods: { GET: getTeam } },
    { pattern: /^\/admin\/v1\/keys\/?$/, methods: {
      POST: createKey,
      GET: async (request) => json(200, { object: 'list', data: (await stores.keys.listKeys(request.query.get('team') ?? undefined)).map(publicKey) }),
    } },
    { pattern: /^\/admin\/v1\/keys\/([^/]+)$/, methods: { GET: getKey, DELETE: revokeKey } },
    { pattern: /^\/admin\/v1\/usage\/?$/, methods: { GET: usageAggregates } },
    { pattern: /^\/admin\/v1\/usage\/records\/?$/, methods: { GET: usageRecords } },
  ];

  return createRoutedApp(routes, { logger: deps.logger });
}
