import { UpstreamError } from '../errors/gateway-error';
import type { Logger } from '../logging/logger';
import type { Deployment } from '../providers/provider';
import { resolveSecretHeaders, type ProviderCredentials } from '../secrets/provider-credentials';
import type { SecretResolver } from '../secrets/secret-resolver';

/**
 * The credentials of one deployment's provider, resolved at call time. A declared key or secret header
 * without a value fails the call (502) before the provider is contacted, so nothing is billed for it.
 */
export async function deploymentCredentials(secrets: SecretResolver, deployment: Deployment, logger: Logger): Promise<ProviderCredentials> {
  const { providerName, provider } = deployment;
  const apiKey = await secrets(providerName);
  if (provider.apiKey !== undefined && (apiKey === undefined || apiKey === '')) {
    logger.error('provider key missing', { provider: providerName, env: provider.apiKey.env });
    throw new UpstreamError(`Provider '${providerName}' has no API key configured on the gateway.`);
  }
  return { apiKey, headers: await resolveSecretHeaders(secrets, providerName, provider) };
}
