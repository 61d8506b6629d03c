// Empties what `npm pack` ships (dist/lib, dist/lambda) before a build, so that a module deleted from
// lib/ or lambda/ cannot linger in the package as a stale compiled file.
import { rmSync } from 'node:fs';

for (const dir of ['dist/lib', 'dist/lambda']) rmSync(new URL(`../${dir}`, import.meta.url), { recursive: true, force: true });
