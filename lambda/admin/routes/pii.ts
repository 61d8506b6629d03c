import { parseJsonBody } from '../../api/request-body';
import type { Route, RouteHandler } from '../../api/route-table';
import { quoteCallerText } from '../../errors/caller-text';
import { InvalidRequestError, NotFoundError } from '../../errors/gateway-error';
import { FALLBACK_PII_TYPE, piiTypeNames } from '../../config/validate-pii-config';
import { configuredPiiRules } from '../../pii/policy';
import type { PiiAction, PiiPolicy, PiiRule } from '../../stores/store';
import { json, type AdminContext } from '../admin-context';
import { PII_ACTIONS, type PiiPolicyList, type PiiPolicyView } from '../api-types/governance';
import { parseScope, resolveScopeId } from './budgets';

const view = (policy: PiiPolicy): PiiPolicyView => ({ object: 'pii_policy', ...policy });

const invalid = (field: string, message: string): InvalidRequestError => new InvalidRequestError(message, 'invalid_value', { param: field });

function parseAction(value: unknown, field: string): PiiAction {
  const action = PII_ACTIONS.find((candidate) => candidate === value);
  if (action === undefined) throw invalid(field, `'${field}' must be one of: ${PII_ACTIONS.join(', ')}.`);
  return action;
}

/** `"redact"` or `{ "action": "redact", "restore": true }`; `restore` is kept only when true, as the stores keep it. */
function parseRule(value: unknown, field: string): PiiRule {
  if (typeof value === 'string') return { action: parseAction(value, field) };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(field, `'${field}' must be an action (${PII_ACTIONS.join(', ')}) or an object { "action", "restore" }.`);
  }
  const fields = value as Readonly<Record<string, unknown>>;
  // A misspelt `restore` silently dropped would leave answers redacted: refuse what is not understood.
  const unknown = Object.keys(fields).find((name) => name !== 'action' && name !== 'restore');
  if (unknown !== undefined) throw invalid(`${field}.${quoteCallerText(unknown)}`, `'${field}' has an unknown field '${quoteCallerText(unknown)}': a rule has 'action' and 'restore'.`);
  const action = parseAction(fields.action, `${field}.action`);
  const restore = fields.restore;
  if (restore !== undefined && typeof restore !== 'boolean') throw invalid(`${field}.restore`, `'${field}.restore' must be true or false.`);
  if (restore === true && action !== 'redact') {
    throw invalid(`${field}.restore`, `'${field}.restore' applies only to the 'redact' action (there is nothing to put back after '${action}').`);
  }
  return restore === true ? { action, restore } : { action };
}

/**
 * The body's `rules`: at least one, every type name known, every rule well-formed. Checked like the
 * configuration's rules (validate-pii-config.ts), but answered as a 400 naming the field.
 */
function parseRulesBody(body: Readonly<Record<string, unknown>>, typeNames: readonly string[]): Record<string, PiiRule> {
  const value = body.rules;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('rules', `'rules' is required: an object of type → rule, e.g. { "email": "redact", "*": { "action": "log" } }.`);
  }
  const entries = Object.entries(value as Readonly<Record<string, unknown>>);
  if (entries.length === 0) throw invalid('rules', "'rules' needs at least one rule (DELETE removes the scope's rules).");
  return Object.fromEntries(entries.map(([type, rule]) => {
    if (!typeNames.includes(type)) {
      throw invalid('rules', `'rules' names an unknown type '${quoteCallerText(type)}'. Valid types: ${typeNames.join(', ')}.`);
    }
    return [type, parseRule(rule, `rules.${type}`)];
  }));
}

/**
 * /admin/v1/pii: the data-protection rules of teams, users and keys, each overriding the configuration's
 * rules for the types it names.
 */
export function piiRoutes(context: AdminContext): Route[] {
  const { stores, config } = context;
  // Every name a rule may have: built-in, managed and custom types, and `*` last.
  const typeNames = [...piiTypeNames(config), FALLBACK_PII_TYPE];

  const putPolicy: RouteHandler = async (request, _requestId, [scopeText, reference]) => {
    const scope = parseScope(scopeText);
    const body = parseJsonBody(request.headers, request.body);
    const rules = parseRulesBody(body, typeNames);
    // Validated fields first: a malformed request costs no store read.
    const scopeId = await resolveScopeId(stores, scope, reference ?? '', 'id');
    const policy: PiiPolicy = { scope, scopeId, rules, updatedAt: new Date(context.now()).toISOString() };
    const before = (await stores.policies.policyOf(scope, scopeId)).pii;
    await stores.policies.putPiiPolicy(policy);
    await context.audit(request, { action: 'pii.put', target: `pii:${scope}:${scopeId}`, ...(before === undefined ? {} : { before: { ...before } }), after: { ...policy } });
    context.policyChanged?.(scope, scopeId);
    context.logger.info('admin: data-protection rules set', { scope, scopeId, types: Object.keys(rules).join(',') });
    return json(200, view(policy));
  };

  const deletePolicy: RouteHandler = async (request, _requestId, [scopeText, reference]) => {
    const scope = parseScope(scopeText);
    const scopeId = await resolveScopeId(stores, scope, reference ?? '', 'id');
    const before = await stores.policies.deletePiiPolicy(scope, scopeId);
    if (before === undefined) throw new NotFoundError(`The ${scope} '${scopeId}' has no data-protection rules.`, 'pii_policy_not_found');
    await context.audit(request, { action: 'pii.delete', target: `pii:${scope}:${scopeId}`, before: { ...before } });
    context.policyChanged?.(scope, scopeId);
    context.logger.info('admin: data-protection rules removed', { scope, scopeId });
    return json(200, { object: 'pii_policy', scope, scopeId, deleted: true });
  };

  const getPolicy: RouteHandler = async (_request, _requestId, [scopeText, reference]) => {
    const scope = parseScope(scopeText);
    const scopeId = await resolveScopeId(stores, scope, reference ?? '', 'id');
    const policy = (await stores.policies.policyOf(scope, scopeId)).pii;
    if (policy === undefined) throw new NotFoundError(`The ${scope} '${scopeId}' has no data-protection rules.`, 'pii_policy_not_found');
    return json(200, view(policy));
  };

  const listPolicies: RouteHandler = async (request) => {
    const scopeText = request.query.get('scope');
    const reference = request.query.get('id');
    if (scopeText === null && reference !== null) throw new InvalidRequestError("'id' needs 'scope' (team, user or key).", 'invalid_value', { param: 'id' });
    const scope = scopeText === null ? undefined : parseScope(scopeText);
    const scopeId = scope === undefined || reference === null ? undefined : await resolveScopeId(stores, scope, reference, 'id');
    const all = await stores.policies.listPiiPolicies();
    const list: PiiPolicyList = {
      object: 'pii_policies',
      defaults: configuredPiiRules(config),
      types: typeNames,
      policies: all.filter((policy) => (scope === undefined || policy.scope === scope) && (scopeId === undefined || policy.scopeId === scopeId)).map(view),
    };
    return json(200, list);
  };

  return [
    { pattern: /^\/admin\/v1\/pii\/?$/, methods: { GET: listPolicies } },
    { pattern: /^\/admin\/v1\/pii\/([^/]+)\/([^/]+)$/, methods: { PUT: putPolicy, GET: getPolicy, DELETE: deletePolicy } },
  ];
}
