import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stringOption, UsageError, type OptionValues } from './args';

/** Where requests go and how they prove who sends them. */
export interface Target {
  readonly url: string;
  readonly auth: TokenAuth | SigV4Auth;
}

export interface TokenAuth {
  readonly kind: 'token';
  readonly token: string;
}

export interface SigV4Auth {
  readonly kind: 'sigv4';
  readonly region: string;
  readonly profile?: string;
}

/** Same default as the local server (lambda/local/local-settings.ts): `.gatellm` in the working directory. */
export function dataDirOf(values: OptionValues, env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  return path.resolve(cwd, stringOption(values, 'data-dir') ?? nonEmpty(env.GATELLM_DATA_DIR) ?? '.gatellm');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** `abc123.execute-api.eu-west-1.amazonaws.com` → `eu-west-1`. */
export function regionFromHost(hostname: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(hostname)?.[1];
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The running local server announces its URL in `<dataDir>/server.json` while it runs. */
async function discoveredUrl(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'server.json');
  const text = await readOptional(file);
  if (text === undefined) {
    throw new UsageError(`No gateway to talk to: no ${file} (is the local gateway running? start it with npm start), and no --url or GATELLM_URL.`);
  }
  let announced: { url?: unknown; pid?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) announced = parsed;
  } catch {
    // Reported below as naming no url.
  }
  if (typeof announced.url !== 'string') throw new UsageError(`${file} names no url.`);
  // A server killed without its shutdown leaves the file behind: say so rather than "connection refused".
  if (typeof announced.pid === 'number' && !isRunning(announced.pid)) {
    throw new UsageError(`The local gateway recorded in ${file} (process ${announced.pid}) is not running; start it with npm start.`);
  }
  return announced.url;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: an existence check, nothing is sent
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EPERM';
  }
}

function authKind(values: OptionValues, url: URL): 'token' | 'sigv4' {
  const forced = stringOption(values, 'auth');
  if (forced !== undefined && forced !== 'token' && forced !== 'sigv4') throw new UsageError(`--auth takes token or sigv4, got '${forced}'.`);
  // A deployed stack's admin API is IAM-authorised and served over https; a local gateway uses its token.
  return forced ?? (url.protocol === 'https:' && !isLoopback(url.hostname) ? 'sigv4' : 'token');
}

/**
 * --url / GATELLM_URL, else the local server found in the data directory. Token auth: --token /
 * GATELLM_ADMIN_TOKEN / `<dataDir>/admin-token`. SigV4: region from --region / AWS_REGION / the host.
 */
export async function resolveTarget(values: OptionValues, env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<Target> {
  const dataDir = dataDirOf(values, env, cwd);
  const urlText = stringOption(values, 'url') ?? nonEmpty(env.GATELLM_URL) ?? (await discoveredUrl(dataDir));
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new UsageError(`'${urlText}' is not a URL.`);
  }
  if (authKind(values, url) === 'sigv4') {
    const region = stringOption(values, 'region') ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? regionFromHost(url.hostname);
    if (region === undefined) throw new UsageError('No AWS region: pass --region or set AWS_REGION.');
    const profile = stringOption(values, 'profile');
    return { url: urlText, auth: { kind: 'sigv4', region, ...(profile === undefined ? {} : { profile }) } };
  }
  const token = stringOption(values, 'token') ?? nonEmpty(env.GATELLM_ADMIN_TOKEN) ?? (await readOptional(path.join(dataDir, 'admin-token')))?.trim();
  if (token === undefined || token === '') {
    throw new UsageError(`No admin token: pass --token, set GATELLM_ADMIN_TOKEN, or run where ${path.join(dataDir, 'admin-token')} exists.`);
  }
  return { url: urlText, auth: { kind: 'token', token } };
}
