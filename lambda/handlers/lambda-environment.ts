import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayConfig } from '../config/gateway-config';
import { parseGatewayConfig } from '../config/validate-config';
import { parseLogLevel, type LogLevel } from '../logging/logger';

/**
 * The Lambda functions' environment, parsed once at INIT into typed settings. Each reader throws an
 * Error naming the variable at fault, so a misconfigured deployment fails its first cold start loudly.
 */

export const CONFIG_FILE_NAME = 'gatellm.config.json';
const DEFAULT_SECRET_CACHE_SECONDS = 60;

type Env = Readonly<Record<string, string | undefined>>;

/** What both functions (gateway and admin) need. */
export interface BaseEnvironment {
  /** `GATELLM_CONFIG_PATH`, else `gatellm.config.json` in `LAMBDA_TASK_ROOT` (the bundle directory). */
  readonly configPath: string;
  /** `AWS_REGION`, set by Lambda; undefined lets the SDK resolve it. */
  readonly region: string | undefined;
  /** `GATELLM_TABLE_NAME`. */
  readonly tableName: string;
  /** `GATELLM_LOG_LEVEL`. @default info */
  readonly logLevel: LogLevel;
}

/** What only the gateway function needs. */
export interface SecretsEnvironment {
  /**
   * `GATELLM_PROVIDER_SECRETS`: a JSON object, secret name → secret ARN: a provider's name for its API key,
   * `<provider>/headers/<header>` for a credential header (see `headerSecretName`). @default {}
   */
  readonly providerSecrets: Readonly<Record<string, string>>;
  /** `GATELLM_SECRET_CACHE_SECONDS` in milliseconds. @default 60 s */
  readonly secretCacheMs: number;
}

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (value === undefined || value.length === 0) throw new Error(`Environment variable ${name} must be set.`);
  return value;
}

export function readBaseEnvironment(env: Env): BaseEnvironment {
  const explicit = env.GATELLM_CONFIG_PATH?.trim();
  return {
    configPath: explicit !== undefined && explicit.length > 0 ? explicit : join(env.LAMBDA_TASK_ROOT ?? process.cwd(), CONFIG_FILE_NAME),
    region: env.AWS_REGION,
    tableName: required(env, 'GATELLM_TABLE_NAME'),
    logLevel: parseLogLevel(env.GATELLM_LOG_LEVEL),
  };
}

function parseProviderSecrets(text: string | undefined): Record<string, string> {
  if (text === undefined || text.trim().length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('Environment variable GATELLM_PROVIDER_SECRETS must be a JSON object of secret name → secret ARN.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('Environment variable GATELLM_PROVIDER_SECRETS must be a JSON object of secret name → secret ARN.');
  }
  const secrets: Record<string, string> = {};
  for (const [provider, secretId] of Object.entries(parsed)) {
    if (typeof secretId !== 'string' || secretId.length === 0) {
      throw new Error(`Environment variable GATELLM_PROVIDER_SECRETS: ${provider} must be a non-empty string.`);
    }
    secrets[provider] = secretId;
  }
  return secrets;
}

export function readSecretsEnvironment(env: Env): SecretsEnvironment {
  const seconds = env.GATELLM_SECRET_CACHE_SECONDS?.trim();
  const ttlSeconds = seconds === undefined || seconds.length === 0 ? DEFAULT_SECRET_CACHE_SECONDS : Number(seconds);
  if (!Number.isFinite(ttlSeconds) || ttlSeconds < 0) {
    throw new Error('Environment variable GATELLM_SECRET_CACHE_SECONDS must be a number of seconds >= 0.');
  }
  return { providerSecrets: parseProviderSecrets(env.GATELLM_PROVIDER_SECRETS), secretCacheMs: ttlSeconds * 1000 };
}

/** Reads and validates the configuration file shipped in the bundle. */
export function loadGatewayConfig(path: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the gateway configuration at ${path}.`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`The gateway configuration at ${path} is not valid JSON.`, { cause: error });
  }
  return parseGatewayConfig(json);
}
