import { fork } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

export interface MinimalProxy {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts bench/lib/minimal-proxy-server.mjs in its own process in front of `upstreamBase`. */
export async function startMinimalProxy(nodeBinary: string, upstreamBase: string): Promise<MinimalProxy> {
  const port = 17_000 + Math.floor(Math.random() * 1000);
  const child = fork(path.join(__dirname, 'minimal-proxy-server.mjs'), [upstreamBase, String(port)], { execPath: nodeBinary, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await once(child, 'message');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
