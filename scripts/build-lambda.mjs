// Writes the two Lambda bundles that ship in the package (dist/lambda/gateway/index.js and
// dist/lambda/admin/index.js), so that a consumer's synth needs neither esbuild nor Docker.
// Run with tsx (`npm run build`): it uses the library's own bundle definition (lib/lambda-bundles.ts),
// so the shipped bundles and the ones synth makes from source in this repo are built alike.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import { writePrebuiltBundles } from '../lib/lambda-bundles.ts';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
for (const file of writePrebuiltBundles(esbuild, packageRoot)) console.log(`built ${file}`);
