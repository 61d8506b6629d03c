import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';

/** What `npm start` runs: the built local server as its own process, on its own data dir, restarted. */
const root = path.resolve(__dirname, '../..');
let upstream: FakeOpenAi;
let dir: string;
const running = new Set<ChildProcess>();

interface Started { child: ChildProcess; url: string; output: string }

async function start(port: number): Promise<Started> {
  const child = spawn(process.execPath, ['dist/local/gatellm.mjs'], {
    cwd: root,
    env: { ...process.env, GATELLM_PORT: String(port), GATELLM_CONFIG: path.join(dir, 'config.json'), GATELLM_DATA_DIR: path.join(dir, 'data'),
      GATELLM_ADMIN_TOKEN: '', GATELLM_LOG_LEVEL: 'warn', FAKE_KEY: 'sk-e2e' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const deadline = Date.now() + 15_000;
  while (!output.includes('listening on')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { child, url: /listening on (\S+)/.exec(output)?.[1] ?? '', get output() { return output; } };
}

async function stop(started: Started): Promise<void> {
  const exited = once(started.child, 'exit');
  started.child.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-local.mjs'], { cwd: root });
  upstream = await startFakeOpenAi({ apiKey: 'sk-e2e' });
  dir = mkdtempSync(path.join(tmpdir(), 'gatellm-e2e-'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({
    providers: { fake: { type: 'openai', baseUrl: upstream.baseUrl, apiKey: { env: 'FAKE_KEY' } } },
    models: { 'gpt-test': { provider: 'fake', model: 'fake-model', price: { input: 1, output: 2 } } },
  }));
});
afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the local server process', () => {
  it('prints its URL and a one-time admin token, serves keys and completions, and keeps its data across restarts', async () => {
    const port = 19_000 + Math.floor(Math.random() * 1000);
    const first = await start(port);
    expect(first.url).toBe(`http://127.0.0.1:${port}`);
    const tokenFile = path.join(dir, 'data', 'admin-token');
    expect(existsSync(tokenFile)).toBe(true);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(first.output).toContain(token);

    const admin = async (url: string, pathname: string, body: unknown): Promise<Record<string, string>> => {
      const response = await fetch(`${url}/admin/v1${pathname}`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      expect(response.status).toBe(201);
      return await response.json() as Record<string, string>;
    };
    const team = await admin(first.url, '/teams', { name: 'e2e' });
    const { key } = await admin(first.url, '/keys', { team: team.id });
    const chat = (url: string): Promise<Response> => fetch(`${url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: `Bearer ${key ?? ''}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect((await chat(first.url)).status).toBe(200);
    await stop(first);

    const second = await start(port);
    expect(second.output).not.toContain(token);
    expect((await chat(second.url)).status).toBe(200);
    const records = await fetch(`${second.url}/admin/v1/usage/records?from=${new Date(Date.now() - 3_600_000).toISOString()}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await records.json() as { data: unknown[] };
    expect(body.data.length).toBeGreaterThanOrEqual(1);
    await stop(second);
  });
});
