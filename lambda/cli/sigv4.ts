import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { Checksum, SourceData } from '@smithy/types';

/** What a signed request carries: the headers to send, every one of them covered by the signature. */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;

function bytes(data: SourceData): Buffer | string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * SHA-256 and HMAC-SHA-256 from node:crypto in the shape @smithy/signature-v4 asks for, instead of
 * @aws-crypto/sha256-js: one dependency fewer, and native speed.
 */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }
}

/**
 * These modules are CommonJS: bundled into the CLI's ESM chunks their exports arrive as `default`,
 * while run from node_modules (tests) they arrive as named exports. Either way, the exports object.
 */
function commonJsExports(module: object): object {
  const wrapped = (module as { default?: unknown }).default;
  const onlyDefault = Object.keys(module).every((name) => name === 'default');
  return onlyDefault && typeof wrapped === 'object' && wrapped !== null ? wrapped : module;
}

/**
 * A SigV4 signer for API Gateway (`execute-api`) with credentials from the standard AWS chain
 * (environment, shared files and profiles, SSO, container and instance roles). The AWS modules are
 * loaded only here, on first use, so that talking to a local gateway starts without them.
 */
export async function createSigV4Signer(region: string, profile: string | undefined): Promise<RequestSigner> {
  const [{ SignatureV4 }, { defaultProvider }] = (await Promise.all([
    import('@smithy/signature-v4'),
    import('@aws-sdk/credential-provider-node'),
  ])).map(commonJsExports) as [typeof import('@smithy/signature-v4'), typeof import('@aws-sdk/credential-provider-node')];
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: defaultProvider(profile === undefined ? {} : { profile }),
    sha256: NodeSha256,
  });
  return async ({ method, url, headers, body }) => {
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const previous = query[name];
      query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      // The path as it goes on the wire (already percent-encoded); the signer encodes it once more, as SigV4 requires for every service but S3.
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      ...(body === undefined ? {} : { body }),
    });
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) {
      // fetch sets Host itself, from the same URL, and refuses to be told it.
      if (name.toLowerCase() !== 'host') result[name] = value;
    }
    return result;
  };
}
