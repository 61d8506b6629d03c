import * as fs from 'node:fs';
import * as path from 'node:path';

/** The `name` in GateLLM's package.json; how the package root is recognised. */
const PACKAGE_NAME = 'gatellm';

/** Where the handler sources live and what esbuild bundling needs to find them. */
export interface LambdaSources {
  /** The GateLLM package root: the repo in development, `node_modules/gatellm` for library users. */
  readonly projectRoot: string;
  /** Must lie under `projectRoot` (NodejsFunction checks it). */
  readonly depsLockFilePath: string;
  readonly gatewayEntry: string;
  readonly adminEntry: string;
}

/**
 * Locates the handler sources from this file's own location, so the same code works from the
 * source tree (`lib/` → `../lambda`) and from the compiled library (`dist/lib/` → `../../lambda`):
 * walk up to the directory whose package.json is GateLLM's.
 */
export function resolveLambdaSources(startDir: string = __dirname): LambdaSources {
  const projectRoot = findPackageRoot(startDir);
  const lockFile = path.join(projectRoot, 'package-lock.json');
  return {
    projectRoot,
    // npm never publishes package-lock.json, so an installed copy of the library has none. The lock file
    // only matters for `nodeModules` installs, which these functions do not use (everything is bundled);
    // package.json stands in so that NodejsFunction does not search upwards and land outside projectRoot.
    depsLockFilePath: fs.existsSync(lockFile) ? lockFile : path.join(projectRoot, 'package.json'),
    gatewayEntry: path.join(projectRoot, 'lambda', 'handlers', 'gateway.ts'),
    adminEntry: path.join(projectRoot, 'lambda', 'handlers', 'admin.ts'),
  };
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
