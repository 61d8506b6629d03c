import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './run-process';

/** A CLI from npm, installed in a cache directory of its own, keyed by the exact version. */
export interface InstalledCli {
  readonly packageName: string;
  /** Exact version installed, e.g. `2.1.332`. */
  readonly version: string;
  /** Absolute path of the executable (`node_modules/.bin/<bin>`). */
  readonly bin: string;
  /** What `<bin> --version` printed. */
  readonly versionOutput: string;
}

export interface CliSpec {
  readonly packageName: string;
  readonly bin: string;
  /** Version or dist-tag installed unless the environment variable says otherwise. */
  readonly defaultVersion: string;
  /** Environment variable that overrides the version, e.g. `latest` or `2.1.400`. */
  readonly versionVariable: string;
}

/** The versions this suite was last run with; `GATELLM_TOOLS_*_VERSION=latest` tries the newest. */
export const CLAUDE_CODE: CliSpec = {
  packageName: '@anthropic-ai/claude-code', bin: 'claude', defaultVersion: '2.1.332', versionVariable: 'GATELLM_TOOLS_CLAUDE_CODE_VERSION',
};
export const CODEX: CliSpec = {
  packageName: '@openai/codex', bin: 'codex', defaultVersion: '0.171.0', versionVariable: 'GATELLM_TOOLS_CODEX_VERSION',
};

const INSTALL_TIMEOUT_MS = 15 * 60_000;
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** `GATELLM_TOOLS_CACHE`, else `<os tmpdir>/gatellm-tool-clis`: reused across runs, one folder per package and version. */
export function cacheRoot(): string {
  return process.env['GATELLM_TOOLS_CACHE'] ?? join(tmpdir(), 'gatellm-tool-clis');
}

/** npm as the running Node sees it: the npm that launched jest when there is one, else `npm` on PATH. */
function npmCommand(args: readonly string[]): { command: string; args: string[] } {
  const execPath = process.env['npm_execpath'];
  if (execPath !== undefined && execPath.endsWith('.js')) return { command: process.execPath, args: [execPath, ...args] };
  return { command: 'npm', args: [...args] };
}

async function npm(args: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  const { command, args: fullArgs } = npmCommand(args);
  const result = await runProcess(command, fullArgs, { cwd, env: process.env, timeoutMs });
  if (result.exitCode !== 0) {
    throw new Error(`npm ${args.join(' ')} failed (${result.describe()}):\n${result.stderr.slice(-4000)}`);
  }
  return result.stdout;
}

async function exactVersion(spec: CliSpec): Promise<string> {
  const wanted = process.env[spec.versionVariable] ?? spec.defaultVersion;
  if (EXACT_VERSION.test(wanted)) return wanted;
  // A dist-tag or range: one registry look-up turns it into the version that keys the cache.
  const out = await npm(['view', `${spec.packageName}@${wanted}`, 'version', '--json'], tmpdir(), 60_000);
  const parsed: unknown = JSON.parse(out);
  const version = Array.isArray(parsed) ? parsed.at(-1) : parsed;
  if (typeof version !== 'string' || !EXACT_VERSION.test(version)) throw new Error(`npm view ${spec.packageName}@${wanted} gave ${out}`);
  return version;
}

/** Runs `<bin> --version` with a scratch HOME, so nothing is read from or written to the user's home. */
async function probeVersion(bin: string, scratch: string): Promise<string> {
  const result = await runProcess(bin, ['--version'], {
    cwd: scratch, timeoutMs: 60_000,
    env: { PATH: process.env['PATH'] ?? '', HOME: scratch, CODEX_HOME: scratch, DISABLE_AUTOUPDATER: '1', DISABLE_TELEMETRY: '1' },
  });
  if (result.exitCode !== 0) throw new Error(`${bin} --version failed (${result.describe()}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout.trim();
}

/**
 * Installs the CLI once into `<cache>/<package>@<version>` (into a scratch folder first, renamed into
 * place when it runs, so an interrupted install is never reused) and checks that its binary starts.
 * Needs the npm registry; nothing else is downloaded.
 */
export async function installCli(spec: CliSpec): Promise<InstalledCli> {
  const version = await exactVersion(spec);
  const root = cacheRoot();
  await mkdir(root, { recursive: true });
  const folder = join(root, `${spec.packageName.replace('/', '+')}@${version}`);
  const binPath = (dir: string): string => join(dir, 'node_modules', '.bin', spec.bin);
  const scratch = await mkdtemp(join(tmpdir(), 'gatellm-tools-probe-'));
  try {
    if (existsSync(binPath(folder))) {
      try {
        return { packageName: spec.packageName, version, bin: binPath(folder), versionOutput: await probeVersion(binPath(folder), scratch) };
      } catch {
        await rm(folder, { recursive: true, force: true }); // a broken cached copy: install afresh
      }
    }
    const staging = await mkdtemp(`${folder}.installing-`);
    try {
      await npm(['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error',
        `${spec.packageName}@${version}`], staging, INSTALL_TIMEOUT_MS);
      const installed = JSON.parse(await readFile(join(staging, 'node_modules', spec.packageName, 'package.json'), 'utf8')) as { version?: unknown };
      if (installed.version !== version) throw new Error(`npm installed ${spec.packageName}@${String(installed.version)}, not ${version}`);
      const versionOutput = await probeVersion(binPath(staging), scratch);
      try {
        await rename(staging, folder);
      } catch (error) {
        // Another run installed the same version meanwhile: use that one.
        if (!existsSync(binPath(folder))) throw error;
      }
      return { packageName: spec.packageName, version, bin: binPath(folder), versionOutput };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
