import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getStatus } from './http-client';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token';

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** ms from spawn until the first HTTP answer. */
  readonly spawnToFirstResponseMs: number;
  stop(): Promise<void>;
}

async function waitForAnswer(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      await getStatus(url);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`no answer from ${url}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

/** Starts the built local server (`dist/local/gatellm.mjs`, what `npm start` runs) as a separate process. */
export async function startGatewayProcess(config: unknown, port: number, nodeBinary: string): Promise<GatewayProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatellm-bench-'));
  const configPath = path.join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const started = performance.now();
  const child = spawn(nodeBinary, ['dist/local/gatellm.mjs'], {
    env: { ...process.env, GATELLM_PORT: String(port), GATELLM_CONFIG: configPath, GATELLM_DATA_DIR: path.join(dir, 'data'),
      GATELLM_ADMIN_TOKEN: BENCH_ADMIN_TOKEN, GATELLM_LOG_LEVEL: 'warn', FAKE_KEY: 'sk-bench' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForAnswer(`${url}/v1/models`, Date.now() + 20_000);
  const spawnToFirstResponseMs = performance.now() - started;
  return {
    child, url, spawnToFirstResponseMs,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An admin API call with the bench's admin token; throws with the answer unless it is a 2xx. */
export async function adminCall(url: string, method: string, pathname: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/admin/v1${pathname}`, {
    method, headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`admin ${method} ${pathname}: ${response.status} ${await response.text()}`);
  return await response.json() as Record<string, unknown>;
}

/** Creates a team, a user in it and a key owned by the user through the admin API. */
export async function createBenchKey(url: string, label = 'bench'): Promise<{ key: string; keyId: string; teamId: string; userId: string }> {
  const team = await adminCall(url, 'POST', '/teams', { name: `${label}-${Date.now()}` });
  const user = await adminCall(url, 'POST', '/users', { team: team.id, email: `${label}-${Date.now()}@example.com` });
  const key = await adminCall(url, 'POST', '/keys', { user: user.id });
  return { key: String(key.key), keyId: String(key.id), teamId: String(team.id), userId: String(user.id) };
}

/** Spawn-to-exit of `node -e 0`: the floor any Node server's start-up is compared with. */
export async function bareNodeStartMs(nodeBinary: string): Promise<number> {
  const started = performance.now();
  await new Promise((resolve) => spawn(nodeBinary, ['-e', '0'], { stdio: 'ignore' }).once('exit', resolve));
  return performance.now() - started;
}
