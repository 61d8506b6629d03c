import type { GatewayConfig } from '../config/gateway-config';
import { quoteCallerText } from '../errors/caller-text';
import { NotFoundError } from '../errors/gateway-error';
import type { Deployment } from '../providers/provider';

/**
 * Public name → ordered deployments. A model name is one deployment; an alias is the ordered chain
 * of its models, tried in turn while nothing has been sent to the client yet.
 */
export class ModelRouter {
  private readonly routes = new Map<string, readonly Deployment[]>();

  constructor(config: GatewayConfig) {
    const deployments = new Map<string, Deployment>();
    for (const [modelName, model] of Object.entries(config.models)) {
      const provider = config.providers[model.provider];
      if (provider === undefined) throw new Error(`models.${modelName}.provider names unknown provider '${model.provider}'`);
      const deployment: Deployment = { modelName, model, providerName: model.provider, provider };
      deployments.set(modelName, deployment);
      this.routes.set(modelName, [deployment]);
    }
    for (const [alias, targets] of Object.entries(config.aliases ?? {})) {
      this.routes.set(alias, targets.map((target) => {
        const deployment = deployments.get(target);
        if (deployment === undefined) throw new Error(`aliases.${alias} names unknown model '${target}'`);
        return deployment;
      }));
    }
  }

  resolve(name: string): readonly Deployment[] {
    const route = this.routes.get(name);
    if (route === undefined) throw new NotFoundError(`The model '${quoteCallerText(name)}' does not exist.`, 'model_not_found', { param: 'model' });
    return route;
  }

  /** Every public name (models and aliases), in configuration order. */
  names(): string[] {
    return [...this.routes.keys()];
  }
}
