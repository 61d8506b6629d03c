// Bundles the `gatellm` CLI (lambda/cli/main.ts) into dist/cli/gatellm.mjs (package.json `bin`).
// Self-contained: the package has no runtime dependencies, so the AWS signing modules are bundled too,
// split into their own chunk that is imported lazily, only when a deployed stack is the target, so a
// local command starts without parsing them.
import { chmod } from 'node:fs/promises';
import { build } from 'esbuild';

await build({
  entryPoints: { gatellm: 'lambda/cli/main.ts' },
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Some AWS modules still call require() for Node built-ins; ESM output needs one to exist.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __gatellmCreateRequire } from 'node:module';\nconst require = __gatellmCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
await chmod('dist/cli/gatellm.mjs', 0o755);
