import type { ProviderConfig, SecretSource } from '../config/gateway-config';
import { UpstreamError } from '../errors/gateway-error';
import type { SecretResolver } from './secret-resolver';

/** What a provider call authenticates with, resolved at call time: nothing here is ever bundled. */
export interface ProviderCredentials {
  /** The provider's API key, sent as `Authorization: Bearer`; undefined for a keyless provider. */
  readonly apiKey: string | undefined;
  /** Header values from secrets (`providers.X.headers.Y: { env } | { secretId }`), by lower-case name. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The resolver name of a secret header. The API key is resolved under the provider's own name; a header
 * under `<provider>/headers/<name>`, which no provider name can take (names may not contain `/`).
 */
export function headerSecretName(providerName: string, headerName: string): string {
  return `${providerName}/headers/${headerName}`;
}

/** The provider's headers whose value comes from a secret, with where each comes from. */
export function secretHeaders(provider: ProviderConfig): Array<[headerName: string, source: SecretSource]> {
  const found: Array<[string, SecretSource]> = [];
  for (const [name, value] of Object.entries(provider.headers ?? {})) {
    if (typeof value !== 'string') found.push([name, value]);
  }
  return found;
}

/** The secret source a resolver name stands for: a provider's `apiKey` or one of its secret headers. */
export function secretSourceFor(providers: Readonly<Record<string, ProviderConfig>>, name: string): SecretSource | undefined {
  const [providerName = '', kind, ...rest] = name.split('/');
  const provider = Object.hasOwn(providers, providerName) ? providers[providerName] : undefined;
  if (provider === undefined) return undefined;
  if (kind === undefined) return provider.apiKey;
  const headerName = rest.join('/');
  if (kind !== 'headers' || provider.headers === undefined || !Object.hasOwn(provider.headers, headerName)) return undefined;
  const value = provider.headers[headerName];
  return typeof value === 'string' ? undefined : value;
}

/**
 * Resolves the provider's secret headers. A declared secret without a value fails the call like a
 * missing API key (502, before the provider is called): sending the request without its credential
 * would only earn a provider 401 that hides the real cause.
 */
export async function resolveSecretHeaders(secrets: SecretResolver, providerName: string, provider: ProviderConfig): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [headerName, source] of secretHeaders(provider)) {
    const value = await secrets(headerSecretName(providerName, headerName));
    if (value === undefined || value === '') {
      const where = source.env === undefined ? `secret ${source.secretId ?? ''}` : `environment variable ${source.env}`;
      throw new UpstreamError(`Provider '${providerName}' has no value for header '${headerName}' on the gateway (${where}).`);
    }
    headers[headerName] = value;
  }
  return headers;
}
