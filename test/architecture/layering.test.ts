import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Dependencies run one way (DESIGN.md §2): adapters (handlers, local) → api/admin → core → providers →
 * leaves. Nothing imports upward (modules of one layer may use each other), so the core stays free of
 * Lambda and of inbound wire formats.
 */
const LAMBDA = path.resolve(__dirname, '../../lambda');
const RANK: Readonly<Record<string, number>> = {
  // The command line is a client of the admin API: it shares the admin API's typed shapes, nothing below.
  handlers: 5, local: 5, cli: 5,
  api: 4, admin: 4,
  // Governance and data-protection stages plug into the core's stage contract; the core never imports them.
  core: 3, governance: 3, pii: 3,
  providers: 2,
  // The canonical request and typed events: the provider-neutral vocabulary every layer above speaks.
  canonical: 1,
  sse: 1, stores: 1, secrets: 1, config: 1, keys: 1, logging: 1,
  // The error hierarchy and the adapter-facing HTTP types are what every layer may import.
  errors: 0, http: 0,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function layerOf(file: string): string {
  return path.relative(LAMBDA, file).split(path.sep)[0] ?? '';
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\s*\(\s*['"](\.[^'"]+)['"]\s*\)/g;

describe('lambda/ layering', () => {
  const files = sourceFiles(LAMBDA);

  it('knows every folder', () => {
    expect(files.map(layerOf).filter((layer) => RANK[layer] === undefined)).toEqual([]);
  });

  it('has no upward imports', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const specifier = match[1] ?? match[2] ?? '';
        const to = layerOf(path.resolve(path.dirname(file), specifier));
        if ((RANK[to] ?? 99) > (RANK[from] ?? 0)) violations.push(`${path.relative(LAMBDA, file)} → ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps the core free of Lambda, middy, HTTP servers and the AWS SDK', () => {
    const core = files.filter((file) => layerOf(file) === 'core');
    for (const file of core) {
      const source = readFileSync(file, 'utf8');
      expect({ file: path.basename(file), banned: /from ['"](aws-lambda|@middy\/[^'"]*|@aws-sdk\/[^'"]*|node:http)['"]/.test(source) })
        .toEqual({ file: path.basename(file), banned: false });
    }
  });
});
