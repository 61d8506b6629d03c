import type { GatewayConfig, ProviderConfig } from '../config/gateway-config';
import { secretHeaders } from '../secrets/provider-credentials';

/** A version segment (`/v1`, `/v2beta`) or an Azure-style `/openai` segment anywhere in the path. */
const VERSION_PATH = /\/(v\d+[a-z0-9]*|openai)(\/|$)/i;

/** Every environment variable a provider's key or secret headers come from, with what it holds. */
function envSources(provider: ProviderConfig): Array<[variable: string, holds: string]> {
  const sources: Array<[string, string]> = [];
  if (provider.apiKey?.env !== undefined) sources.push([provider.apiKey.env, 'its API key']);
  for (const [header, source] of secretHeaders(provider)) {
    if (source.env !== undefined) sources.push([source.env, `its '${header}' header`]);
  }
  return sources;
}

function missingKeyWarnings(config: GatewayConfig, env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  for (const [name, provider] of Object.entries(config.providers)) {
    for (const [variable, holds] of envSources(provider)) {
      if ((env[variable]?.trim() ?? '') !== '') continue;
      warnings.push(`provider '${name}': ${variable} (${holds}) is not set, so calls to its models fail until it is. `
        + `Set ${variable} and restart the gateway.`);
    }
  }
  return warnings;
}

function versionPathWarnings(config: GatewayConfig): string[] {
  const warnings: string[] = [];
  for (const [name, provider] of Object.entries(config.providers)) {
    // Anthropic's base URL is the origin: the adapter appends /v1/messages itself.
    if (provider.type === 'anthropic') continue;
    let pathname: string;
    try {
      pathname = new URL(provider.baseUrl).pathname;
    } catch {
      continue; // the config validator reports malformed URLs
    }
    if (VERSION_PATH.test(pathname)) continue;
    const suggestion = `${provider.baseUrl.replace(/\/+$/, '')}/v1`;
    warnings.push(`provider '${name}': baseUrl ${provider.baseUrl} has no version path; the gateway appends `
      + `/chat/completions to it, so calls likely fail with a 404 (upstream_invalid_request). Did you mean ${suggestion}?`);
  }
  return warnings;
}

/** Mistakes a newcomer makes in the first hour, said once at start instead of on the first failing call. */
export function startupWarnings(config: GatewayConfig, env: NodeJS.ProcessEnv): string[] {
  return [...missingKeyWarnings(config, env), ...versionPathWarnings(config)];
}
