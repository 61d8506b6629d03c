import { spawn, type ChildProcess } from 'node:child_process';
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

async function start(port: number, dataDir = path.join(dir, 'data')): Promise<Started> {
  const child = spawn(process.execPath, ['dist/local/gatellm.mjs'], {
    cwd: root,
    env: { ...process.env, GATELLM_PORT: String(port), GATELLM_CONFIG: path.join(dir, 'config.json'), GATELLM_DATA_DIR: dataDir,
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

async function stop(started: Started): Promise<number | null> {
  const exited = once(started.child, 'exit');
  started.child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}

async function adminPost(url: string, token: string, pathname: string, body: unknown): Promise<Record<string, string>> {
  const response = await fetch(`${url}/admin/v1${pathname}`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return await response.json() as Record<string, string>;
}

function chatRequest(url: string, key: string, model: string, stream = false): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

beforeAll(async () => {
  upstream = await startFakeOpenAi({ apiKey: 'sk-e2e' });
  dir = mkdtempSync(path.join(tmpdir(), 'gatellm-e2e-'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({
    providers: { fake: { type: 'openai', baseUrl: upstream.baseUrl, apiKey: { env: 'FAKE_KEY' } } },
    models: {
      'gpt-test': { provider: 'fake', model: 'fake-model', price: { input: 1, output: 2 } },
      // Five content chunks 300 ms apart: a stream that is still running when SIGTERM arrives.
      'gpt-slow': { provider: 'fake', model: 'paced-300', price: { input: 1, output: 2 } },
    },
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

  it('on SIGTERM lets a running stream finish and writes every usage record before it exits', async () => {
    const dataDir = path.join(dir, 'data-shutdown');
    const first = await start(0, dataDir);
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const team = await adminPost(first.url, token, '/teams', { name: 'shutdown' });
    const { key = '' } = await adminPost(first.url, token, '/keys', { team: team.id });

    const stream = await chatRequest(first.url, key, 'gpt-slow', true);
    expect(stream.status).toBe(200);
    const calls = 20;
    const answers = await Promise.all(Array.from({ length: calls }, () => chatRequest(first.url, key, 'gpt-test')));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: calls }, () => 200));
    // Right after the last response, with the stream still running and the last records still batched.
    const exitCode = stop(first);
    const streamed = await stream.text();
    expect(streamed).toContain('data: [DONE]');
    expect(await exitCode).toBe(0);

    const second = await start(0, dataDir);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const records = await fetch(`${second.url}/admin/v1/usage/records?from=${from}&limit=1000`, { headers: { authorization: `Bearer ${token}` } });
    const body = await records.json() as { data: { status: string }[] };
    expect(body.data).toHaveLength(calls + 1);
    expect(body.data.every((record) => record.status === 'ok')).toBe(true);
    await stop(second);
  }, 30_000);
});
