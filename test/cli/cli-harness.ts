import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from '../../lambda/cli/cli';
import type { CliIo } from '../../lambda/cli/io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured streams; `tty` makes both streams act as a terminal. */
export async function runInProcess(argv: readonly string[], options: { env?: Record<string, string>; tty?: boolean; cwd?: string; now?: () => number } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    out: (text) => { stdout += text; },
    err: (text) => { stderr += text; },
    stdoutIsTty: options.tty ?? false,
    stderrIsTty: options.tty ?? false,
    now: options.now ?? Date.now,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type FakeHandler = (request: SeenRequest) => { status?: number; headers?: Record<string, string>; body: unknown };

export interface FakeServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

/** A loopback HTTP server answering with `handler`; JSON bodies unless the handler returns a string. */
export async function fakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      const answer = handler(seen);
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      response.writeHead(answer.status ?? 200, { 'content-type': typeof answer.body === 'string' ? 'text/csv' : 'application/json', ...answer.headers });
      response.end(text);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
