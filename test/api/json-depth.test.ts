import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../lambda/api/json-depth';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('nestsDeeperThan', () => {
  it.each([
    ['64 levels', `${'['.repeat(64)}${']'.repeat(64)}`, false],
    ['65 levels', `${'['.repeat(65)}${']'.repeat(65)}`, true],
    ['brackets inside strings', `{"a":"${'['.repeat(200)}"}`, false],
    ['escaped quotes inside strings', `{"a":"\\"${'{'.repeat(200)}"}`, false],
    ['an escaped backslash before the closing quote', `{"a":"\\\\"${',[1]'.repeat(3)}}`, false],
    ['deep after an escaped backslash', `{"a":"\\\\","b":${'['.repeat(70)}${']'.repeat(70)}}`, true],
    ['multi-byte text', `{"a":"ünï😀[[[[","b":[[1]]}`, false],
    ['an unterminated string', `{"a":"${'['.repeat(100)}`, false],
  ])('%s', (_label, text, expected) => {
    expect(nestsDeeperThan(bytes(text), MAX_JSON_DEPTH)).toBe(expected);
  });

  it('checks a subarray, not the whole underlying buffer', () => {
    const whole = bytes(`${'['.repeat(100)}[1]`);
    expect(nestsDeeperThan(whole.subarray(100), 1)).toBe(false);
  });
});
