import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The library as a consumer meets it: `npm pack` (which builds the package through `prepare`), install
 * the tarball into a fresh CDK project, and synthesise the README's own snippet — offline, without
 * esbuild and without Docker.
 *
 * The npm cache holds the tarballs this repo was installed from but not the registry metadata an
 * `npm install aws-cdk-lib` resolves against, and tests never touch the network: so npm installs the
 * packed tarball with `--offline` (any dependency it declared would have to come from the network and
 * fail the install), and the peers aws-cdk-lib and constructs are linked from this repo's node_modules.
 */

const REPO = path.resolve(__dirname, '..', '..');
const STEP_TIMEOUT_MS = 120_000;

/** The ```ts block under "### Reusing the construct" in README.md, verbatim. */
function readmeSnippet(): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.indexOf('### Reusing the construct');
  const start = readme.indexOf('```ts\n', section);
  const end = readme.indexOf('\n```', start + 6);
  if (section < 0 || start < 0 || end < 0) throw new Error('README.md has no ```ts block under "### Reusing the construct"');
  return readme.slice(start + 6, end + 1);
}

/** Runs a step; a failure reports the step's own output (tsc, for one, writes its errors to stdout). */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(command, args, { cwd, env, encoding: 'utf8', timeout: STEP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const output = error instanceof Error && 'stdout' in error ? `${String(error.stdout)}\n${String((error as { stderr?: unknown }).stderr)}` : '';
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${output}`, { cause: error });
  }
}

interface Template {
  readonly Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  readonly Outputs: Record<string, { Value: unknown; Description?: string }>;
}

describe('the packed library in a consumer project', () => {
  let work = '';
  let consumer = '';
  let installed: readonly string[] = [];
  let template: Template | undefined;
  let leftInTmp: readonly string[] = [];

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'gatellm-consumer-'));
    consumer = path.join(work, 'consumer');
    fs.mkdirSync(consumer);

    run('npm', ['pack', '--pack-destination', work], REPO);
    const tarballs = fs.readdirSync(work).filter((name) => name.endsWith('.tgz'));
    expect(tarballs).toHaveLength(1);
    const tarball = path.join(work, tarballs[0] ?? '');
    fs.writeFileSync(
      path.join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { gatellm: `file:${tarball}` } }),
    );
    run('npm', ['install', '--offline', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'], consumer);
    installed = fs.readdirSync(path.join(consumer, 'node_modules')).filter((name) => !name.startsWith('.'));
    for (const peer of ['aws-cdk-lib', 'constructs']) {
      fs.symlinkSync(path.join(REPO, 'node_modules', peer), path.join(consumer, 'node_modules', peer), 'dir');
    }

    fs.writeFileSync(path.join(consumer, 'app.ts'), readmeSnippet());
    const outdir = path.join(consumer, 'cdk.out');
    const tmp = path.join(work, 'tmp');
    fs.mkdirSync(tmp);
    // Node 24 strips the snippet's types itself; CDK_OUTDIR is what the CDK CLI sets, and makes the app synthesise on exit.
    run(process.execPath, ['app.ts'], consumer, {
      PATH: path.dirname(process.execPath),
      HOME: work,
      TMPDIR: tmp,
      CDK_OUTDIR: outdir,
      CDK_DISABLE_VERSION_CHECK: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
      // Any attempt to bundle with Docker fails loudly instead of silently succeeding on a machine that has it.
      CDK_DOCKER: path.join(work, 'no-docker'),
    });
    template = JSON.parse(fs.readFileSync(path.join(outdir, 'MyPlatform.template.json'), 'utf8')) as Template;
    leftInTmp = fs.readdirSync(tmp);
  }, 170_000);

  afterAll(() => {
    if (work !== '') fs.rmSync(work, { recursive: true, force: true });
  });

  test('installing the tarball installs the library alone: no local-mode store, no esbuild', () => {
    expect(installed).toEqual(['gatellm']);
    for (const absent of ['dynalite', 'esbuild', '@esbuild', 'classic-level', 'jsonc-parser', '@middy', '@aws-sdk']) {
      expect(fs.existsSync(path.join(consumer, 'node_modules', absent))).toBe(false);
    }
    expect(() => require.resolve('esbuild', { paths: [path.join(consumer, 'node_modules', 'gatellm')] })).toThrow();
  });

  test('the package carries the prebuilt Lambda bundles', () => {
    for (const name of ['gateway', 'admin']) {
      expect(fs.statSync(path.join(consumer, 'node_modules', 'gatellm', 'dist', 'lambda', name, 'index.js')).size).toBeGreaterThan(10_000);
    }
  });

  test("the README's snippet synthesises: two nodejs24.x arm64 functions with asset code", () => {
    const functions = Object.values(template?.Resources ?? {}).filter((resource) => resource.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(JSON.stringify(fn.Properties.Code)).toMatch(/"S3Key":"[0-9a-f]{64}\.zip"/);
    }
  });

  test("the README's snippet type-checks against the package's declarations (strict, nodenext)", () => {
    const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck'];
    expect(() => run(process.execPath, [tsc, ...flags, 'app.ts'], consumer)).not.toThrow();
  }, 90_000);

  test('the consumer stack gets the /v1 base URL as an output', () => {
    const openAi = Object.values(template?.Outputs ?? {}).filter((output) => (output.Description ?? '').includes('OPENAI_BASE_URL'));
    expect(openAi).toHaveLength(1);
    expect(JSON.stringify(openAi[0]?.Value)).toMatch(/"\/v1"\]\]\}$/);
  });

  test('synth leaves nothing behind in the temporary directory', () => {
    expect(leftInTmp).toEqual([]);
  });
});
