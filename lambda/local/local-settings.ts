import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
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
  /** Longest a client may take to send a request's head and body; a response is never cut by it. */
  readonly requestBodyTimeoutMs: number;
  /** Open client connections at most; more are closed as they arrive. */
  readonly maxConnections: number;
}

const EXAMPLE_CONFIG = 'gatellm.config.example.json';
export const DEFAULT_REQUEST_BODY_TIMEOUT_MS = 30_000;
/**
 * Twice the 1,000 concurrent streams the gateway is proven to hold, and each stream costs two file
 * descriptors (client and provider): ~4,100 descriptors, within the default hard limit of Linux and
 * macOS, which Node raises its soft limit to.
 */
export const DEFAULT_MAX_CONNECTIONS = 2_048;

function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return value;
}

export function readLocalSettings(env: NodeJS.ProcessEnv, cwd: string): LocalSettings {
  return {
    host: env.GATELLM_HOST ?? '127.0.0.1',
    port: integerSetting(env, 'GATELLM_PORT', 8787, 0, 65_535),
    configPath: path.resolve(cwd, env.GATELLM_CONFIG ?? 'gatellm.config.json'),
    dataDir: path.resolve(cwd, env.GATELLM_DATA_DIR ?? '.gatellm'),
    adminToken: env.GATELLM_ADMIN_TOKEN === '' ? undefined : env.GATELLM_ADMIN_TOKEN,
    logLevel: env.GATELLM_LOG_LEVEL,
    requestBodyTimeoutMs: integerSetting(env, 'GATELLM_REQUEST_BODY_TIMEOUT_MS', DEFAULT_REQUEST_BODY_TIMEOUT_MS, 100, 3_600_000),
    maxConnections: integerSetting(env, 'GATELLM_MAX_CONNECTIONS', DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
  };
}

/** 1-based line and column of a character offset, as editors show them. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** JSON with comments and trailing commas, as the README's example is written; errors name line and column. */
export function parseJsonc(text: string, fileName: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = lineAndColumn(text, first.offset);
    throw new Error(`${fileName}:${line}:${column}: ${printParseErrorCode(first.error)}`);
  }
  return value;
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
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${configPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const json = parseJsonc(text, configPath);
  return { config: parseGatewayConfig(json), path: configPath, ...(notice === undefined ? {} : { notice }) };
}

export interface AdminToken {
  readonly token: string;
  /** A new token: not stored yet. persistAdminToken stores it once the server listens. */
  readonly generated: boolean;
}

function adminTokenPath(settings: LocalSettings): string {
  return path.join(settings.dataDir, 'admin-token');
}

/** GATELLM_ADMIN_TOKEN, else the token stored in the data dir, else a new one (kept in memory until stored). */
export function resolveAdminToken(settings: LocalSettings): AdminToken {
  if (settings.adminToken !== undefined) return { token: settings.adminToken, generated: false };
  const tokenPath = adminTokenPath(settings);
  if (existsSync(tokenPath)) return { token: readFileSync(tokenPath, 'utf8').trim(), generated: false };
  return { token: `gllm_admin_${randomBytes(24).toString('base64url')}`, generated: true };
}

/**
 * Stores a generated token (0600) and returns its path. Called only once the server listens: a start
 * that fails never leaves behind a token nobody saw.
 */
export async function persistAdminToken(settings: LocalSettings, admin: AdminToken): Promise<string | undefined> {
  if (!admin.generated) return undefined;
  const tokenPath = adminTokenPath(settings);
  await writeFile(tokenPath, `${admin.token}\n`, { mode: 0o600, flag: 'wx' });
  return tokenPath;
}
