import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * The two Lambda bundles and how esbuild makes them. One definition serves both callers: the build
 * script (`npm run build`, run by `prepare` on pack and on install from git), which writes the bundles
 * that ship in the package, and the construct, which bundles in memory when it runs from the source tree.
 * Synth therefore never needs Docker.
 */

export type LambdaBundleName = 'gateway' | 'admin';

const LAMBDA_BUNDLE_NAMES: readonly LambdaBundleName[] = ['gateway', 'admin'];

/** Handler source of each bundle, relative to the package root. */
const ENTRY_POINTS: Readonly<Record<LambdaBundleName, string>> = {
  gateway: 'lambda/handlers/gateway.ts',
  admin: 'lambda/handlers/admin.ts',
};

/** Where the prebuilt bundle of `name` lives in a built package: `dist/lambda/<name>/index.js`. */
export function prebuiltBundlePath(packageRoot: string, name: LambdaBundleName): string {
  return path.join(packageRoot, 'dist', 'lambda', name, 'index.js');
}

export function bundleEntryPoint(packageRoot: string, name: LambdaBundleName): string {
  return path.join(packageRoot, ENTRY_POINTS[name]);
}

function buildOptions(packageRoot: string, name: LambdaBundleName): BuildOptions {
  return {
    absWorkingDir: packageRoot,
    entryPoints: [ENTRY_POINTS[name]],
    bundle: true,
    platform: 'node',
    // Lambda's nodejs24.x runtime loads `index.handler` from CommonJS.
    format: 'cjs',
    target: 'node24',
    // The ES builds first: the AWS SDK clients ship both, and only the ES one lets esbuild drop the
    // commands the gateway never sends (a quarter of the bundle, and of the code parsed at cold start).
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: false,
    // Nothing is external, not even the AWS SDK clients: the versions in package-lock.json are the ones
    // tested, not whatever the managed runtime happens to ship this month. (The SDK's optional CRT signer
    // stays an unresolved require inside a try/catch: it is not installed and not needed.)
    external: [],
    logLevel: 'error',
  };
}

export type Esbuild = typeof import('esbuild');

/** esbuild if it can be loaded (a devDependency here, optional for library users who have the prebuilt bundles). */
export function loadEsbuild(): Esbuild | undefined {
  try {
    // Resolved from the library's own location, like any of its dependencies would be.
    return createRequire(__filename)('esbuild') as Esbuild;
  } catch {
    return undefined;
  }
}

const bundledInThisProcess = new Map<string, Uint8Array>();

/**
 * Bundles `name` from the handler sources in memory. Synchronous because constructs are built
 * synchronously; memoised because every synth in a process (tests synthesise dozens) needs the same code.
 */
export function bundleInMemory(esbuild: Esbuild, packageRoot: string, name: LambdaBundleName): Uint8Array {
  const key = `${packageRoot}\0${name}`;
  const cached = bundledInThisProcess.get(key);
  if (cached !== undefined) return cached;
  const result = esbuild.buildSync({ ...buildOptions(packageRoot, name), write: false, outfile: 'index.js' });
  const output = result.outputFiles[0];
  if (output === undefined || result.outputFiles.length !== 1) {
    throw new Error(`GateLLM: esbuild produced ${result.outputFiles.length} files for the ${name} bundle, expected 1`);
  }
  bundledInThisProcess.set(key, output.contents);
  return output.contents;
}

/** Writes every prebuilt bundle into `dist/lambda/<name>/index.js` (the build script's job). */
export function writePrebuiltBundles(esbuild: Esbuild, packageRoot: string): readonly string[] {
  return LAMBDA_BUNDLE_NAMES.map((name) => {
    const file = prebuiltBundlePath(packageRoot, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bundleInMemory(esbuild, packageRoot, name));
    return file;
  });
}
