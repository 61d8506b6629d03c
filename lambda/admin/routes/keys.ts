import { parseJsonBody } from '../../api/request-body';
import type { Route, RouteHandler } from '../../api/route-table';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../errors/gateway-error';
import type { InboundRequest } from '../../http/types';
import { generateGatewayKey, redactKey } from '../../keys/gateway-key';
import type { GatewayKeyRecord } from '../../stores/store';
import { json, type AdminContext } from '../admin-context';
import { optionalFutureTime, optionalString, optionalStringList } from '../admin-input';
import type { CreatedKey, KeyStatus, KeyView, ListResponse } from '../api-types/entities';
import { createTeamLookup, type TeamLookup } from '../team-lookup';
import { createUserLookup, type UserLookup } from '../user-lookup';

const MAX_TAGS = 20;
const MAX_TAG_NAME = 64;
const MAX_TAG_VALUE = 256;
const DEFAULT_GRACE_SECONDS = 3600;
const MAX_GRACE_SECONDS = 30 * 86_400;

function keyStatus(record: GatewayKeyRecord, now: number): KeyStatus {
  if (record.revokedAt !== undefined) return 'revoked';
  return record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now ? 'expired' : 'active';
}

/** A key as the admin API shows and audits it: everything but the hashes, plus names for its ids. */
async function keyView(record: GatewayKeyRecord, teams: TeamLookup, users: UserLookup, now: number): Promise<KeyView> {
  const { secretHash: _hash, previousSecretHash: _previous, ...rest } = record;
  const teamName = await teams.nameOf(record.teamId);
  const userEmail = record.user === undefined ? undefined : (await users.byId(record.user))?.email;
  return {
    ...rest, prefix: redactKey(record.id), owner: record.user === undefined ? 'team' : 'user', status: keyStatus(record, now),
    ...(teamName === undefined ? {} : { teamName }), ...(userEmail === undefined ? {} : { userEmail }),
  };
}


