// Bundles the local server (lambda/local/main.ts) into dist/local/gatellm.mjs and its store process
// (lambda/local/dynamo-server-main.ts) into dist/local/dynamo-server.mjs, and its usage writer thread
// (lambda/local/usage-writer-thread.ts) into dist/local/usage-writer.mjs. Packages stay external
// (installed in node_modules; dynalite's LevelDB binding is native). Code splitting keeps the store,
// which main.ts imports lazily, in its own chunk so start-up does not wait for it.
import { build } from 'esbuild';

await build({
  entryPoints: { gatellm: 'lambda/local/main.ts', 'dynamo-server': 'lambda/local/dynamo-server-main.ts', 'usage-writer': 'lambda/local/usage-writer-thread.ts' },
  outdir: 'dist/local',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
