/**
 * Removes credentials from provider text before it can reach a caller. A provider's error message may
 * echo what it was sent (a key in a 400 "invalid header" message, a masked key in a 401), and the
 * gateway's own provider key must never reach a caller: it would let anyone call the provider directly,
 * on the gateway owner's bill and past every budget.
 */

export const REDACTED = '[redacted]';

/**
 * Shapes of keys and tokens, for credentials the gateway does not know by value (another deployment's
 * key, a masked echo such as `sk-proj-****abcd`). Long opaque runs need a digit and a letter so that
 * ordinary words and model names survive.
 */
const KEY_SHAPES: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_*.-]{6,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}/g,
];
const BEARER = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;

/** Returns `text` with every known secret (and its URL-encoded form) and every key-shaped token replaced. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    redacted = redacted.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) redacted = redacted.split(encoded).join(REDACTED);
  }
  redacted = redacted.replace(BEARER, `$1 ${REDACTED}`);
  for (const shape of KEY_SHAPES) redacted = redacted.replace(shape, REDACTED);
  return redacted;
}