function tagsOf(body: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  const value = body.tags;
  if (value === undefined || value === null) return undefined;
  const invalid = (message: string): InvalidRequestError => new InvalidRequestError(message, 'invalid_value', { param: 'tags' });
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid("'tags' must be an object of string values.");
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_TAGS) throw invalid(`'tags' holds at most ${MAX_TAGS} tags.`);
  for (const [name, tag] of entries) {
    if (name === '' || name.length > MAX_TAG_NAME) throw invalid(`Tag names are 1 to ${MAX_TAG_NAME} characters.`);
    if (typeof tag !== 'string' || tag.length > MAX_TAG_VALUE) throw invalid(`Tag values are strings of at most ${MAX_TAG_VALUE} characters.`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function gracePeriodOf(body: Readonly<Record<string, unknown>>): number {
  const value = body.gracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_GRACE_SECONDS) {
    throw new InvalidRequestError(`'gracePeriodSeconds' must be an integer from 0 to ${MAX_GRACE_SECONDS}.`, 'invalid_value', { param: 'gracePeriodSeconds' });
  }
  return value;
}

function keyNotFound(id: string): NotFoundError {
  return new NotFoundError(`No key '${id.slice(0, 128)}'.`, 'key_not_found', { param: 'id' });
}

/** /admin/v1/keys */
export function keyRoutes(context: AdminContext): Route[] {
  const { stores } = context;
  const lookups = (): { teams: TeamLookup; users: UserLookup } => ({ teams: createTeamLookup(stores.teams), users: createUserLookup(stores.users) });
  const view = async (record: GatewayKeyRecord): Promise<KeyView> => {
    const { teams, users } = lookups();
    return keyView(record, teams, users, context.now());
  };
  const existing = async (id: string): Promise<GatewayKeyRecord> => {
    const record = await stores.keys.getKey(id);
    if (record === undefined) throw keyNotFound(id);
    return record;
  };

  const createKey: RouteHandler = async (request) => {
    const body = parseJsonBody(request.headers, request.body);
    const teamReference = optionalString(body, 'team');
    const userReference = optionalString(body, 'user', 254);
    if ((teamReference === undefined) === (userReference === undefined)) {
      throw new InvalidRequestError("Give exactly one of 'team' (a team-owned key) and 'user' (a user's key).", 'invalid_value', { param: 'team' });
    }
    const name = optionalString(body, 'name', 128);
    const tags = tagsOf(body);
    const models = optionalStringList(body, 'models');
    const expiresAt = optionalFutureTime(body, 'expiresAt', context.now());
    // Validated fields first: a malformed request costs no store read.
    const { teams, users } = lookups();
    const user = userReference === undefined ? undefined : await users.resolve(userReference, 'user');
    const teamId = user?.teamId ?? (await teams.resolve(teamReference ?? '', 'team')).id;
    const generated = generateGatewayKey();
    const record: GatewayKeyRecord = {
      id: generated.id, secretHash: generated.secretHash, teamId, createdAt: new Date(context.now()).toISOString(),
      ...(user === undefined ? {} : { user: user.id }), ...(name === undefined ? {} : { name }), ...(tags === undefined ? {} : { tags }),
      ...(models === undefined ? {} : { models }), ...(expiresAt === undefined ? {} : { expiresAt }),
    };
    await stores.keys.putKey(record);
    const shown = await keyView(record, teams, users, context.now());
    await context.audit(request, { action: 'key.create', target: `key:${record.id}`, after: { ...shown } });
    context.logger.info('admin: key created', { keyId: record.id, teamId, user: user?.id });
    // The only time the secret exists outside its owner's hands: it is returned once and never stored.
    const created: CreatedKey = { ...shown, key: generated.key };
    return json(201, created);
  };

  const listKeys: RouteHandler = async (request) => {
    const { teams, users } = lookups();
    const teamReference = request.query.get('team');
    const userReference = request.query.get('user');
    const user = userReference === null ? undefined : await users.resolve(userReference, 'user');
    // A user belongs to one team: its keys are read from that team's partition.
    const teamId = teamReference === null ? user?.teamId : (await teams.resolve(teamReference, 'team')).id;
    const records = user !== undefined && teamId !== user.teamId ? [] : await stores.keys.listKeys(teamId, user?.id);
    const response: ListResponse<KeyView> = { object: 'list', data: await Promise.all(records.map((record) => keyView(record, teams, users, context.now()))) };
    return json(200, response);
  };

  const getKey: RouteHandler = async (_request, _requestId, [id = '']) => json(200, await view(await existing(id)));

  const revokeKey: RouteHandler = async (request, _requestId, [id = '']) => {
    const before = await existing(id);
    const after = await stores.keys.revokeKey(id, new Date(context.now()).toISOString());
    if (after === undefined) throw keyNotFound(id);
    context.authenticator?.invalidate(after.id);
    const shown = await view(after);
    // Revoking twice changes nothing: only the first revocation is a change worth auditing.
    if (before.revokedAt === undefined) {
      await context.audit(request, { action: 'key.revoke', target: `key:${after.id}`, before: { ...(await view(before)) }, after: { ...shown } });
      context.logger.info('admin: key revoked', { keyId: after.id });
    }
    return json(200, shown);
  };

  const rotateKey: RouteHandler = async (request, _requestId, [id = '']) => rotate(request, id);

  async function rotate(request: InboundRequest, id: string): Promise<ReturnType<typeof json>> {
    const gracePeriodSeconds = gracePeriodOf(request.body.length === 0 ? {} : parseJsonBody(request.headers, request.body));
    const before = await existing(id);
    const refuse = (record: GatewayKeyRecord): ConflictError =>
      new ConflictError(`Key '${record.id}' is ${keyStatus(record, context.now())}: only an active key can be rotated; create a new key instead.`);
    if (keyStatus(before, context.now()) !== 'active') throw refuse(before);
    const secret = generateGatewayKey(before.id);
    const now = context.now();
    const after = await stores.keys.rotateKey(before.id, {
      secretHash: secret.secretHash,
      // Only the secret before this rotation keeps a grace period; an older one stops now.
      previousSecretHash: before.secretHash,
      previousSecretExpiresAt: new Date(now + gracePeriodSeconds * 1000).toISOString(),
      rotatedAt: new Date(now).toISOString(),
    });
    if (after === undefined) {
      // Between our read and the conditional write the key was revoked, deleted, or rotated by a
      // concurrent request (whose secret is the one that works now).
      const current = await stores.keys.getKey(before.id);
      if (current === undefined) throw keyNotFound(id);
      if (keyStatus(current, context.now()) !== 'active') throw refuse(current);
      throw new ConflictError(`Key '${current.id}' was rotated by another request at the same time; nothing was changed by this one.`);
    }
    context.authenticator?.invalidate(after.id);
    const shown = await view(after);
    await context.audit(request, { action: 'key.rotate', target: `key:${after.id}`, before: { ...(await view(before)) }, after: { ...shown } });
    context.logger.info('admin: key rotated', { keyId: after.id, gracePeriodSeconds });
    const rotated: CreatedKey = { ...shown, key: secret.key };
    return json(200, rotated);
  }

  return [
    { pattern: /^\/admin\/v1\/keys\/?$/, methods: { POST: createKey, GET: listKeys } },
    { pattern: /^\/admin\/v1\/keys\/([^/]+)$/, methods: { GET: getKey, DELETE: revokeKey } },
    { pattern: /^\/admin\/v1\/keys\/([^/]+)\/revoke$/, methods: { POST: revokeKey } },
    { pattern: /^\/admin\/v1\/keys\/([^/]+)\/rotate$/, methods: { POST: rotateKey } },
  ];
}
