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

/** Creates a team and a key through the admin API; returns the key. */
export async function createBenchKey(url: string): Promise<string> {
  const admin = async (pathname: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${url}/admin/v1${pathname}`, {
      method: 'POST', headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`admin ${pathname}: ${response.status} ${await response.text()}`);
    return await response.json() as Record<string, unknown>;
  };
  const team = await admin('/teams', { name: `bench-${Date.now()}` });
  const key = await admin('/keys', { team: team.id, user: 'bench@example.com' });
  return String(key.key);
}

/** Spawn-to-exit of `node -e 0`: the floor any Node server's start-up is compared with. */
export async function bareNodeStartMs(nodeBinary: string): Promise<number> {
  const started = performance.now();
  await new Promise((resolve) => spawn(nodeBinary, ['-e', '0'], { stdio: 'ignore' }).once('exit', resolve));
  return performance.now() - started;
}
