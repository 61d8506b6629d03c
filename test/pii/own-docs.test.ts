import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PII_RULES } from '../../lambda/pii/policy';
import { createScanner } from '../../lambda/pii/scanner';
import { PATTERN_PII_TYPES } from '../../lambda/pii/types';

/** The repository's own docs and shipped source, as an agent working on GateLLM reads them into its prompts. */
function ownTexts(): [string, string][] {
  const files = ['README.md', 'BENCHMARKS.md', 'gatellm.config.example.json'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(?:ts|mjs|md|json)$/.test(entry)) files.push(path);
    }
  };
  for (const dir of ['lambda', 'lib', 'bin']) walk(dir);
  return files.map((path) => [path, readFileSync(path, 'utf8')]);
}

describe("GateLLM's own docs and source under its default rules", () => {
  it('hold nothing the default rules block, so an agent reading them through the gateway is never refused', () => {
    const blocked = new Set(PATTERN_PII_TYPES.filter((type) => DEFAULT_PII_RULES[type]?.action === 'block'));
    expect(blocked.size).toBeGreaterThan(0);
    const scanner = createScanner({ types: blocked });
    const found = ownTexts().flatMap(([path, text]) => scanner.scan(text).map((finding) => `${path}: ${finding.type}`));
    expect(found).toEqual([]);
  });
});
