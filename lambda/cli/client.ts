import { createSigV4Signer, type RequestSigner } from './sigv4';
import type { Target } from './target';

/** The gateway answered with an error (exit code 1): its message and stable code, as the API gave them. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export type QueryValues = Readonly<Record<string, string | number | undefined>>;

export interface SendOptions {
  readonly query?: QueryValues;
  readonly body?: unknown;
  readonly accept?: string;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A thin /admin/v1 client: paths are relative to it, errors become ApiError. */
export interface AdminClient {
  send(method: string, path: string, options?: SendOptions): Promise<RawResponse>;
  json(method: string, path: string, options?: SendOptions): Promise<unknown>;
}

/** One path segment from user input (`my team`, an email): encoded so it cannot change the route. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/**
 * The admin base URL. The stack's output may already end in /admin/v1 (or carry a stage path such as
 * /prod): either way the admin paths are appended once.
 */
export function adminUrl(base: string, path: string, query: QueryValues = {}): URL {
  const url = new URL(base);
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/admin\/v1$/, '');
  url.pathname = `${prefix}/admin/v1${path}`;
  url.search = '';
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  return url;
}

function errorOf(status: number, text: string): ApiError {
  try {
    const parsed: unknown = JSON.parse(text);
    const error = typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown; message?: unknown }) : {};
    if (typeof error.error === 'object' && error.error !== null) {
      const { message, code, type } = error.error as { message?: unknown; code?: unknown; type?: unknown };
      if (typeof message === 'string') return new ApiError(status, typeof code === 'string' ? code : String(type ?? status), message);
    }
    // API Gateway's own refusals (a bad signature, a missing IAM permission) are `{"message": ...}`.
    if (typeof error.message === 'string') return new ApiError(status, status === 403 ? 'forbidden' : `http_${status}`, error.message);
  } catch {
    // Not JSON: fall through to the status line.
  }
  return new ApiError(status, `http_${status}`, text.trim().slice(0, 200) || `HTTP ${status}`);
}

export function createAdminClient(target: Target): AdminClient {
  let signer: Promise<RequestSigner> | undefined;
  const { auth } = target;

  async function send(method: string, path: string, options: SendOptions = {}): Promise<RawResponse> {
    const url = adminUrl(target.url, path, options.query);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    let headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    if (auth.kind === 'token') {
      headers.authorization = `Bearer ${auth.token}`;
    } else {
      signer ??= createSigV4Signer(auth.region, auth.profile);
      headers = await (await signer)({ method, url, headers, ...(body === undefined ? {} : { body }) });
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new ApiError(0, 'connection_failed', `Cannot reach the gateway at ${url.origin}: ${cause}`);
    }
    const text = await response.text();
    if (!response.ok) throw errorOf(response.status, text);
    return { status: response.status, headers: response.headers, text };
  }

  return {
    send,
    async json(method, path, options) {
      const response = await send(method, path, options);
      if (response.text === '') return {};
      try {
        return JSON.parse(response.text) as unknown;
      } catch {
        throw new ApiError(response.status, 'invalid_response', `The gateway answered ${method} ${path} with something that is not JSON.`);
      }
    },
  };
}
