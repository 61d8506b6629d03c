import type { IncomingHttpHeaders } from 'node:http';
import {
  DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_NON_STREAMING_TIMEOUT_MS,
  type ProviderConfig,
} from '../config/gateway-config';
import { type GatewayError, UpstreamError } from '../errors/gateway-error';
import { sendUpstream, type UpstreamResponse } from '../http/upstream-client';
import type { ProviderCredentials } from '../secrets/provider-credentials';
import type { Deployment } from './provider';

/** Longest provider error body read; error bodies are small and a large one is never buffered. */
export const MAX_ERROR_BODY = 64 * 1024;

/** Maps a provider's non-2xx answer to the gateway's hierarchy, every credential scrubbed. */
export type StatusErrorMapper = (status: number, headers: IncomingHttpHeaders, bodyText: string, providerName: string,
  secrets: readonly string[]) => GatewayError;

export interface UpstreamPost {
  readonly deployment: Deployment;
  /** Appended to the provider's base URL. */
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** Format-specific headers (auth, versions); the configuration's and the secret headers are added here. */
  readonly headers: Readonly<Record<string, string>>;
  readonly credentials: ProviderCredentials;
  readonly stream: boolean;
  readonly signal: AbortSignal;
  readonly mapError: StatusErrorMapper;
}

/** Every credential value a call carries: none of them may appear in what the caller sees. */
export function secretValues(credentials: ProviderCredentials): string[] {
  const values = Object.values(credentials.headers);
  return credentials.apiKey === undefined ? values : [credentials.apiKey, ...values];
}

/** The configuration's literal headers, then the secret ones resolved for this call. */
function configuredHeaders(provider: ProviderConfig, credentials: ProviderCredentials): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(provider.headers ?? {})) {
    if (typeof value === 'string') headers[name] = value;
  }
  return Object.assign(headers, credentials.headers);
}

/** The provider response headers in `names` that are present: what is worth passing on to the caller. */
export function pickHeaders(response: UpstreamResponse, names: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = response.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

async function readErrorText(response: UpstreamResponse): Promise<string> {
  let text = '';
  try {
    for await (const chunk of response.body) {
      text += Buffer.from(chunk).toString('utf8');
      if (text.length > MAX_ERROR_BODY) break;
    }
  } catch {
    // A broken error body still yields the status-based error.
  } finally {
    response.close();
  }
  return text;
}

/**
 * POSTs JSON to `{baseUrl}{path}` and resolves once a 2xx response has started. Any other status is
 * read (bounded), mapped with every credential scrubbed, and thrown. Streams must send headers within
 * `firstByteTimeoutMs`; JSON answers (headers only once generated) get `nonStreamingTimeoutMs`.
 */
export async function postUpstream(post: UpstreamPost): Promise<UpstreamResponse> {
  const provider = post.deployment.provider;
  const response = await sendUpstream({
    url: `${provider.baseUrl}${post.path}`,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: post.stream ? 'text/event-stream' : 'application/json',
      'user-agent': 'gatellm/0.1',
      ...configuredHeaders(provider, post.credentials),
      ...post.headers,
    },
    body: JSON.stringify(post.body),
    signal: post.signal,
    firstByteTimeoutMs: post.stream
      ? provider.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS
      : provider.nonStreamingTimeoutMs ?? DEFAULT_NON_STREAMING_TIMEOUT_MS,
    idleTimeoutMs: provider.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  });
  if (response.status < 200 || response.status >= 300) {
    const errorText = await readErrorText(response);
    throw post.mapError(response.status, response.headers, errorText, post.deployment.providerName, secretValues(post.credentials));
  }
  return response;
}

/** True when the provider answered with SSE (a compatible server may ignore `stream: true`). */
export function isEventStream(response: UpstreamResponse): boolean {
  return (response.headers['content-type'] ?? '').includes('text/event-stream');
}

/** Reads a whole JSON answer (bounded by maxResponseBytes): the raw bytes and their parse. */
export async function readJson(deployment: Deployment, response: UpstreamResponse): Promise<{ readonly raw: Buffer; readonly parsed: unknown }> {
  const raw = await response.readAll(deployment.provider.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  try {
    return { raw, parsed: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (error) {
    throw new UpstreamError(`Provider '${deployment.providerName}' returned invalid JSON.`, { cause: error });
  }
}
