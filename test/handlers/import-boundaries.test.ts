import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SPECIFIER = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && candidate.endsWith('.ts'));
}

/** Every module an entry point pulls in: project files (relative imports) and package names. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [resolve(ROOT, entry)];
  while (pending.length > 0) {
    const file = pending.pop();
    if (file === undefined || files.has(file)) continue;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (specifier === undefined) continue;
      if (!specifier.startsWith('.')) {
        packages.add(specifier);
        continue;
      }
      const target = resolveRelative(file, specifier);
      if (target !== undefined) pending.push(target);
    }
  }
  return { files, packages };
}

describe.each(['lambda/handlers/gateway.ts', 'lambda/handlers/admin.ts'])('%s import boundaries', (entry) => {
  const { files, packages } = importGraph(entry);
  const projectFiles = [...files].map((file) => relative(ROOT, file));

  it('never reaches the local server or its embedded store', () => {
    expect(projectFiles.filter((file) => file.startsWith('lambda/local/'))).toEqual([]);
    expect([...packages].filter((name) => name.includes('dynalite'))).toEqual([]);
    expect(projectFiles.every((file) => file.startsWith('lambda/'))).toBe(true);
  });

  it('keeps middy and the Lambda types inside the handlers', () => {
    for (const file of projectFiles.filter((name) => !name.startsWith('lambda/handlers/'))) {
      const source = readFileSync(join(ROOT, file), 'utf8');
      expect({ file, middy: source.includes('@middy/'), awsLambda: /from ['"]aws-lambda['"]/.test(source) }).toEqual({ file, middy: false, awsLambda: false });
    }
  });
});

it('the admin entry point creates no Secrets Manager client', () => {
  expect(importGraph('lambda/handlers/admin.ts').packages.has('@aws-sdk/client-secrets-manager')).toBe(false);
});
