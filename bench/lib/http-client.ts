import http from 'node:http';

/** A keep-alive node:http client that times a request to its first and last body byte. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface Timing {
  readonly status: number;
  /** ms to the first chunk containing `marker` (or the first body chunk when no marker is given). */
  readonly firstMs: number;
  readonly totalMs: number;
  readonly bytes: number;
}

export function timedPost(url: string, body: string, headers: Record<string, string>, marker?: string): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const elapsed = (): number => Number(process.hrtime.bigint() - start) / 1e6;
    const request = http.request(url, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
    }, (response) => {
      let firstMs = Number.NaN;
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (Number.isNaN(firstMs) && (marker === undefined || chunk.includes(marker))) firstMs = elapsed();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, firstMs, totalMs: elapsed(), bytes }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function getStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'GET', headers, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end();
  });
}

/** Runs `task` with `concurrency` workers until `totalRequests` have completed. */
export async function load(totalRequests: number, concurrency: number, task: () => Promise<unknown>): Promise<number> {
  let started = 0;
  const begin = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (started < totalRequests) {
      started += 1;
      await task();
    }
  }));
  return Number(process.hrtime.bigint() - begin) / 1e6;
}
