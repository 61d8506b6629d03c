import { parseJsonBody } from '../../api/request-body';
import type { Route, RouteHandler } from '../../api/route-table';
import { InvalidRequestError, NotFoundError } from '../../errors/gateway-error';
import type { RateLimits } from '../../stores/store';
import { json, type AdminContext } from '../admin-context';
import type { RateLimitsList, RateLimitsView } from '../api-types/governance';
import { optionalPositiveInt, optionalShards, parseScope, resolveScopeId } from './budgets';

const view = (limits: RateLimits): RateLimitsView => ({ object: 'rate_limits', ...limits });

/** /admin/v1/limits/{scope}/{id}: requests and tokens per minute and concurrent requests. */
export function limitRoutes(context: AdminContext): Route[] {
  const { stores } = context;

  const putLimits: RouteHandler = async (request, _requestId, [scopeText, reference]) => {
    const scope = parseScope(scopeText);
    const body = parseJsonBody(request.headers, request.body);
    const requestsPerMinute = optionalPositiveInt(body, 'requestsPerMinute');
    const tokensPerMinute = optionalPositiveInt(body, 'tokensPerMinute');
    const concurrentRequests = optionalPositiveInt(body, 'concurrentRequests');
    const shards = optionalShards(body);
    if (requestsPerMinute === undefined && tokensPerMinute === undefined && concurrentRequests === undefined) {
      throw new InvalidRequestError('Give at least one of requestsPerMinute, tokensPerMinute, concurrentRequests (DELETE removes the limits).', 'invalid_value');
    }
    const scopeId = await resolveScopeId(stores, scope, reference ?? '', 'id');
    const limits: RateLimits = {
      scope, scopeId,
      ...(requestsPerMinute === undefined ? {} : { requestsPerMinute }),
      ...(tokensPerMinute === undefined ? {} : { tokensPerMinute }),
      ...(concurrentRequests === undefined ? {} : { concurrentRequests }),
      ...(shards === undefined ? {} : { shards }),
      updatedAt: new Date(context.now()).toISOString(),
    };
    const before = (await stores.policies.policyOf(scope, scopeId)).rateLimits;
    await stores.policies.putRateLimits(limits);
    await context.audit(request, { action: 'limits.put', target: `limits:${scope}:${scopeId}`, ...(before === undefined ? {} : { before: { ...before } }), after: { ...limits } });
    context.policyChanged?.(scope, scopeId);
    context.logger.info('admin: rate limits set', { scope, scopeId, requestsPerMinute, tokensPerMinute, concurrentRequests });
    return json(200, view(limits));
  };

  const deleteLimits: RouteHandler = async (request, _requestId, [scopeText, reference]) => {
    const scope = parseScope(scopeText);
    const scopeId = await resolveScopeId(stores, scope, reference ?? '', 'id');
    const before = await stores.policies.deleteRateLimits(scope, scopeId);
    if (before === undefined) throw new NotFoundError(`The ${scope} '${scopeId}' has no rate limits.`, 'limits_not_found');
    await context.audit(request, { action: 'limits.delete', target: `limits:${scope}:${scopeId}`, before: { ...before } });
    context.policyChanged?.(scope, scopeId);
    return json(200, { object: 'rate_limits', scope, scopeId, deleted: true });
  };

  const getLimits: RouteHandler = async (_request, _requestId, [scopeText, reference]) => {
    const scope = parseScope(scopeText);
    const scopeId = await resolveScopeId(stores, scope, reference ?? '', 'id');
    const limits = (await stores.policies.policyOf(scope, scopeId)).rateLimits;
    if (limits === undefined) throw new NotFoundError(`The ${scope} '${scopeId}' has no rate limits.`, 'limits_not_found');
    return json(200, view(limits));
  };

  const listLimits: RouteHandler = async (request) => {
    const scopeText = request.query.get('scope');
    const reference = request.query.get('id');
    if (scopeText === null && reference !== null) throw new InvalidRequestError("'id' needs 'scope' (team, user or key).", 'invalid_value', { param: 'id' });
    const scope = scopeText === null ? undefined : parseScope(scopeText);
    const scopeId = scope === undefined || reference === null ? undefined : await resolveScopeId(stores, scope, reference, 'id');
    const all = await stores.policies.listRateLimits();
    const list: RateLimitsList = {
      object: 'list',
      data: all.filter((limits) => (scope === undefined || limits.scope === scope) && (scopeId === undefined || limits.scopeId === scopeId)).map(view),
    };
    return json(200, list);
  };

  return [
    { pattern: /^\/admin\/v1\/limits\/?$/, methods: { GET: listLimits } },
    { pattern: /^\/admin\/v1\/limits\/([^/]+)\/([^/]+)$/, methods: { PUT: putLimits, GET: getLimits, DELETE: deleteLimits } },
  ];
}
