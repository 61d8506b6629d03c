import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { prebuiltBundlePath } from '../../lib/lambda-bundles';
import { lambdaBundleCode, locateLibrary } from '../../lib/lambda-sources';
import { STAGING_DIR_PREFIX, withPrivateStagingDir } from '../../lib/private-staging';
import { testApp } from './helpers';

const repoRoot = path.resolve(__dirname, '..', '..');

describe('private staging directory', () => {
  const scope = new Stack(testApp(), 'Staging');

  test('is 0700 while it exists, holds the files, and is gone once the asset is made', () => {
    let seen = '';
    const result = withPrivateStagingDir(scope, { 'index.js': 'exports.handler = 1;', 'gatellm.config.json': '{}' }, (dir) => {
      seen = dir;
      expect(path.dirname(dir)).toBe(os.tmpdir());
      expect(path.basename(dir).startsWith(STAGING_DIR_PREFIX)).toBe(true);
      // Nobody but the synthesising user can list or open anything inside.
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      expect(fs.readdirSync(dir).sort()).toEqual(['gatellm.config.json', 'index.js']);
      expect(fs.readFileSync(path.join(dir, 'gatellm.config.json'), 'utf8')).toBe('{}');
      return 'made';
    });
    expect(result).toBe('made');
    expect(fs.existsSync(seen)).toBe(false);
  });

  test('is removed when making the asset throws', () => {
    let seen = '';
    expect(() =>
      withPrivateStagingDir(scope, { 'index.js': '' }, (dir) => {
        seen = dir;
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(seen).not.toBe('');
    expect(fs.existsSync(seen)).toBe(false);
  });

  test('with asset staging disabled (cdk synth --no-staging) it lives in the cloud assembly, which references it', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatellm-nostaging-'));
    try {
      const app = new App({ outdir, context: { [cxapi.DISABLE_ASSET_STAGING_CONTEXT]: true } });
      const dir = withPrivateStagingDir(new Stack(app, 'NoStaging'), { 'index.js': '' }, (staged) => staged);
      expect(path.dirname(dir)).toBe(outdir);
      expect(fs.existsSync(path.join(dir, 'index.js'))).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('Lambda bundle code', () => {
  test('the library knows whether it runs from its sources or from the compiled dist/lib', () => {
    expect(locateLibrary(path.join(repoRoot, 'lib'))).toEqual({ packageRoot: repoRoot, fromSource: true });
    expect(locateLibrary(path.join(repoRoot, 'dist', 'lib'))).toEqual({ packageRoot: repoRoot, fromSource: false });
  });

  test('outside a GateLLM package the error says what is missing', () => {
    expect(() => locateLibrary(path.parse(repoRoot).root)).toThrow(/cannot find the gatellm package root/);
  });

  describe('in an installed package', () => {
    let packageRoot = '';
    beforeEach(() => {
      packageRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'gatellm-installed-'));
    });
    afterEach(() => fs.rmSync(packageRoot, { recursive: true, force: true }));

    test('uses the prebuilt bundle and never loads esbuild', () => {
      const file = prebuiltBundlePath(packageRoot, 'admin');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'exports.handler = "prebuilt";');
      const noBundler = jest.fn(() => undefined);
      const code = lambdaBundleCode('admin', { packageRoot, fromSource: false }, noBundler);
      expect(Buffer.from(code).toString('utf8')).toBe('exports.handler = "prebuilt";');
      expect(noBundler).not.toHaveBeenCalled();
    });

    test('without a prebuilt bundle and without esbuild, fails at once saying to build or install esbuild (no Docker)', () => {
      expect(() => lambdaBundleCode('gateway', { packageRoot, fromSource: false }, () => undefined)).toThrow(
        /cannot produce the gateway Lambda bundle: the prebuilt .*dist\/lambda\/gateway\/index\.js is missing and esbuild is not installed\. Run `npm run build`.*install esbuild/,
      );
    });
  });

  test('from the source tree, bundles the handlers with esbuild (fresh, never a stale dist bundle)', () => {
    const code = Buffer.from(lambdaBundleCode('admin', { packageRoot: repoRoot, fromSource: true })).toString('utf8');
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).toMatch(/handler/);
  }, 60_000);
});
