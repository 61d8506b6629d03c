import type { Finding } from '../types';
import { forEachOccurrence, type PatternDetector } from './detector';

/**
 * PEM and PGP private key blocks: `-----BEGIN <label>-----` … `-----END <label>-----` where the label is
 * `PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `OPENSSH PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`,
 * `PGP PRIVATE KEY BLOCK` and the like. Line breaks may be real or `\n` escapes inside a JSON string: the
 * block is found by its armour lines, not its layout. A block without its END line (a truncated paste) is
 * reported up to the last line of its base64 body. Public keys and certificates are not secrets.
 */

const BEGIN = '-----BEGIN ';
const DASHES = '-----';
const LABEL = /^(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?$/;
const MAX_LABEL = 40;
/** The longest block looked for (a 4096-bit PGP key is about 7 KB of armour). */
const MAX_BLOCK = 65_536;
/** A body line: base64 (perhaps cut short with `...`), or an armour header such as `Proc-Type: 4,ENCRYPTED`. */
const BODY_LINE = /^(?:[A-Za-z0-9+/=]+(?:\.\.\.|…)?|[A-Za-z-]+: [^\r\n\\]*)$/;
const LINE_BREAK = /\r?\n|\\r\\n|\\n/;
/** Less key material than this is a header quoted in code or docs, not a key. */
const MIN_BODY = 32;

/** Whether the text between the armour lines is a key body (not code that mentions both lines). */
function isKeyBody(body: string): boolean {
  let material = 0;
  for (const rawLine of body.split(LINE_BREAK)) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (!BODY_LINE.test(line)) return false;
    if (!line.includes(': ')) material += line.length;
  }
  return material >= MIN_BODY;
}

/** End of a block without an END line: the last body line, real or `\n`-escaped. */
function endOfBody(text: string, from: number): number {
  let end = from;
  const line = /(?:\r?\n|\\r\\n|\\n)([^\r\n\\]*)/y;
  line.lastIndex = from;
  let match = line.exec(text);
  while (match !== null && line.lastIndex - from < MAX_BLOCK) {
    const body = (match[1] ?? '').trim();
    if (body === '' || !BODY_LINE.test(body)) break;
    end = line.lastIndex;
    match = line.exec(text);
  }
  return end;
}

function findPrivateKeys(text: string, out: Finding[]): void {
  // Dashes are common in code and prose; the `B` of `BEGIN` is not.
  forEachOccurrence(text, 'BEGIN ', (at) => {
    const start = at - DASHES.length;
    if (!text.startsWith(BEGIN, start)) return undefined;
    const labelStart = start + BEGIN.length;
    const labelEnd = text.indexOf(DASHES, labelStart);
    if (labelEnd === -1 || labelEnd - labelStart > MAX_LABEL) return undefined;
    const label = text.slice(labelStart, labelEnd);
    if (!LABEL.test(label)) return undefined;
    const headerEnd = labelEnd + DASHES.length;
    const footer = `-----END ${label}-----`;
    // Looked for within MAX_BLOCK only: many headers without footers must not each scan the whole text.
    const footerOffset = text.slice(headerEnd, start + MAX_BLOCK).indexOf(footer);
    const footerAt = footerOffset === -1 ? -1 : headerEnd + footerOffset;
    if (footerAt !== -1) {
      if (!isKeyBody(text.slice(headerEnd, footerAt))) return undefined;
      out.push({ type: 'private_key', start, end: footerAt + footer.length });
      return footerAt + footer.length;
    }
    const end = endOfBody(text, headerEnd);
    if (!isKeyBody(text.slice(headerEnd, end))) return undefined;
    out.push({ type: 'private_key', start, end });
    return end;
  });
}

export const privateKeyDetector: PatternDetector = {
  types: ['private_key'],
  triggers: [],
  create: () => findPrivateKeys,
};
