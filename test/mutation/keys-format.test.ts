import { crc32 } from 'node:zlib';
import { KEY_LENGTH, KEY_PREFIX, generateGatewayKey, keyMatchesHash, parseGatewayKeyId, redactKey } from '../../lambda/keys/gateway-key';

/**
 * Key validation as a caller meets it: a string must have the prefix, the length, base62 characters and a
 * matching checksum to count as a key. The checksum is recomputed here (CRC32 in 6 base62 digits), so a
 * string that is wrong in exactly one respect can be built with a checksum that is otherwise right.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function checksumOf(body: string): string {
  let rest = crc32(body);
  let out = '';
  for (let i = 0; i < 6; i += 1) {
    out = `${BASE62[rest % 62] ?? ''}${out}`;
    rest = Math.floor(rest / 62);
  }
  return out;
}

const BODY = 'AbC123xyZ789' + 'q'.repeat(39) + 'Z';

describe('gateway key validation (mutation: lambda/keys)', () => {
  it('accepts a well-formed key with a correct checksum and returns its 12-character id', () => {
    expect(parseGatewayKeyId(`${KEY_PREFIX}${BODY}${checksumOf(BODY)}`)).toBe('AbC123xyZ789');
  });

  it('rejects a key with another 5-character prefix even when body and checksum are valid', () => {
    expect(`sk_ab${BODY}${checksumOf(BODY)}`).toHaveLength(KEY_LENGTH);
    expect(parseGatewayKeyId(`sk_ab${BODY}${checksumOf(BODY)}`)).toBeUndefined();
    expect(parseGatewayKeyId(`GLLM_${BODY}${checksumOf(BODY)}`)).toBeUndefined();
  });

  it.each(['-', '_', ' ', '.', 'é'])('rejects a body containing %j even with a matching checksum', (char) => {
    for (const position of [0, 11, 30, 51]) {
      const body = BODY.slice(0, position) + char + BODY.slice(position + 1);
      const key = `${KEY_PREFIX}${body}${checksumOf(body)}`;
      if (key.length !== KEY_LENGTH) continue;
      expect(parseGatewayKeyId(key)).toBeUndefined();
    }
  });

  it('rejects a valid key with a character added or removed', () => {
    const { key } = generateGatewayKey();
    expect(parseGatewayKeyId(`${key}a`)).toBeUndefined();
    expect(parseGatewayKeyId(key.slice(0, -1))).toBeUndefined();
    expect(parseGatewayKeyId(`${KEY_PREFIX}${BODY}${checksumOf(BODY)}0`)).toBeUndefined();
  });

  it('rejects a checksum that differs only in its first digit', () => {
    const sum = checksumOf(BODY);
    const other = sum.startsWith('0') ? `1${sum.slice(1)}` : `0${sum.slice(1)}`;
    expect(parseGatewayKeyId(`${KEY_PREFIX}${BODY}${other}`)).toBeUndefined();
  });

  it('generates keys whose checksum is the CRC32 of the body and whose characters are all base62', () => {
    for (let i = 0; i < 200; i += 1) {
      const { id, key } = generateGatewayKey();
      const body = key.slice(KEY_PREFIX.length, KEY_LENGTH - 6);
      expect(body).toMatch(/^[0-9A-Za-z]{52}$/);
      expect(key.slice(-6)).toBe(checksumOf(body));
      expect(id).toBe(body.slice(0, 12));
    }
  });

  it('uses the whole base62 alphabet across generated keys', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i += 1) for (const char of generateGatewayKey().key.slice(KEY_PREFIX.length, KEY_LENGTH - 6)) seen.add(char);
    expect(seen.size).toBe(62);
  });

  it('does not match a hash of another length, of the right length but wrong, or an empty hash', () => {
    const { key, secretHash } = generateGatewayKey();
    expect(keyMatchesHash(key, secretHash)).toBe(true);
    expect(keyMatchesHash(key, secretHash.slice(0, 62))).toBe(false);
    expect(keyMatchesHash(key, `${secretHash}00`)).toBe(false);
    expect(keyMatchesHash(key, '')).toBe(false);
    expect(keyMatchesHash(key, `${secretHash.slice(0, 63)}${secretHash.endsWith('0') ? '1' : '0'}`)).toBe(false);
  });

  it('shows a key in listings as prefix, id and an ellipsis, never the secret', () => {
    expect(redactKey('AbC123xyZ789')).toBe('gllm_AbC123xyZ789…');
  });
});
