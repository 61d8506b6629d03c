import type { GatewayConfig } from '../config/gateway-config';
import { secretSourceFor } from './provider-credentials';
import type { SecretResolver } from './secret-resolver';

/**
 * Provider secrets from environment variables named in the configuration: `providers[name].apiKey.env`
 * under the provider's name, `providers[name].headers[header].env` under `headerSecretName(name, header)`.
 * The variable is read on every call, so a test or a local shell can change it without a restart.
 * An unset or blank variable resolves to `undefined`, as does a secret without `env`.
 */
export function createEnvResolver(config: GatewayConfig, env: NodeJS.ProcessEnv): SecretResolver {
  return async (name) => {
    const variable = secretSourceFor(config.providers, name)?.env;
    if (variable === undefined) return undefined;
    const value = env[variable]?.trim();
    return value === undefined || value.length === 0 ? undefined : value;
  };
}

/** Tries each resolver in turn and returns the first value found (e.g. Secrets Manager, then env). */
export function firstResolved(...resolvers: readonly SecretResolver[]): SecretResolver {
  return async (name) => {
    for (const resolve of resolvers) {
      const value = await resolve(name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}
