import * as crypto from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Gateway key format: `gllm_` + 12-char id + 40-char secret + 6-char checksum, all base62.
 *  - The fixed prefix lets secret scanners (GitHub, gitleaks, trufflehog) recognise a leaked key.
 *  - The id is stored in clear as the item key, so a lookup is one GetItem, while only the SHA-256
 *    of the whole key is stored: a database dump reveals no usable key.
 *  - The CRC32 checksum lets scanners and the gateway reject typos and random strings offline,
 *    without a store round trip.
 * 40 base62 chars carry ~238 bits of entropy.
 */
export const KEY_PREFIX = 'gllm_';
const ID_LENGTH = 12;
const SECRET_LENGTH = 40;
const CHECKSUM_LENGTH = 6;
const BODY_LENGTH = ID_LENGTH + SECRET_LENGTH;
export const KEY_LENGTH = KEY_PREFIX.length + BODY_LENGTH + CHECKSUM_LENGTH;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_PATTERN = /^[0-9A-Za-z]+$/;

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      // 248 = 4 * 62: rejecting bytes above it keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function base62Fixed(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksum(body: string): string {
  return base62Fixed(crc32(body), CHECKSUM_LENGTH);
}

/**
 * SHA-256 in hex. Every request hashes its key, so the one-shot `crypto.hash` (Node ≥ 20.12, and every
 * Lambda runtime the construct deploys) is used where it exists: it builds no Hash object and, while
 * another thread signs AWS requests (the local usage writer), costs about a third of `createHash`.
 */
const sha256Hex: (value: string) => string = 'hash' in crypto
  ? (value) => crypto.hash('sha256', value, 'hex')
  : (value) => crypto.createHash('sha256').update(value).digest('hex');

export function hashKey(key: string): string {
  return sha256Hex(key);
}

export interface NewGatewayKey {
  readonly id: string;
  /** The full secret key, shown to its owner once. */
  readonly key: string;
  readonly secretHash: string;
}

/** A new key; with `id`, a new secret for an existing key id (rotation keeps the id, so lookups still find it). */
export function generateGatewayKey(id?: string): NewGatewayKey {
  if (id !== undefined && (id.length !== ID_LENGTH || !BASE62_PATTERN.test(id))) throw new Error('A gateway key id is 12 base62 characters.');
  const body = id === undefined ? randomBase62(BODY_LENGTH) : `${id}${randomBase62(SECRET_LENGTH)}`;
  const key = `${KEY_PREFIX}${body}${checksum(body)}`;
  return { id: body.slice(0, ID_LENGTH), key, secretHash: hashKey(key) };
}

/** The key id, or undefined when the string cannot be a gateway key (wrong prefix, length or checksum). */
export function parseGatewayKeyId(key: string): string | undefined {
  if (key.length !== KEY_LENGTH || !key.startsWith(KEY_PREFIX)) return undefined;
  const body = key.slice(KEY_PREFIX.length, KEY_PREFIX.length + BODY_LENGTH);
  const sum = key.slice(KEY_PREFIX.length + BODY_LENGTH);
  if (!BASE62_PATTERN.test(body) || checksum(body) !== sum) return undefined;
  return body.slice(0, ID_LENGTH);
}

/** Constant-time comparison of a presented key against a stored hash. */
export function keyMatchesHash(key: string, secretHash: string): boolean {
  const presented = Buffer.from(hashKey(key), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return presented.length === stored.length && crypto.timingSafeEqual(presented, stored);
}

/** A short non-secret form for logs and listings, e.g. `gllm_AbC123xyZ789…`. */
export function redactKey(id: string): string {
  return `${KEY_PREFIX}${id}…`;
}
