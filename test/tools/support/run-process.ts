import { spawn, type ChildProcess } from 'node:child_process';

export interface RunOptions {
  readonly cwd: string;
  /** The child's whole environment: nothing is inherited unless passed here. */
  readonly env: NodeJS.ProcessEnv;
  /** The child's process group is killed (SIGKILL) after this long. */
  readonly timeoutMs: number;
}

export interface RunResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly stdout: string;
  readonly stderr: string;
  /** e.g. `exit 0 after 812 ms` or `killed after 120000 ms (timeout)`. */
  describe(): string;
}

/** Output kept per stream; the tools print little, this only bounds a runaway child. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

const running = new Set<ChildProcess>();

/** SIGKILL to the child's process group: the CLI and whatever it spawned (Codex runs helpers). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/** Kills every child still running (afterAll, and on a failed assertion's way out). */
export function killRunningChildren(): void {
  for (const child of running) killGroup(child);
}

function collector(): { push(chunk: Buffer): void; text(): string } {
  const chunks: Buffer[] = [];
  let bytes = 0;
  return {
    push(chunk) {
      if (bytes >= MAX_OUTPUT_BYTES) return;
      chunks.push(chunk);
      bytes += chunk.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

/**
 * Spawns a process in its own process group with stdin closed, collects its output and kills the
 * group after the timeout. Never rejects for a non-zero exit; the caller asserts on the result.
 */
export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    const stdout = collector();
    const stderr = collector();
    child.stdout.on('data', stdout.push);
    child.stderr.on('data', stderr.push);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      running.delete(child);
      killGroup(child); // helpers left behind by the CLI
      const durationMs = Date.now() - started;
      resolve({
        exitCode, signal, timedOut, durationMs, stdout: stdout.text(), stderr: stderr.text(),
        describe: () => (timedOut ? `killed after ${durationMs} ms (timeout)` : signal !== null ? `signal ${signal} after ${durationMs} ms` : `exit ${String(exitCode)} after ${durationMs} ms`),
      });
    });
  });
}
