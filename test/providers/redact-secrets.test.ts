import { REDACTED, redactSecrets } from '../../lambda/providers/redact-secrets';

describe('redactSecrets', () => {
  it('removes every occurrence of a known secret, raw and URL-encoded', () => {
    const secret = 'my key/with+odd=chars';
    const text = `got "${secret}" and ${encodeURIComponent(secret)} and ${secret}`;
    const redacted = redactSecrets(text, [secret]);
    expect(redacted).not.toContain(secret);
    expect(redacted).not.toContain(encodeURIComponent(secret));
    expect(redacted.split(REDACTED)).toHaveLength(4);
  });

  it.each([
    ['Incorrect API key provided: sk-proj-********************abcd.', 'sk-proj'],
    ['header was Bearer abc.def.ghi', 'abc.def.ghi'],
    ['google key AIzaSyA1234567890abcdefghijklmnop', 'AIzaSyA'],
    ['token 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a', '3f9a8b7c'],
  ])('masks key-shaped text it does not know: %s', (text, fragment) => {
    expect(redactSecrets(text, [])).not.toContain(fragment);
  });

  it('leaves ordinary error text alone', () => {
    const text = "The model `gpt-4o-mini-2024-07-18` does not exist; 'max_tokens' must be <= 4096.";
    expect(redactSecrets(text, ['unrelated-secret'])).toBe(text);
  });

  it('ignores empty secrets', () => {
    expect(redactSecrets('abc', [''])).toBe('abc');
  });
});
