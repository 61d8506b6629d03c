import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The local stand-in for DynamoDB: dynalite, a DynamoDB-compatible HTTP server written in JS,
 * run in this process so `npm start` needs no Java, Docker or second process. The stores talk to
 * it through the real SDK, so local mode exercises the same code as AWS.
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
  /** Base URL of the server, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** Stops the server and closes its database (flushing it to disk in on-disk mode). */
  close(): Promise<void>;
}

export interface EmbeddedDynamoOptions {
  /** Keep the data on disk in this directory (created if missing); in memory when absent. */
  readonly dataDir?: string;
}

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const dynalite = await loadDynalite();
  let unlock: () => Promise<void> = async () => {};
  if (options.dataDir !== undefined) {
    await mkdir(options.dataDir, { recursive: true });
    unlock = await lockDataDir(options.dataDir);
  }
  const server = dynalite({
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
    // Tables (and their indexes) are ACTIVE at once instead of after dynalite's default 500 ms.
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only: the store holds key hashes and usage; nothing outside this machine may
      // reach it. Port 0 lets the OS pick a free port, so parallel test workers never collide.
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await unlock();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close() {
      // Idempotent: a second close (e.g. a signal handler racing a test teardown) awaits the first.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets of SDK clients would otherwise hold close() open.
        server.closeIdleConnections();
      }).finally(unlock);
      return closing;
    },
  };
}

const LOCK_FILE = 'gatellm.lock';

/**
 * Claims the data directory for this process. dynalite does not survive a LevelDB that fails to
 * open (a directory already used by another gateway process): it throws from inside a callback
 * and takes the process down with an obscure "Database is closed". A lock file of our own,
 * checked first, turns that into a clear error. A lock left by a crashed process is taken over:
 * its pid no longer runs. Returns the release function.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, LOCK_FILE);
  // Two rounds: the second covers a concurrent starter that removed the same stale lock first.
  for (let round = 0; round < 2; round += 1) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
      throw new Error(`The data directory ${dataDir} is in use by process ${holder}. Stop that process, `
        + `or delete ${file} if it is not a gateway.`);
    }
    await rm(file, { force: true });
  }
  throw new Error(`Could not lock the data directory ${dataDir}.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: an existence check, nothing is sent
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}

// Not `instanceof Error`: Node's own errors fail that check inside another VM realm (jest).
function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/**
 * A DynamoDB client for the embedded server. Region and credentials are fixed dummies so the SDK
 * never consults the environment, profile files or instance metadata for them and can never
 * reach real AWS.
 */
export function createLocalDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A local server does not throttle: a failure is real, so retry briefly and surface it.
    maxAttempts: 2,
  });
}
