import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GatewayConfig } from '../config/gateway-config';
import type { Logger } from '../logging/logger';
import type { SecretResolver } from './secret-resolver';
import { createEnvResolver, firstResolved } from './env-resolver';
import { headerSecretName, secretHeaders } from './provider-credentials';
import { createSecretsManagerResolver } from './secrets-manager-resolver';

export interface ProviderSecretsOptions {
  readonly client: SecretsManagerClient;
  readonly config: GatewayConfig;
  /**
   * Secret name → secret ARN from the deployment (the construct's secrets): a provider's name for its key,
   * `<provider>/headers/<header>` for a secret header. Wins over the configuration's `secretId`s.
   */
  readonly secretIds: Readonly<Record<string, string>>;
  readonly ttlMs: number;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
}

/** Secret ids declared in the configuration itself: `apiKey.secretId` and secret headers' `secretId`. */
export function secretIdsFromConfig(config: GatewayConfig): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [name, provider] of Object.entries(config.providers)) {
    if (provider.apiKey?.secretId !== undefined) ids[name] = provider.apiKey.secretId;
    for (const [header, source] of secretHeaders(provider)) {
      if (source.secretId !== undefined) ids[headerSecretName(name, header)] = source.secretId;
    }
  }
  return ids;
}

/**
 * The Lambda's provider keys: Secrets Manager for providers with a secret, environment variables
 * (`apiKey.env`) for the rest. A failing secret is an error, never a silent fall-back to env.
 */
export function createProviderSecrets(options: ProviderSecretsOptions): SecretResolver {
  const { config, logger } = options;
  const fromSecretsManager = createSecretsManagerResolver({
    client: options.client,
    secretIds: { ...secretIdsFromConfig(config), ...options.secretIds },
    ttlMs: options.ttlMs,
    onRefreshError: ({ providerName, secretId, error, servedStale }) => {
      const fields = { provider: providerName, secretId, servedStale, error: error instanceof Error ? error.name : String(error) };
      if (servedStale) logger.warn('provider secret refresh failed; serving the cached value', fields);
      else logger.error('provider secret unavailable', fields);
    },
  });
  return firstResolved(fromSecretsManager, createEnvResolver(config, options.env));
}
