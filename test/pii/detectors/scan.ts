import { createScanner } from '../../../lambda/pii/scanner';
import type { PiiScanner } from '../../../lambda/pii/types';

const everything = createScanner();
const byType = new Map<string, PiiScanner>();

/** The findings of `text` as `[type, value]` pairs, in order; with `type`, only that type is looked for. */
export function found(text: string, type?: string): [string, string][] {
  let scanner = everything;
  if (type !== undefined) {
    scanner = byType.get(type) ?? createScanner({ types: new Set([type]) });
    byType.set(type, scanner);
  }
  return scanner.scan(text).map((finding) => [finding.type, text.slice(finding.start, finding.end)]);
}

