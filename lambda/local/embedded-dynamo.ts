import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lockDir, preparePrivateDir } from './data-dir';
import { UnixSocketAgent } from './unix-socket-agent';

/**
 * The local stand-in for DynamoDB: dynalite, a DynamoDB-compatible HTTP server written in JS. The
 * local server runs it in a child process of its own (dynamo-server-main.ts); tests run it in theirs.
 * The stores talk to it through the real SDK, so local mode exercises the same code as AWS.
 *
 * The store holds key hashes and usage and has no authentication of its own, so nothing but the
 * gateway may reach it: it listens on a Unix domain socket inside a 0700 directory (no TCP port, so no
 * other user and no web page can connect), and refuses anything that looks like a browser request.
 */

/** The part of dynalite's options we use (it ships no type declarations). */
interface DynaliteOptions {
  /** LevelDB directory; in memory when absent. */
  readonly path?: string;
  readonly createTableMs?: number;
  readonly deleteTableMs?: number;
  readonly updateTableMs?: number;
}

type DynaliteFactory = (options: DynaliteOptions) => Server;

// A variable specifier, on purpose: dynalite (with its native LevelDB binding) then stays an
// ordinary runtime import from node_modules in every build — jest's CommonJS, tsx, and an
// esbuild ESM bundle alike — rather than something a bundler tries to inline or turns into a
// `require` shim that fails in ESM. It also keeps dynalite out of anything that never starts
// the local server.
const DYNALITE_MODULE: string = 'dynalite';

async function loadDynalite(): Promise<DynaliteFactory> {
  const loaded: unknown = await import(DYNALITE_MODULE);
  // CommonJS module.exports arrives as the namespace's `default` (ESM) or as itself (CJS interop).
  const factory: unknown = typeof loaded === 'function' ? loaded : (loaded as { default?: unknown }).default;
  if (typeof factory !== 'function') throw new Error('dynalite did not load as a function.');
  return factory as DynaliteFactory;
}

export interface EmbeddedDynamo {
  /**
   * Where the server listens; pass it to createLocalDynamoClient. The absolute path of its Unix socket,
   * or `http://127.0.0.1:<port>` with `loopbackTcp`.
   */
  readonly endpoint: string;
  /** Stops the server and closes its database (flushing it to disk in on-disk mode). */
  close(): Promise<void>;
}

export interface EmbeddedDynamoOptions {
  /** Keep the data on disk in this directory (created 0700 if missing); in memory when absent. */
  readonly dataDir?: string;
  /**
   * Listen on a loopback TCP port instead of a socket: only for tests that point an SDK at the store
   * through a URL (AWS_ENDPOINT_URL_DYNAMODB). Anything on this machine can reach such a store, so the
   * local server never uses it.
   */
  readonly loopbackTcp?: boolean;
}

const SOCKET_NAME = 'store.sock';
/** sun_path holds 108 bytes on Linux and 104 on macOS; stay clear of both. */
const MAX_SOCKET_PATH_BYTES = 100;

/** A 0700 directory for the socket: the data dir itself when the path fits, else a private temporary one. */
async function socketDirectory(dataDir: string | undefined): Promise<{ dir: string; temporary: boolean }> {
  if (dataDir !== undefined && Buffer.byteLength(join(dataDir, SOCKET_NAME)) <= MAX_SOCKET_PATH_BYTES) {
    return { dir: dataDir, temporary: false };
  }
  return { dir: await mkdtemp(join(tmpdir(), 'gatellm-store-')), temporary: true };
}

/** dynalite answers CORS preflights with `*`: no browser request may reach its handler at all. */
function refuseBrowsers(server: Server): void {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS' || req.headers.origin !== undefined) {
      res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' }).end('Forbidden\n');
      return;
    }
    for (const handle of handlers) handle(req, res);
  });
}

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const dynalite = await loadDynalite();
  let unlock: () => Promise<void> = async () => {};
  if (options.dataDir !== undefined) {
    await preparePrivateDir(options.dataDir);
    unlock = await lockDir(options.dataDir);
  }
  const socket = options.loopbackTcp === true ? undefined : await socketDirectory(options.dataDir);
  const socketPath = socket === undefined ? undefined : join(socket.dir, SOCKET_NAME);
  const release = async (): Promise<void> => {
    if (socket !== undefined && socketPath !== undefined) await rm(socket.temporary ? socket.dir : socketPath, { recursive: true, force: true });
    await unlock();
  };
  const server = dynalite({
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
    // Tables (and their indexes) are ACTIVE at once instead of after dynalite's default 500 ms.
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  refuseBrowsers(server);

  try {
    // A socket left by a killed store: we hold the lock, so nobody else is listening on it.
    if (socketPath !== undefined) await rm(socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const listening = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (socketPath === undefined) server.listen(0, '127.0.0.1', listening);
      else server.listen(socketPath, listening);
    });
  } catch (error) {
    await release();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    endpoint: socketPath ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      // Idempotent: a second close (e.g. a signal handler racing a test teardown) awaits the first.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets of SDK clients would otherwise hold close() open.
        server.closeIdleConnections();
      }).finally(release);
      return closing;
    },
  };
}

/**
 * A DynamoDB client for the embedded server at `endpoint` (see EmbeddedDynamo.endpoint). The SDK
 * addresses a URL; for a socket, the agent carries every connection to it instead, so the host in that
 * URL is never resolved. Region and credentials are fixed dummies so the SDK never consults the
 * environment, profile files or instance metadata for them and can never reach real AWS.
 */
export function createLocalDynamoClient(endpoint: string): DynamoDBClient {
  const viaSocket = !endpoint.startsWith('http://');
  return new DynamoDBClient({
    endpoint: viaSocket ? 'http://gatellm-store.invalid' : endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...(viaSocket ? { requestHandler: { httpAgent: new UnixSocketAgent(endpoint) } } : {}),
    // A local server does not throttle: a failure is real, so retry briefly and surface it.
    maxAttempts: 2,
  });
}
