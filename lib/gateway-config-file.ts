import type { GatewayConfig, ProviderConfig } from '../lambda/config/gateway-config';

/**
 * The configuration as each function's bundle carries it (`gatellm.config.json` next to `index.js`).
 * It travels in the bundle rather than in an environment variable, which Lambda caps at 4 KB for all
 * variables together.
 */
export function configFileContent(config: GatewayConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * What the admin function may know of the configuration: models, aliases and settings, and of each
 * provider only what carries no credential. The admin API never calls a provider, so where a provider's
 * key comes from (`apiKey`) and the headers it is sent with (`headers`) stay out of its bundle.
 */
export function adminConfig(config: GatewayConfig): GatewayConfig {
  const providers = Object.fromEntries(
    Object.entries(config.providers).map(([name, provider]): [string, ProviderConfig] => [name, withoutCredentials(provider)]),
  );
  return { ...config, providers };
}

function withoutCredentials(provider: ProviderConfig): ProviderConfig {
  const { apiKey: _apiKey, headers: _headers, ...rest } = provider;
  return rest;
}
