import type { Finding } from '../types';
import { codeAt, isAlnum, isDigit, isUpper } from './chars';
import { DOCUMENTATION_EXAMPLE } from './secret-values';

/**
 * AWS access key ids: a resource-type prefix (`AKIA` long-term, `ASIA` temporary, and the `AGPA`, `AIDA`,
 * `AROA`, `AIPA`, `ANPA`, `ANVA`, `APKA` ids that IAM shows alongside keys) and 16 capitals or digits.
 * The secret that goes with one is the aws_secret_key type (secret-assignment.ts). Found from each capital
 * `A` by the walk that also finds Google API keys (a-prefixed-keys.ts).
 */

const PREFIXES = ['AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'APKA'];
const PREFIX_LENGTH = 4;
const ID_LENGTH = 20;
/** Code of `A`: every prefix ends with one, so one read dismisses most capital A's. */
const CAPITAL_A = 65;

/** Whether an id (prefix and body, whatever surrounds it) starts at the `A` at `at`. */
function idShapeAt(text: string, at: number): boolean {
  if (codeAt(text, at + PREFIX_LENGTH - 1) !== CAPITAL_A || !PREFIXES.some((prefix) => text.startsWith(prefix, at))) return false;
  for (let index = at + PREFIX_LENGTH; index < at + ID_LENGTH; index += 1) {
    const code = codeAt(text, index);
    if (!isUpper(code) && !isDigit(code)) return false;
  }
  return true;
}

/**
 * Looks for an access key id starting at the capital `A` at `at`; returns where the next one may start.
 * An id-shaped run glued to letters or digits is no id, and is skipped whole, so no id is found inside it.
 */
export function visitAwsCapitalA(text: string, at: number, out: Finding[]): number {
  if (!idShapeAt(text, at)) return at + 1;
  const end = at + ID_LENGTH;
  // AWS's documentation ids (`AKIAIOSFODNN7EXAMPLE`) fill SDK docs and examples, and open no account.
  const example = DOCUMENTATION_EXAMPLE.test(text.slice(at, end));
  if (!example && !isAlnum(codeAt(text, at - 1)) && !isAlnum(codeAt(text, end))) out.push({ type: 'aws_access_key', start: at, end });
  return end;
}
