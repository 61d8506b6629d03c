import { build } from 'esbuild';
import { existsSync } from 'node:fs';

/** Minified size in bytes of a handler bundled as the CDK construct bundles it (cjs, node24, ES builds first, minify). */
export async function handlerBundleBytes(entry: string): Promise<number | undefined> {
  if (!existsSync(entry)) return undefined;
  const result = await build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node24', mainFields: ['module', 'main'], minify: true, write: false, logLevel: 'error',
  });
  return result.outputFiles.reduce((total, file) => total + file.contents.byteLength, 0);
}
