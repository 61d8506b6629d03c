import type { GatewayConfig } from '../config/gateway-config';
import type { SecretResolver } from './secret-resolver';

/**
 * Provider API keys from environment variables named in the configuration (`providers[name].apiKey.env`).
 * The variable is read on every call, so a test or a local shell can change it without a restart.
 * An unset or blank variable resolves to `undefined`, as does a provider without `apiKey.env`.
 */
export function createEnvResolver(config: GatewayConfig, env: NodeJS.ProcessEnv): SecretResolver {
  return async (providerName) => {
    const variable = config.providers[providerName]?.apiKey?.env;
    if (variable === undefined) return undefined;
    const value = env[variable]?.trim();
    return value === undefined || value.length === 0 ? undefined : value;
  };
}

/** Tries each resolver in turn and returns the first key found (e.g. Secrets Manager, then env). */
export function firstResolved(...resolvers: readonly SecretResolver[]): SecretResolver {
  return async (providerName) => {
    for (const resolve of resolvers) {
      const value = await resolve(providerName);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}
