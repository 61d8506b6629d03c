import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Imports a module bundled by esbuild, as the gateway's own bundles are built, rather than through the
 * bench's TypeScript loader: that loader turns every imported binding into a getter call, which in a
 * tight scanning loop costs a third of the time and would measure the loader, not the code.
 */
export async function importBundled<T>(entry: string): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'gatellm-bench-'));
  try {
    const outfile = join(dir, 'module.mjs');
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error' });
    return await import(pathToFileURL(outfile).href) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
