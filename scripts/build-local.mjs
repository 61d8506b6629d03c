// Bundles the local server (lambda/local/main.ts) into dist/local/gatellm.mjs. Packages stay external:
// they are installed in node_modules, and dynalite's LevelDB binding is native.
import { build } from 'esbuild';

await build({
  entryPoints: ['lambda/local/main.ts'],
  outfile: 'dist/local/gatellm.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
