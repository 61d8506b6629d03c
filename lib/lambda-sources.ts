import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleEntryPoint, bundleInMemory, loadEsbuild, prebuiltBundlePath, type Esbuild, type LambdaBundleName } from './lambda-bundles';

/** The `name` in GateLLM's package.json; how the package root is recognised. */
const PACKAGE_NAME = 'gatellm';

/** Where this copy of the library runs from, which decides where the function code comes from. */
export interface LibraryLocation {
  /** The GateLLM package root: the repo in development, `node_modules/gatellm` for library users. */
  readonly packageRoot: string;
  /**
   * True when the construct runs from its TypeScript sources (`lib/`, under tsx or jest) rather than
   * from the compiled library (`dist/lib/`). The sources then are the truth: prebuilt bundles in
   * `dist/` may be older than the handlers being edited, so they are never used.
   */
  readonly fromSource: boolean;
}

/**
 * Locates the package from this file's own location, so the same code works from the source tree
 * (`lib/`) and from the compiled library (`dist/lib/`): walk up to the directory whose package.json is GateLLM's.
 */
export function locateLibrary(startDir: string = __dirname): LibraryLocation {
  const packageRoot = findPackageRoot(startDir);
  return { packageRoot, fromSource: path.resolve(startDir) === path.join(packageRoot, 'lib') };
}

/**
 * The JavaScript of one Lambda bundle. From the source tree: bundled now by esbuild. From the
 * compiled library: the bundle prebuilt by `npm run build` (it ships in the package), else — in a
 * checkout that was never built — bundled now. Never Docker: without a bundle and without esbuild
 * this fails at once with what to do.
 */
export function lambdaBundleCode(
  name: LambdaBundleName,
  location: LibraryLocation = locateLibrary(),
  loadBundler: () => Esbuild | undefined = loadEsbuild,
): Uint8Array {
  const prebuilt = prebuiltBundlePath(location.packageRoot, name);
  if (!location.fromSource && fs.existsSync(prebuilt)) return fs.readFileSync(prebuilt);
  const esbuild = loadBundler();
  const entry = bundleEntryPoint(location.packageRoot, name);
  if (esbuild !== undefined && fs.existsSync(entry)) return bundleInMemory(esbuild, location.packageRoot, name);
  const reasons = [
    ...(location.fromSource ? [] : [`the prebuilt ${prebuilt} is missing`]),
    esbuild === undefined ? 'esbuild is not installed' : `the handler source ${entry} is missing`,
  ];
  throw new Error(
    `GateLLM: cannot produce the ${name} Lambda bundle: ${reasons.join(' and ')}. Run \`npm run build\` in the ` +
      `gatellm package (${location.packageRoot}), or install esbuild (npm install --save-dev esbuild).`,
  );
}

function findPackageRoot(startDir: string): string {
  let dir = path.resolve(startDir);
  for (;;) {
    if (readPackageName(path.join(dir, 'package.json')) === PACKAGE_NAME) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`GateLLM: cannot find the ${PACKAGE_NAME} package root (a package.json named "${PACKAGE_NAME}") above ${startDir}`);
    }
    dir = parent;
  }
}

function readPackageName(manifestPath: string): string | undefined {
  if (!fs.existsSync(manifestPath)) return undefined;
  const manifest: unknown = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  if (typeof manifest !== 'object' || manifest === null || !('name' in manifest)) return undefined;
  return typeof manifest.name === 'string' ? manifest.name : undefined;
}
