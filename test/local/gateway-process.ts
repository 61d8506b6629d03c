import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

/** Spawns the built local server (`npm start`'s `dist/local/gatellm.mjs`) as a user would run it. */
const repoRoot = path.resolve(__dirname, '../..');

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

export function spawnGateway(env: Record<string, string>): GatewayProcess {
  const child = spawn(process.execPath, ['dist/local/gatellm.mjs'], {
    cwd: repoRoot,
    env: { ...process.env, GATELLM_ADMIN_TOKEN: '', GATELLM_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  const exited = once(child, 'exit').then(([code]) => {
    running.delete(child);
    return code as number | null;
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Waits for the "listening on" line and returns the URL; throws with the output if the process exits first. */
export async function listeningUrl(gateway: GatewayProcess, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = /listening on (\S+)/.exec(gateway.stdout())?.[1];
    if (url !== undefined) return url;
    if (Date.now() > deadline || gateway.child.exitCode !== null) {
      throw new Error(`the gateway did not start:\n${gateway.stdout()}\n${gateway.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** SIGTERM, then the exit code. */
export async function stopGateway(gateway: GatewayProcess): Promise<number | null> {
  if (gateway.child.exitCode === null) gateway.child.kill('SIGTERM');
  return gateway.exited;
}

/** For afterAll: whatever is still running is killed. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}
