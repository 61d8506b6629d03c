import type { Finding } from '../types';
import { codeAt, isTokenChar, scanForward } from './chars';
import { forEachOccurrence, type PatternDetector } from './detector';

/**
 * JSON Web Tokens: three base64url segments joined by dots (five for an encrypted JWE), the header
 * starting `eyJ` (base64 of `{"`) and decoding to a JSON object with an `alg`. The signature may be empty
 * only for `"alg": "none"`. Decoding the header is what separates a token from base64 that merely starts
 * with `eyJ`.
 */

const MAX_HEADER = 1024;
const MAX_SEGMENT = 16_384;

function headerAlgorithm(segment: string): string | undefined {
  try {
    const header: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (typeof header !== 'object' || header === null || !('alg' in header)) return undefined;
    return typeof header.alg === 'string' ? header.alg : undefined;
  } catch {
    return undefined;
  }
}

/** End of the token whose header starts at `start`, or -1. */
function tokenEnd(text: string, start: number): number {
  const headerEnd = scanForward(text, start, isTokenChar, MAX_HEADER + 1);
  if (headerEnd - start > MAX_HEADER || codeAt(text, headerEnd) !== 46) return -1;
  const algorithm = headerAlgorithm(text.slice(start, headerEnd));
  if (algorithm === undefined) return -1;
  const segmentEnds: number[] = [];
  let index = headerEnd;
  while (codeAt(text, index) === 46 && segmentEnds.length < 4) {
    const next = scanForward(text, index + 1, isTokenChar, MAX_SEGMENT);
    // An empty segment is a sentence's full stop, except where a token may have one: a JWE's key
    // (second segment, `dir`) or an unsigned JWS's signature (third).
    if (next === index + 1 && segmentEnds.length > 1) break;
    index = next;
    segmentEnds.push(index);
  }
  const segments = segmentEnds.length + 1;
  if (segments !== 3 && segments !== 5) return -1;
  const payloadLength = (segmentEnds[0] ?? 0) - headerEnd - 1;
  const signatureLength = index - (segmentEnds[segmentEnds.length - 2] ?? 0) - 1;
  if (segments === 3 && (payloadLength < 2 || (signatureLength === 0 && algorithm !== 'none'))) return -1;
  return isTokenChar(codeAt(text, index)) ? -1 : index;
}

function findJwts(text: string, out: Finding[]): void {
  // `J` is rare and `e` is the commonest letter: finding the `J` of `eyJ` is several times faster.
  forEachOccurrence(text, 'J', (at) => {
    const start = at - 2;
    if (!text.startsWith('ey', start) || isTokenChar(codeAt(text, start - 1))) return undefined;
    const end = tokenEnd(text, start);
    if (end === -1) return undefined;
    out.push({ type: 'jwt', start, end });
    return end;
  });
}

export const jwtDetector: PatternDetector = {
  types: ['jwt'],
  create: () => findJwts,
};
