import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SeenRequest } from './cli-harness';

/**
 * An independent AWS Signature Version 4 verifier, written from the spec (docs.aws.amazon.com,
 * "Create a signed AWS API request") with node:crypto only: it rebuilds the canonical request, the
 * string to sign and the derived key, and compares signatures. It shares no code with the CLI.
 */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 unreserved characters stay, everything else is %XX (upper case). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function header(request: SeenRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Returns why the request is refused, or undefined when its signature is right. */
export function verifySigV4(request: SeenRequest, expected: { credentials: Credentials; region: string; service: string }): string | undefined {
  const authorization = header(request, 'authorization') ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
  if (match === null) return `malformed authorization header: ${authorization}`;
  const [, accessKeyId, date, region, service, signedHeaderList = '', signature = ''] = match;
  const amzDate = header(request, 'x-amz-date') ?? '';
  if (accessKeyId !== expected.credentials.accessKeyId) return `wrong access key ${accessKeyId ?? ''}`;
  if (region !== expected.region || service !== expected.service) return `wrong scope ${region ?? ''}/${service ?? ''}`;
  if (!amzDate.startsWith(date ?? '-')) return 'x-amz-date does not match the credential scope date';
  if (Math.abs(Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')) - Date.now()) > 5 * 60_000) return 'x-amz-date is more than 5 minutes off';
  const signedHeaders = signedHeaderList.split(';');
  for (const required of ['host', 'x-amz-date', ...(expected.credentials.sessionToken === undefined ? [] : ['x-amz-security-token'])]) {
    if (!signedHeaders.includes(required)) return `${required} is not signed`;
  }
  if (expected.credentials.sessionToken !== undefined && header(request, 'x-amz-security-token') !== expected.credentials.sessionToken) return 'wrong session token';

  const [rawPath = '/', rawQuery = ''] = request.url.split('?', 2);
  // Every service but S3: each path segment as sent is encoded once more.
  const canonicalUri = rawPath.split('/').map(uriEncode).join('/');
  const canonicalQuery = rawQuery === '' ? '' : rawQuery.split('&')
    .map((pair) => pair.split('=', 2).map((part) => uriEncode(decodeURIComponent(part.replaceAll('+', ' ')))) as [string, string?])
    .map(([name, value = '']) => [name, value] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(header(request, name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [request.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaderList, sha256Hex(request.body)].join('\n');
  const scope = `${date ?? ''}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = ['aws4_request'].reduce(
    (key, part) => hmac(key, part),
    hmac(hmac(hmac(`AWS4${expected.credentials.secretAccessKey}`, date ?? ''), region ?? ''), service ?? ''),
  );
  const computed = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
  return timingSafeEqual(computed, Buffer.from(signature, 'hex')) ? undefined : 'signature mismatch';
}
