import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { KEY_LENGTH, KEY_PREFIX, generateGatewayKey, hashKey, keyMatchesHash, parseGatewayKeyId } from '../../lambda/keys/gateway-key';

describe('gateway keys', () => {
  it('have a recognisable prefix, fixed length and a parseable id', () => {
    const { id, key, secretHash } = generateGatewayKey();
    expect(key.startsWith(KEY_PREFIX)).toBe(true);
    expect(key).toHaveLength(KEY_LENGTH);
    expect(key).toMatch(/^gllm_[0-9A-Za-z]+$/);
    expect(parseGatewayKeyId(key)).toBe(id);
    expect(secretHash).toBe(hashKey(key));
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('store the SHA-256 of the whole key in hex, as keys minted by earlier versions were', () => {
    const { key, secretHash } = generateGatewayKey();
    expect(secretHash).toBe(createHash('sha256').update(key).digest('hex'));
  });

  it('are unique', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateGatewayKey().key));
    expect(keys.size).toBe(1000);
  });

  it('reject any single-character typo through the checksum', () => {
    const { key } = generateGatewayKey();
    fc.assert(fc.property(fc.integer({ min: KEY_PREFIX.length, max: KEY_LENGTH - 1 }), fc.constantFrom(...'0123456789abcXYZ'), (index, char) => {
      fc.pre(key[index] !== char);
      const typo = key.slice(0, index) + char + key.slice(index + 1);
      expect(parseGatewayKeyId(typo)).toBeUndefined();
    }));
  });

  it('reject strings that are not keys', () => {
    expect(parseGatewayKeyId('')).toBeUndefined();
    expect(parseGatewayKeyId('sk-proj-abc')).toBeUndefined();
    expect(parseGatewayKeyId(`${KEY_PREFIX}${'a'.repeat(KEY_LENGTH - KEY_PREFIX.length)}`)).toBeUndefined();
  });

  it('compares hashes in constant time and only matches the right key', () => {
    const a = generateGatewayKey();
    const b = generateGatewayKey();
    expect(keyMatchesHash(a.key, a.secretHash)).toBe(true);
    expect(keyMatchesHash(b.key, a.secretHash)).toBe(false);
    expect(keyMatchesHash(a.key, 'short')).toBe(false);
  });
});

describe('rotation', () => {
  it('mints a new, valid secret for an existing key id', () => {
    const original = generateGatewayKey();
    const rotated = generateGatewayKey(original.id);
    expect(rotated.id).toBe(original.id);
    expect(parseGatewayKeyId(rotated.key)).toBe(original.id);
    expect(rotated.key).not.toBe(original.key);
    expect(keyMatchesHash(rotated.key, rotated.secretHash)).toBe(true);
    expect(keyMatchesHash(original.key, rotated.secretHash)).toBe(false);
  });

  it('refuses an id that is not a key id', () => {
    expect(() => generateGatewayKey('short')).toThrow('12 base62');
    expect(() => generateGatewayKey('abc-def_ghi!')).toThrow('12 base62');
  });
});
