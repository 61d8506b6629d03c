import { capText, MAX_QUOTED_TEXT, MAX_RECORDED_TEXT, quoteCallerText } from '../../lambda/errors/caller-text';
import { ModelNotAllowedError } from '../../lambda/errors/gateway-error';

describe('caller text caps', () => {
  it('keeps short text and cuts long text to the cap, marked', () => {
    expect(capText('gpt-4o')).toBe('gpt-4o');
    const cut = capText('x'.repeat(10_000));
    expect(cut).toHaveLength(MAX_RECORDED_TEXT);
    expect(cut.endsWith('…')).toBe(true);
    expect(capText('x'.repeat(MAX_RECORDED_TEXT))).toHaveLength(MAX_RECORDED_TEXT);
  });

  it('never splits a surrogate pair', () => {
    const cut = quoteCallerText(`${'a'.repeat(MAX_QUOTED_TEXT - 2)}😀😀😀`);
    expect(cut.length).toBeLessThanOrEqual(MAX_QUOTED_TEXT);
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });

  it('bounds the caller input an error message quotes', () => {
    expect(new ModelNotAllowedError('m'.repeat(1_000_000)).message.length).toBeLessThan(MAX_QUOTED_TEXT + 50);
  });
});
