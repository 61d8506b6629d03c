import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { GatewayConfig } from '../config/gateway-config';
import { parseGatewayConfig } from '../config/validate-config';

/** The local-mode contract of DESIGN.md §4, parsed once from the environment. */
export interface LocalSettings {
  readonly host: string;
  readonly port: number;
  readonly configPath: string;
  readonly dataDir: string;
  readonly adminToken: string | undefined;
  readonly logLevel: string | undefined;
}

export const EXAMPLE_CONFIG = 'gatellm.config.example.json';

export function readLocalSettings(env: NodeJS.ProcessEnv, cwd: string): LocalSettings {
  const port = Number(env.GATELLM_PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`GATELLM_PORT must be a port number, got '${env.GATELLM_PORT ?? ''}'`);
  return {
    host: env.GATELLM_HOST ?? '127.0.0.1',
    port,
    configPath: path.resolve(cwd, env.GATELLM_CONFIG ?? 'gatellm.config.json'),
    dataDir: path.resolve(cwd, env.GATELLM_DATA_DIR ?? '.gatellm'),
    adminToken: env.GATELLM_ADMIN_TOKEN === '' ? undefined : env.GATELLM_ADMIN_TOKEN,
    logLevel: env.GATELLM_LOG_LEVEL,
  };
}

/**
 * Loads the configuration file. With no GATELLM_CONFIG and no gatellm.config.json, the shipped example
 * is used so that `npm start` works on a fresh clone; `notice` says so.
 */
export function loadLocalConfig(settings: LocalSettings, explicit: boolean, repoRoot: string): { config: GatewayConfig; path: string; notice?: string } {
  let configPath = settings.configPath;
  let notice: string | undefined;
  if (!existsSync(configPath)) {
    if (explicit) throw new Error(`GATELLM_CONFIG points at ${configPath}, which does not exist`);
    configPath = path.join(repoRoot, EXAMPLE_CONFIG);
    notice = `No gatellm.config.json here; using the shipped example ${configPath}. Copy it to gatellm.config.json to customise.`;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${configPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { config: parseGatewayConfig(json), path: configPath, ...(notice === undefined ? {} : { notice }) };
}

/** GATELLM_ADMIN_TOKEN, else the token stored in the data dir, else a new one (stored 0600, printed once). */
export function resolveAdminToken(settings: LocalSettings): { token: string; generated: boolean } {
  if (settings.adminToken !== undefined) return { token: settings.adminToken, generated: false };
  const tokenPath = path.join(settings.dataDir, 'admin-token');
  if (existsSync(tokenPath)) return { token: readFileSync(tokenPath, 'utf8').trim(), generated: false };
  mkdirSync(settings.dataDir, { recursive: true });
  const token = `gllm_admin_${randomBytes(24).toString('base64url')}`;
  writeFileSync(tokenPath, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}
