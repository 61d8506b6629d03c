import type { Finding, ManagedPiiType } from '../types';

/**
 * The entity types managed detection keeps, by the services' names (Comprehend and Bedrock Guardrails
 * share them). Everything else they report (emails, cards, keys, ...) the pattern detectors already
 * find, checked by format and checksum, so it is ignored here.
 */
const MANAGED_TYPE_BY_SERVICE_TYPE: ReadonlyMap<string, ManagedPiiType> = new Map([
  ['NAME', 'person_name'],
  ['ADDRESS', 'postal_address'],
]);

/** The managed type of a service's entity type, or `undefined` for one this detector ignores. */
export function managedType(serviceType: string | undefined): ManagedPiiType | undefined {
  return serviceType === undefined ? undefined : MANAGED_TYPE_BY_SERVICE_TYPE.get(serviceType);
}

/**
 * Sorted by start, without overlaps, as the scanners deliver theirs: overlapping findings of one type
 * merge into their union (the same name seen by two overlapping chunks); of different types, the
 * longer one wins (a street named after a person is part of an address).
 */
export function normalizeFindings(findings: readonly Finding[]): Finding[] {
  const ordered = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Finding[] = [];
  for (const finding of ordered) {
    const last = kept[kept.length - 1];
    if (last === undefined || finding.start >= last.end) {
      kept.push(finding);
    } else if (finding.type === last.type) {
      kept[kept.length - 1] = { type: last.type, start: last.start, end: Math.max(last.end, finding.end) };
    } else if (finding.end - finding.start > last.end - last.start) {
      kept[kept.length - 1] = finding;
    }
  }
  return kept;
}

const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}]$/u;

function isWordCharacter(character: string | undefined): boolean {
  return character !== undefined && WORD_CHARACTER.test(character);
}

/** The code point that ends just before `index` (a surrogate pair read whole). */
function characterBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && index >= 2 ? index - 2 : index - 1;
  return String.fromCodePoint(text.codePointAt(start) ?? 0);
}

function characterAt(text: string, index: number): string | undefined {
  if (index >= text.length) return undefined;
  return String.fromCodePoint(text.codePointAt(index) ?? 0);
}

/**
 * Every place `match` occurs in `text` as a whole word: a service that names what it found without
 * saying where (Bedrock Guardrails) found "Ann", which is not the start of "Annual".
 */
export function occurrences(text: string, match: string): number[] {
  if (match.length === 0) return [];
  const startsWithWord = isWordCharacter(characterAt(match, 0));
  const endsWithWord = isWordCharacter(characterBefore(match, match.length));
  const starts: number[] = [];
  for (let index = text.indexOf(match); index !== -1; index = text.indexOf(match, index + 1)) {
    const end = index + match.length;
    if (startsWithWord && isWordCharacter(characterBefore(text, index))) continue;
    if (endsWithWord && isWordCharacter(characterAt(text, end))) continue;
    starts.push(index);
  }
  return starts;
}
