import type { Deployment } from '../providers/provider';

/**
 * Key model restrictions are glob patterns over public model names: `gpt-4o*`, `claude-*`, `*`.
 * Only `*` is special; everything else matches literally.
 */
const compiled = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  let regexp = compiled.get(pattern);
  if (regexp === undefined) {
    const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    regexp = new RegExp(`^${source}$`);
    compiled.set(pattern, regexp);
  }
  return regexp;
}

export function modelAllowed(patterns: readonly string[], model: string): boolean {
  return patterns.length === 0 || patterns.some((pattern) => toRegExp(pattern).test(model));
}

/** Access is the intersection of the key's and its team's allow-lists. */
export function principalAllows(principal: { readonly models: readonly string[]; readonly teamModels: readonly string[] }, model: string): boolean {
  return modelAllowed(principal.models, model) && modelAllowed(principal.teamModels, model);
}

/**
 * The deployments of a route that a key may reach. An alias is a name, not a permission: the key must be
 * allowed the alias itself, and each deployment only if it may use that deployment's model by name, so
 * an alias can never lead a key to a model it could not call directly.
 */
export function reachableDeployments(
  principal: { readonly models: readonly string[]; readonly teamModels: readonly string[] },
  deployments: readonly Deployment[],
): Deployment[] {
  return deployments.filter((deployment) => principalAllows(principal, deployment.modelName));
}
