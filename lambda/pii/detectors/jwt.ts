import type { Finding } from '../types';
import { codeAt, isTokenChar, scanForward } from './chars';
import { forEachTrigger, type PatternDetector } from './detector';
import { CAPITAL_J, type Triggers } from './triggers';

/**
 * JSON Web Tokens: three base64url segments joined by dots (five for an encrypted JWE), the header
 * starting `eyJ` (base64 of `{"`) and decoding to a JSON object with an `alg`. The signature may be empty
 * only for `"alg": "none"`. Decoding the header is what separates a token from base64 that merely starts
 * with `eyJ`. jwt.io's example token (John Doe, subject 1234567890), which libraries' docs and tests
 * quote everywhere, is not reported: under the default `block` it would refuse a session that merely
 * read such a README.
 */

const MAX_HEADER = 1024;
const MAX_SEGMENT = 16_384;

/** The JSON object a base64url segment encodes, or undefined. */
function decodedObject(segment: string): object | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof decoded === 'object' && decoded !== null ? decoded : undefined;
  } catch {
    return undefined;
  }
}

function headerAlgorithm(segment: string): string | undefined {
  const header = decodedObject(segment);
  if (header === undefined || !('alg' in header)) return undefined;
  return typeof header.alg === 'string' ? header.alg : undefined;
}

/** Whether the payload is jwt.io's example's (`{"sub": "1234567890", "name": "John Doe", …}`). */
function isJwtIoExample(segment: string): boolean {
  const payload = decodedObject(segment);
  return payload !== undefined && 'sub' in payload && payload.sub === '1234567890' && 'name' in payload && payload.name === 'John Doe';
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
  if (isTokenChar(codeAt(text, index))) return -1;
  return segments === 3 && isJwtIoExample(text.slice(headerEnd + 1, segmentEnds[0])) ? -1 : index;
}

function findJwts(text: string, out: Finding[], triggers: Triggers): void {
  // `J` is rare and `e` is the commonest letter: walking the `J` of `eyJ` visits far fewer places.
  forEachTrigger(triggers, CAPITAL_J, (at) => {
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
  triggers: [CAPITAL_J],
  create: () => findJwts,
};
