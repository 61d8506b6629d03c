import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny Secrets Manager endpoint on 127.0.0.1 speaking the service's JSON 1.1 protocol, for tests that
 * run the real SDK client (no local Secrets Manager exists on npm). Only GetSecretValue is implemented.
 */

interface ReceivedCall {
  readonly target: string | undefined;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface LocalSecretsManager {
  readonly endpoint: string;
  /** Secret id (ARN or name) → current SecretString; change it to simulate a rotation. */
  readonly secrets: Map<string, string>;
  readonly calls: ReceivedCall[];
  close(): Promise<void>;
}

const JSON_11 = 'application/x-amz-json-1.1';

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function secretIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('SecretId' in body)) return undefined;
  return typeof body.SecretId === 'string' ? body.SecretId : undefined;
}

export async function startLocalSecretsManager(initial: Readonly<Record<string, string>> = {}): Promise<LocalSecretsManager> {
  const secrets = new Map(Object.entries(initial));
  const calls: ReceivedCall[] = [];
  let version = 0;
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readJson(request);
      const target = request.headers['x-amz-target'];
      calls.push({ target: Array.isArray(target) ? target.join(',') : target, body, authorization: request.headers.authorization });
      const reply = (status: number, payload: unknown): void => {
        response.writeHead(status, { 'content-type': JSON_11 });
        response.end(JSON.stringify(payload));
      };
      if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
        reply(400, { __type: 'UnknownOperationException', message: `Unsupported: ${String(target)}` });
        return;
      }
      const secretId = secretIdOf(body);
      const value = secretId === undefined ? undefined : secrets.get(secretId);
      if (secretId === undefined || value === undefined) {
        reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
        return;
      }
      version += 1;
      const name = secretId.split(':').at(-1) ?? secretId;
      reply(200, { ARN: secretId, Name: name, SecretString: value, VersionId: `v${version}`, VersionStages: ['AWSCURRENT'], CreatedDate: 1_767_225_600 });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    secrets,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
